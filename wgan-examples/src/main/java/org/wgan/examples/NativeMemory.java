package org.wgan.examples;

/**
 * Bounds the native (off-heap) memory ND4J may hold before it forces a garbage collection.
 *
 * <p>DL4J's training passes allocate their activations outside workspaces; the off-heap buffers are freed only
 * when the small Java objects owning them are collected, which a nearly empty heap rarely does. Left alone, JavaCPP
 * lets the process grow to twice the maximum heap (measured: 3.6 GB resident after 600 steps of the 8-Gaussians
 * MLPs and still rising). With a bound of {@value #DEFAULT_LIMIT} the same run stayed under 1.1 GB and was not
 * slower. Must run before any ND4J class loads; an explicit {@code -Dorg.bytedeco.javacpp.maxPhysicalBytes}
 * wins.
 */
final class NativeMemory {

    static final String PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String DEFAULT_LIMIT = "2g";

    private NativeMemory() {
    }

    static void boundByDefault() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, DEFAULT_LIMIT);
        }
    }
}
