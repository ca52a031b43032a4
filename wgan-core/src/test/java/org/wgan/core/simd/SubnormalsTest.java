package org.wgan.core.simd;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Subnormals become zeros of their sign; everything else, the smallest normal numbers included, passes. */
class SubnormalsTest {

    @Test
    void floatSubnormalsBecomeSignedZeros() {
        assertThat(bits(Subnormals.flushed(Float.MIN_VALUE))).isEqualTo(bits(0f));
        assertThat(bits(Subnormals.flushed(-Float.MIN_VALUE))).isEqualTo(bits(-0f));
        float largestSubnormal = Math.nextDown(Float.MIN_NORMAL);
        assertThat(bits(Subnormals.flushed(largestSubnormal))).isEqualTo(bits(0f));
        assertThat(bits(Subnormals.flushed(-largestSubnormal))).isEqualTo(bits(-0f));
    }

    @Test
    void floatZerosNormalsInfinitiesAndNaNsPass() {
        float quietNaNWithPayload = Float.intBitsToFloat(0x7fc00001);
        for (float x : new float[] {0f, -0f, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1.5f, -Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, quietNaNWithPayload}) {
            assertThat(bits(Subnormals.flushed(x))).as("%s", x).isEqualTo(bits(x));
        }
    }

    @Test
    void doubleSubnormalsBecomeSignedZerosAndTheRestPasses() {
        assertThat(Double.doubleToRawLongBits(Subnormals.flushed(-Double.MIN_VALUE)))
                .isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(Subnormals.flushed(Math.nextDown(Double.MIN_NORMAL))).isEqualTo(0.0);
        // a float subnormal is a normal double
        assertThat(Subnormals.flushed((double) Float.MIN_VALUE)).isEqualTo((double) Float.MIN_VALUE);
        for (double x : new double[] {0.0, Double.MIN_NORMAL, -2.5, Double.NEGATIVE_INFINITY, Double.NaN}) {
            assertThat(Double.doubleToRawLongBits(Subnormals.flushed(x))).isEqualTo(Double.doubleToRawLongBits(x));
        }
    }

    @Test
    void flushedIfFlushesOnlyWhenAsked() {
        assertThat(bits(Subnormals.flushedIf(true, -Float.MIN_VALUE))).isEqualTo(bits(-0f));
        assertThat(bits(Subnormals.flushedIf(false, -Float.MIN_VALUE))).isEqualTo(bits(-Float.MIN_VALUE));
        assertThat(Subnormals.flushedIf(true, Double.MIN_VALUE)).isEqualTo(0.0);
        assertThat(Subnormals.flushedIf(false, Double.MIN_VALUE)).isEqualTo(Double.MIN_VALUE);
    }

    private static int bits(float x) {
        return Float.floatToRawIntBits(x);
    }
}
