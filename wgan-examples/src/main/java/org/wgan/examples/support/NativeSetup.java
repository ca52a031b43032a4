package org.wgan.examples.support;

/**
 * ND4J's native settings for the example mains; must run before any ND4J class loads ({@link Launcher#exit} applies
 * {@link #apply()} first). Explicit {@code -D} settings on the command line win.
 *
 * <ul>
 *   <li>Off-heap bound ({@value #MEMORY_PROPERTY}, default {@value #DEFAULT_LIMIT}): DL4J's own training passes
 *       allocate their activations outside workspaces, and the off-heap buffers are freed only when the small Java
 *       objects owning them are collected; left alone, JavaCPP lets the process grow to twice the maximum heap
 *       (measured: 3.6 GB resident after 600 steps of the 8-Gaussians MLPs and still rising; bounded, it stayed
 *       under 1.1 GB and was not slower).</li>
 * </ul>
 *
 * <p>libnd4j's oneDNN build is on the class path too, opt-in with {@code -Dorg.bytedeco.javacpp.platform.extension=
 * -onednn}: its convolutions ran 20-35x faster than the plain build's on the measured machine, but the toy MLPs'
 * iterations about 1.5x slower, so the MLP examples keep the plain build. The engine's own float32 convolutions call
 * oneDNN directly and run as fast in either build (benchmarks/JOURNAL.md, 2026-12-03); the convolutional examples
 * keep the oneDNN build for the convolutions libnd4j still runs (double precision, layers the engine leaves to DL4J).
 */
public final class NativeSetup {

    static final String MEMORY_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";
    static final String DEFAULT_LIMIT = "2g";

    private NativeSetup() {
    }

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String ONEDNN = "-onednn";

    /**
     * {@link #apply()}, and libnd4j's oneDNN build unless the command line chose a build: the convolutional
     * examples' convolutions ran 20-35x faster with it.
     */
    public static void applyForConvolutions() {
        apply();
        if (System.getProperty(EXTENSION_PROPERTY) == null) {
            System.setProperty(EXTENSION_PROPERTY, ONEDNN);
        }
    }

    /** Bounds ND4J's off-heap memory unless the command line set {@value #MEMORY_PROPERTY}. */
    public static void apply() {
        if (System.getProperty(MEMORY_PROPERTY) == null) {
            System.setProperty(MEMORY_PROPERTY, DEFAULT_LIMIT);
        }
    }
}
