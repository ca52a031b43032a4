package org.wgan.examples;

/**
 * ND4J's native settings for the example mains; must run before any ND4J class loads. Explicit {@code -D} settings
 * on the command line win.
 *
 * <ul>
 *   <li>Off-heap bound ({@value #MEMORY_PROPERTY}, default {@value #DEFAULT_LIMIT}): DL4J's own training passes
 *       allocate their activations outside workspaces, and the off-heap buffers are freed only when the small Java
 *       objects owning them are collected; left alone, JavaCPP lets the process grow to twice the maximum heap
 *       (measured: 3.6 GB resident after 600 steps of the 8-Gaussians MLPs and still rising; bounded, it stayed
 *       under 1.1 GB and was not slower).</li>
 *   <li>The oneDNN build of libnd4j ({@value #EXTENSION_PROPERTY} {@value #ONEDNN}) when its jar is on the class
 *       path: its convolutions ran 20-35x faster than the plain build's on the measured machine.</li>
 * </ul>
 */
final class NativeSetup {

    static final String MEMORY_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String DEFAULT_LIMIT = "2g";
    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String ONEDNN = "-onednn";
    private static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn/libjnind4jcpu.so";

    private NativeSetup() {
    }

    static void apply() {
        if (System.getProperty(MEMORY_PROPERTY) == null) {
            System.setProperty(MEMORY_PROPERTY, DEFAULT_LIMIT);
        }
        if (System.getProperty(EXTENSION_PROPERTY) == null
                && NativeSetup.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null) {
            System.setProperty(EXTENSION_PROPERTY, ONEDNN);
        }
    }
}
