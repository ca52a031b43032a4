package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The direct oneDNN convolution against libnd4j's conv2d and conv2d_bp (whatever build the tests load): forward with
 * and without a bias, backward data, backward weights, in truncate mode and in same mode (symmetric and not), on
 * inputs that are views into a larger array, repeated so that a kept plan is reused, and its outputs written over
 * whatever they held. Float32 only; other types and non-contiguous arrays are left to libnd4j.
 */
class DirectConvolutionTest {

    @Test
    void oneDnnLoadsOnTheBuildPlatform() {
        assertThat(OneDnn.available()).as("oneDNN's natives for linux-x86_64 are a dependency").isTrue();
    }

    /** oneDNN's kernels may read blocked copies with aligned vector loads; a 16-byte aligned one crashed one. */
    @Test
    void workspacesAreAlignedForOneDnnKernels() {
        for (int slot = 0; slot < OneDnn.WORKSPACE_SLOTS; slot++) {
            for (long bytes : new long[] {4, 1000, 1 << 20, 12}) {
                assertThat(OneDnn.workspace(slot, bytes).address() % OneDnn.ALIGNMENT).isZero();
            }
        }
    }

    /** kernel, stride, padding (-1: same mode), batch, input channels, height, width, output channels. */
    @ParameterizedTest
    @CsvSource({
        "3, 1, 1, 4, 16, 8, 8, 16", "4, 2, 1, 3, 8, 14, 14, 16", "4, 2, -1, 3, 1, 28, 28, 8",
        "4, 2, -1, 2, 5, 7, 7, 3", "3, 2, -1, 2, 4, 8, 8, 5", "3, 1, 0, 2, 3, 9, 7, 6", "1, 1, 0, 5, 7, 4, 4, 9",
        "3, 1, -1, 2, 32, 6, 6, 32"})
    void matchesLibnd4j(int k, int s, int p, int batch, int inC, int h, int w, int outC) {
        boolean same = p < 0;
        int[] kernel = {k, k};
        int[] stride = {s, s};
        int[] padding = same ? new int[] {0, 0} : new int[] {p, p};
        long[] args = NativeOps.convolutionArguments(kernel, stride, padding, same);
        DirectConvolution direct = new DirectConvolution(kernel, stride, same ? null : padding);
        // the input a view at an offset into a larger array, as a block of a pool of real samples is
        INDArray pool = Nd4j.rand(DataType.FLOAT, batch + 2, inC, h, w).subi(0.5);
        INDArray x = pool.get(NDArrayIndex.interval(1, batch + 1), NDArrayIndex.all(), NDArrayIndex.all(),
                NDArrayIndex.all());
        INDArray weight = Nd4j.rand(DataType.FLOAT, outC, inC, k, k).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, outC).subi(0.5);
        long oh = same ? (h + s - 1) / s : (h + 2L * p - k) / s + 1;
        long ow = same ? (w + s - 1) / s : (w + 2L * p - k) / s + 1;
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, outC, oh, ow).subi(0.5);

        INDArray z = Nd4j.zeros(DataType.FLOAT, batch, outC, oh, ow);
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {x, weight}, z);
        INDArray zb = Nd4j.zeros(DataType.FLOAT, batch, outC, oh, ow);
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {x, weight, bias}, zb);
        INDArray gx = Nd4j.zeros(DataType.FLOAT, batch, inC, h, w);
        INDArray gw = Nd4j.zeros(DataType.FLOAT, outC, inC, k, k);
        NativeOps.exec(new Conv2DDerivative(), "conv2d_bp", args, new INDArray[] {x, weight, g}, gx, gw);

        for (int repeat = 0; repeat < 2; repeat++) {
            INDArray out = Nd4j.rand(DataType.FLOAT, batch, outC, oh, ow);
            assertThat(direct.forward(x, weight, null, out)).isTrue();
            assertClose(out, z);
            assertThat(direct.forward(x, weight, bias, out)).isTrue();
            assertClose(out, zb);
            INDArray back = Nd4j.rand(DataType.FLOAT, batch, inC, h, w);
            assertThat(direct.backwardData(g, weight, back)).isTrue();
            assertClose(back, gx);
            INDArray weightGradient = Nd4j.rand(DataType.FLOAT, outC, inC, k, k);
            assertThat(direct.backwardWeights(x, g, weightGradient)).isTrue();
            assertClose(weightGradient, gw);
        }
    }

    /**
     * More batch sizes than a layer keeps plans for, each through all four steps, so that plans holding backward
     * steps are evicted and destroyed; then the first sizes again, made anew. A double free in the eviction crashed
     * the JVM here (the benchmarks' ResNet floor, one instance for many shapes, met it first).
     */
    @Test
    void evictedPlansAreDestroyedAndMadeAgain() {
        int[] kernel = {3, 3};
        int[] stride = {1, 1};
        int[] padding = {1, 1};
        long[] args = NativeOps.convolutionArguments(kernel, stride, padding, false);
        DirectConvolution direct = new DirectConvolution(kernel, stride, padding);
        INDArray weight = Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 6).subi(0.5);
        for (int pass = 0; pass < 2; pass++) {
            for (int batch = 1; batch <= DirectConvolution.PLANS + 3; batch++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, batch, 4, 5, 5).subi(0.5);
                INDArray g = Nd4j.rand(DataType.FLOAT, batch, 6, 5, 5).subi(0.5);
                INDArray zb = Nd4j.zeros(DataType.FLOAT, batch, 6, 5, 5);
                NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {x, weight, bias}, zb);
                INDArray gx = Nd4j.zeros(DataType.FLOAT, batch, 4, 5, 5);
                INDArray gw = Nd4j.zeros(DataType.FLOAT, 6, 4, 3, 3);
                NativeOps.exec(new Conv2DDerivative(), "conv2d_bp", args, new INDArray[] {x, weight, g}, gx, gw);

                INDArray out = Nd4j.rand(DataType.FLOAT, batch, 6, 5, 5);
                assertThat(direct.forward(x, weight, bias, out)).isTrue();
                assertClose(out, zb);
                assertThat(direct.forward(x, weight, null, out)).isTrue();
                INDArray back = Nd4j.rand(DataType.FLOAT, batch, 4, 5, 5);
                assertThat(direct.backwardData(g, weight, back)).isTrue();
                assertClose(back, gx);
                INDArray weightGradient = Nd4j.rand(DataType.FLOAT, 6, 4, 3, 3);
                assertThat(direct.backwardWeights(x, g, weightGradient)).isTrue();
                assertClose(weightGradient, gw);
            }
        }
    }

    /**
     * The leaky rectifier inside the forward primitive gives, bit for bit, ND4J's LeakyReLU of the direct forward's
     * own z (with the bias and without), keeps NaN as NaN, and refuses slope 0 (oneDNN's relu at 0 is a maximum
     * that turns NaN into 0), leaving the output untouched.
     */
    @ParameterizedTest
    @CsvSource({"0.2, 4, 2, -1, 3, 16, 14, 14, 32", "0.01, 3, 1, 1, 2, 5, 7, 7, 3", "2.5, 1, 1, 0, 2, 1, 4, 4, 16"})
    void leakyForwardIsTheLeakyReluOfTheForward(float slope, int k, int s, int p, int batch, int inC, int h, int w,
            int outC) {
        boolean same = p < 0;
        DirectConvolution direct = new DirectConvolution(new int[] {k, k}, new int[] {s, s},
                same ? null : new int[] {p, p});
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, inC, h, w).subi(0.5);
        x.putScalar(new long[] {0, 0, 1, 1}, Float.NaN);
        INDArray weight = Nd4j.rand(DataType.FLOAT, outC, inC, k, k).subi(0.5);
        INDArray bias = Nd4j.rand(DataType.FLOAT, outC).subi(0.5);
        long oh = same ? (h + s - 1) / s : (h + 2L * p - k) / s + 1;
        long ow = same ? (w + s - 1) / s : (w + 2L * p - k) / s + 1;
        for (INDArray b : new INDArray[] {bias, null}) {
            INDArray z = Nd4j.zeros(DataType.FLOAT, batch, outC, oh, ow);
            assertThat(direct.forward(x, weight, b, z)).isTrue();
            INDArray expected = Nd4j.zeros(DataType.FLOAT, batch, outC, oh, ow);
            Nd4j.exec(new org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU(z, expected, slope));
            for (int repeat = 0; repeat < 2; repeat++) {
                INDArray out = Nd4j.rand(DataType.FLOAT, batch, outC, oh, ow);
                assertThat(direct.forwardLeaky(x, weight, b, out, slope)).isTrue();
                float[] actualValues = out.data().asFloat();
                float[] expectedValues = expected.data().asFloat();
                int nans = 0;
                for (int i = 0; i < expectedValues.length; i++) {
                    assertThat(Float.floatToIntBits(actualValues[i])).as("element %d", i)
                            .isEqualTo(Float.floatToIntBits(expectedValues[i]));
                    nans += Float.isNaN(actualValues[i]) ? 1 : 0;
                }
                assertThat(nans).as("the NaN input reaches the outputs it feeds").isPositive();
                long negatives = out.lt(0.0).castTo(DataType.INT).sumNumber().longValue();
                assertThat(negatives).as("some z below 0, scaled by the slope").isPositive();
            }
        }
        INDArray untouched = Nd4j.rand(DataType.FLOAT, batch, outC, oh, ow);
        INDArray before = untouched.dup();
        assertThat(direct.forwardLeaky(x, weight, bias, untouched, 0f)).isFalse();
        assertThat(direct.forwardLeaky(x, weight, bias, untouched, 1f)).isFalse();
        assertThat(untouched).isEqualTo(before);
    }

    /** The bias gradient inside backward weights: the channel sums of the output gradient, to float rounding. */
    @ParameterizedTest
    @CsvSource({"4, 2, -1, 6, 16, 14, 14, 32", "4, 2, -1, 5, 1, 28, 28, 16", "3, 1, 1, 2, 5, 7, 7, 3"})
    void backwardWeightsWithBiasAddsTheChannelSums(int k, int s, int p, int batch, int inC, int h, int w, int outC) {
        boolean same = p < 0;
        DirectConvolution direct = new DirectConvolution(new int[] {k, k}, new int[] {s, s},
                same ? null : new int[] {p, p});
        INDArray x = Nd4j.rand(DataType.FLOAT, batch, inC, h, w).subi(0.5);
        long oh = same ? (h + s - 1) / s : (h + 2L * p - k) / s + 1;
        long ow = same ? (w + s - 1) / s : (w + 2L * p - k) / s + 1;
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, outC, oh, ow).subi(0.5);
        INDArray expectedWeights = Nd4j.rand(DataType.FLOAT, outC, inC, k, k);
        assertThat(direct.backwardWeights(x, g, expectedWeights)).isTrue();
        INDArray expectedBias = g.castTo(DataType.DOUBLE).sum(0, 2, 3).castTo(DataType.FLOAT);
        for (int repeat = 0; repeat < 2; repeat++) {
            INDArray weightGradient = Nd4j.rand(DataType.FLOAT, outC, inC, k, k);
            INDArray biasGradient = Nd4j.rand(DataType.FLOAT, 1, outC).addi(100);
            assertThat(direct.backwardWeights(x, g, weightGradient, biasGradient)).isTrue();
            assertClose(weightGradient, expectedWeights);
            assertClose(biasGradient.reshape(outC), expectedBias);
        }
        assertThat(direct.backwardWeights(x, g, expectedWeights, Nd4j.zeros(DataType.FLOAT, outC + 1))).isFalse();
    }

    @Test
    void leavesOtherTypesAndLayoutsToLibnd4j() {
        DirectConvolution direct = new DirectConvolution(new int[] {3, 3}, new int[] {1, 1}, new int[] {1, 1});
        INDArray weight = Nd4j.rand(DataType.FLOAT, 4, 2, 3, 3);
        INDArray out = Nd4j.zeros(DataType.FLOAT, 2, 4, 5, 5);
        assertThat(direct.forward(Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5), weight.castTo(DataType.DOUBLE), null,
                out.castTo(DataType.DOUBLE))).isFalse();
        INDArray permuted = Nd4j.rand(DataType.FLOAT, 2, 5, 5, 2).permute(0, 3, 1, 2);
        assertThat(direct.forward(permuted, weight, null, out)).isFalse();
        // a weight of the wrong kernel size
        assertThat(direct.forward(Nd4j.rand(DataType.FLOAT, 2, 2, 5, 5), Nd4j.rand(DataType.FLOAT, 4, 2, 5, 5), null,
                out)).isFalse();
        assertThat(out.sumNumber().doubleValue()).isZero();
    }

    private static void assertClose(INDArray actual, INDArray expected) {
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).isGreaterThan(0.0);
        // oneDNN's Winograd and direct kernels round differently from libnd4j's: float32 rounding of the sums
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThanOrEqualTo(2e-5 * Math.max(1, scale));
    }
}
