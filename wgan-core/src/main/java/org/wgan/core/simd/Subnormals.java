package org.wgan.core.simd;

/**
 * Flushing subnormal numbers to zero, as a core's flush-to-zero mode does to a result: the optimizer steps use it so
 * that the moments they store are never subnormal (see the DL4J engine's fused optimizer step for why). Plain Java,
 * loaded with or without the Vector API.
 */
public final class Subnormals {

    /** A float's exponent field: zero for zeros and subnormals only. */
    public static final int FLOAT_EXPONENT = 0x7F800000;

    private static final long DOUBLE_EXPONENT = 0x7FF0000000000000L;

    private Subnormals() {
    }

    /** {@code x}, or a zero of its sign when {@code x} is subnormal; zero, normal, infinite and NaN values pass. */
    public static float flushed(float x) {
        return (Float.floatToRawIntBits(x) & FLOAT_EXPONENT) == 0 ? Math.copySign(0f, x) : x;
    }

    /** {@code x}, or a zero of its sign when {@code x} is subnormal; zero, normal, infinite and NaN values pass. */
    public static double flushed(double x) {
        return (Double.doubleToRawLongBits(x) & DOUBLE_EXPONENT) == 0 ? Math.copySign(0.0, x) : x;
    }

    /** {@link #flushed(float)} when {@code flush}, else {@code x} as it is. */
    public static float flushedIf(boolean flush, float x) {
        return flush ? flushed(x) : x;
    }

    /** {@link #flushed(double)} when {@code flush}, else {@code x} as it is. */
    public static double flushedIf(boolean flush, double x) {
        return flush ? flushed(x) : x;
    }
}
