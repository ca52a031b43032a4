package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.LeakyReLU;
import org.nd4j.linalg.api.ops.impl.scalar.RectifiedLinear;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.simd.VectorSupport;

/**
 * The convolution stages' elementwise passes give ND4J's bits (activation, derivative, bias add) or a closer sum
 * (bias gradient) on NCHW arrays with planes that are not multiples of the SIMD width, NaN, infinities and signed
 * zeros.
 */
class ElementLoopsTest {

    private static final float[] EDGES = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0.0f, 0.0f,
        1.5f, -2.25f, 3e-39f, -3e-39f, 7f, -0.125f};

    /** Random floats in [-2, 2) of {@code shape} with an edge value at every 13th element. */
    private static INDArray edgy(long... shape) {
        INDArray a = Nd4j.rand(DataType.FLOAT, shape).subi(0.5).muli(4);
        for (int i = 0; i < a.length(); i += 13) {
            a.putScalar(i, EDGES[(i / 13) % EDGES.length]);
        }
        return a;
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.2})
    void activationAndDerivativeGiveNd4jsBits(double slope) {
        assertThat(VectorSupport.available()).as("tests run with the Vector API").isTrue();
        INDArray z = edgy(3, 5, 21, 21);
        INDArray delta = edgy(3, 5, 21, 21);
        INDArray expected = nd4jActivation(z, slope);
        INDArray expectedFirst = nd4jDerivative(z, slope);
        INDArray expectedE = expectedFirst.mul(delta);

        INDArray a = z.ulike();
        INDArray e = z.ulike();
        INDArray first = z.ulike();
        assertThat(ElementLoops.activationInto(z, a, slope, LoopThreads.threads())).isTrue();
        assertThat(ElementLoops.derivativeTimesInto(z, delta, e, first, slope, LoopThreads.threads())).isTrue();

        assertBits(a, expected);
        assertBits(first, expectedFirst);
        assertBits(e, expectedE);
    }

    /**
     * Arrays of several {@link LoopThreads#MINIMUM_ELEMENTS} run on {@link LoopThreads}' threads (two on the build
     * machines): the ranges must not change a bit of ND4J's results.
     */
    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.2})
    void passesSplitOverThreadsKeepNd4jsBits(double slope) {
        long[] shape = {4, 8, 96, 97}; // 298k elements, planes not a multiple of the SIMD width
        INDArray z = edgy(shape);
        INDArray delta = edgy(shape);
        INDArray expected = nd4jActivation(z, slope);
        INDArray expectedFirst = nd4jDerivative(z, slope);
        INDArray expectedE = expectedFirst.mul(delta);
        INDArray bias = Nd4j.rand(DataType.FLOAT, 8);
        INDArray expectedBiased = z.add(bias.reshape(1, 8, 1, 1));

        INDArray a = z.ulike();
        INDArray e = z.ulike();
        INDArray first = z.ulike();
        INDArray biased = z.dup();
        assertThat(ElementLoops.activationInto(z, a, slope, LoopThreads.threads())).isTrue();
        assertThat(ElementLoops.derivativeTimesInto(z, delta, e, first, slope, LoopThreads.threads())).isTrue();
        assertThat(ElementLoops.addChannelBias(biased, bias)).isTrue();

        assertBits(a, expected);
        assertBits(first, expectedFirst);
        assertBits(e, expectedE);
        assertBits(biased, expectedBiased);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void channelBiasAddGivesNd4jsBits(boolean view) {
        INDArray z = edgy(3, 5, 7, 3);
        INDArray expected = z.dup();
        INDArray flat = Nd4j.rand(DataType.FLOAT, 1, 12);
        // a bias that is a view into a flat parameter vector, as the engine's are
        INDArray bias = view ? flat.get(NDArrayIndex.point(0),
                NDArrayIndex.interval(4, 9)) : Nd4j.rand(DataType.FLOAT, 5);
        expected.addi(bias.reshape(1, 5, 1, 1));

        assertThat(ElementLoops.addChannelBias(z, bias)).isTrue();

        assertBits(z, expected);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void channelSumsAreTheSumsOverBatchAndPlane(boolean accumulate) {
        channelSums(accumulate, 3, 5, 7, 3);
    }

    /** Enough planes to be split over the threads by channel. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void channelSumsSplitOverThreadsAreTheSameSums(boolean accumulate) {
        channelSums(accumulate, 6, 9, 61, 37);
    }

    private static void channelSums(boolean accumulate, int batch, int channels, int height, int width) {
        INDArray g = Nd4j.rand(DataType.FLOAT, batch, channels, height, width).subi(0.5);
        INDArray target = Nd4j.rand(DataType.FLOAT, channels);
        double[] expected = new double[channels];
        double[] values = g.data().asDouble();
        for (int i = 0; i < values.length; i++) {
            expected[i / (height * width) % channels] += values[i];
        }
        for (int c = 0; c < channels; c++) {
            expected[c] = (float) ((accumulate ? target.getFloat(c) : 0) + expected[c]);
        }

        assertThat(ElementLoops.channelSumsInto(g, target, accumulate)).isTrue();

        for (int c = 0; c < channels; c++) {
            // one float rounding of the double sum, plus the stored target's when accumulating
            assertThat(target.getDouble(c)).isCloseTo(expected[c],
                    org.assertj.core.data.Offset.offset(Math.max(1e-6, Math.ulp((float) expected[c]))));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void otherArraysAreLeftToNd4j(boolean doubles) {
        INDArray z = doubles ? Nd4j.rand(DataType.DOUBLE, 2, 3, 4, 4) : Nd4j.rand(DataType.FLOAT, 2, 3, 4, 4)
                .permute(0, 1, 3, 2);
        INDArray out = z.ulike();
        INDArray before = out.dup();

        assertThat(ElementLoops.activationInto(z, out, 0.2, LoopThreads.threads())).isFalse();
        assertThat(ElementLoops.derivativeTimesInto(z, z, out, null, 0.2, LoopThreads.threads())).isFalse();
        assertThat(ElementLoops.channelSumsInto(z, Nd4j.zeros(z.dataType(), 3), false)).isFalse();

        assertThat(out).isEqualTo(before);
    }

    /** ND4J's ReLU (slope 0) or LeakyReLU of {@code z}. */
    private static INDArray nd4jActivation(INDArray z, double slope) {
        INDArray expected = z.ulike();
        Nd4j.exec(slope == 0.0 ? new RectifiedLinear(z, expected, 0.0) : new LeakyReLU(z, expected, slope));
        return expected;
    }

    /** The derivative as ND4J's ops give it: {@code step(z) * (1 - slope) + slope}. */
    private static INDArray nd4jDerivative(INDArray z, double slope) {
        INDArray first = z.ulike();
        Nd4j.exec(new Step(z, first, 0.0));
        if (slope != 0.0) {
            first.muli(1.0 - slope).addi(slope);
        }
        return first;
    }

    private static void assertBits(INDArray actual, INDArray expected) {
        float[] a = actual.dup('c').data().asFloat();
        float[] x = expected.dup('c').data().asFloat();
        assertThat(a).hasSameSizeAs(x);
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(x[i])) {
                // NaN payloads may differ between two NaN-producing paths; any NaN stands for NaN
                assertThat(Float.isNaN(a[i]) && Float.isNaN(x[i])).as("element %d: %s against %s", i, a[i], x[i])
                        .isTrue();
            }
        }
    }

    /**
     * The in-place product gives {@code muli}'s bits with edge values in both operands, on a small array, on one of
     * several {@link LoopThreads#MINIMUM_ELEMENTS} (split over threads) and on a row view at an offset.
     */
    @Test
    void productInPlaceGivesMulisBits() {
        for (long[] shape : new long[][] {{7, 19}, {4, 8, 96, 97}}) {
            INDArray a = edgy(shape);
            INDArray b = edgy(shape).muli(-1.5);
            INDArray expected = a.mul(b);
            assertThat(ElementLoops.timesInPlace(a, b, LoopThreads.threads())).isTrue();
            assertBits(a, expected);
        }
        INDArray whole = edgy(9, 33);
        INDArray rows = whole.get(NDArrayIndex.interval(3, 8),
                NDArrayIndex.all());
        INDArray other = edgy(5, 33);
        INDArray expected = rows.mul(other);
        INDArray untouched = whole.get(NDArrayIndex.interval(0, 3),
                NDArrayIndex.all()).dup();
        assertThat(ElementLoops.times(rows, other, LoopThreads.threads())).isSameAs(rows);
        assertBits(rows, expected);
        assertBits(whole.get(NDArrayIndex.interval(0, 3),
                NDArrayIndex.all()), untouched);
    }

    @Test
    void productOfOtherShapesOrTypesIsLeftToNd4j() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 3, 4);
        assertThat(ElementLoops.timesInPlace(a, Nd4j.rand(DataType.FLOAT, 4, 3), LoopThreads.threads())).isFalse();
        INDArray doubles = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray factor = Nd4j.rand(DataType.DOUBLE, 3, 4);
        INDArray expected = doubles.mul(factor);
        assertThat(ElementLoops.timesInPlace(doubles, factor, LoopThreads.threads())).isFalse();
        assertThat(ElementLoops.times(doubles, factor, LoopThreads.threads())).isEqualTo(expected);
    }
}
