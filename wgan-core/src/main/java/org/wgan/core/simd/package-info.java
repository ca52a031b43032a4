/**
 * SIMD loops over contiguous float buffers through the JDK's incubating Vector API: the in-place clamp that weight
 * clipping runs ({@link org.wgan.core.simd.InPlaceClamp}), the Adam/RMSProp steps and the bias-plus-activation
 * passes that the DL4J engine calls ({@link org.wgan.core.simd.VectorKernels}), the finiteness check the trainer runs
 * after every update ({@link org.wgan.core.simd.FinitenessScan}), and the check whether the module is present and which
 * arrays qualify ({@link org.wgan.core.simd.VectorSupport}). Not API: used by the library's own
 * modules and may change without notice. {@code -Dwgan.vectorKernels=false} turns every loop off.
 */
package org.wgan.core.simd;
