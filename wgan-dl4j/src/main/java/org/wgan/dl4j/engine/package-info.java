/**
 * The engine that trains the adapters' DL4J networks. It runs itself what a WGAN step spends its time on: the
 * forward pass, backprop and the exact double backprop of the gradient penalty (the input gradient and its adjoint,
 * DESIGN.md section 3) for stacks of dense layers, 2-D convolutions and transposed convolutions (NCHW, any stride and
 * padding, Truncate or Same), activation layers, nearest-neighbour upsampling, average pooling and global average or
 * sum pooling, with DL4J's NCHW CNN/feed-forward preprocessors folded into the linear maps, dense layers' layer
 * normalisation ({@code LayerNormalization}, with its double backprop), and batch normalisation
 * forward and backward only ({@code BatchNormStage}: no double backprop, so no penalised critic); Adam and RMSProp as
 * one fused pass over DL4J's own updater state (NoOp blocks, batch norm's running statistics, included); and small
 * matrix products straight to OpenBLAS. It leaves to DL4J the network's configuration, its parameter layout and
 * initialisation, the updaters' configuration and state layout, and serialisation. A network with a layer the engine
 * does not run (dropout, weight noise, max pooling, ...) goes through DL4J's own
 * {@code feedForward} and {@code backpropGradient} as a whole, and
 * has no double backprop; an updater other than Adam or RMSProp, or one with regularisation or gradient
 * normalisation, stays DL4J's. Parameters and gradients are never copied: weights, biases and their gradients are
 * views into DL4J's flat parameter and gradient buffers. The passes' activations, gradients and adjoint work arrays
 * live in buffers preallocated per input shape, outside any workspace, and reused from step to step (the smooth
 * activations may still make temporaries). On both paths an input is checked against the layers before the first
 * product ({@code InputShapeCheck}), and the updaters' learning rates when the engine is made.
 *
 * <p>Start at {@link org.wgan.dl4j.engine.NetworkEngine}, the one class the adapters hold, which picks the engine's
 * path or DL4J's; then {@code LayerStack} (the passes and the adjoint), {@code GraphStack} (the same over a
 * ComputationGraph's vertices in topological order, gradients summed at fan-out; a graph has no DL4J path), the
 * {@code LinearMap} of each layer
 * ({@code DenseMap}, {@code Conv2dMap}, {@code Deconv2dMap}, {@code Upsampling2dMap}, {@code AvgPool2dMap},
 * {@code GlobalPoolMap}, {@code IdentityMap}, {@code ReshapedMap}, with {@code NativeOps} for the libnd4j calls),
 * {@code BatchNormStage}, {@code ActivationDerivatives} (with {@code ElementLoops}, the SIMD passes of
 * convolution stages), {@code SpectralNormalization},
 * {@code FusedOptimizerStep} and {@link org.wgan.dl4j.engine.Gemm}. Not API: only the adapters in
 * {@link org.wgan.dl4j} and the benchmarks use it, {@code NetworkEngine} and {@code Gemm} are public only because
 * Java has no friend packages, and anything here may change without notice.
 */
package org.wgan.dl4j.engine;
