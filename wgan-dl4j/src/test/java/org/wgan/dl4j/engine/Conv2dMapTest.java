package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A convolution's transpose (through deconv2d where the padding allows) and its weight gradient alone (through
 * im2col and products on thin inputs) equal conv2d_bp's input and weight gradients, in truncate and same modes,
 * float32 and float64, including the shapes where strides skip input rows or same mode pads unevenly (conv2d_bp
 * then runs itself).
 */
class Conv2dMapTest {

    /** kernel, stride, padding, same mode, input height and width, data type, input channels. */
    @ParameterizedTest
    @CsvSource({
        "4, 2, 1, false, 28, 28, FLOAT, 1", "4, 2, 1, false, 14, 14, DOUBLE, 3", "3, 1, 1, false, 8, 6, DOUBLE, 5",
        "3, 1, 0, true, 8, 6, DOUBLE, 3", "3, 2, 0, true, 8, 8, DOUBLE, 1", "4, 2, 0, true, 8, 6, FLOAT, 3",
        "1, 1, 0, true, 5, 5, FLOAT, 2", "3, 2, 1, false, 7, 7, DOUBLE, 1", "4, 2, 1, false, 7, 9, DOUBLE, 1",
        "3, 2, 0, true, 7, 5, DOUBLE, 3", "4, 2, 0, true, 7, 7, DOUBLE, 1", "3, 1, 0, true, 32, 32, FLOAT, 3"})
    void transposeAndWeightGradientAreConv2dBps(int k, int s, int p, boolean same, int h, int w, DataType type,
            int channels) {
        INDArray weight = Nd4j.rand(type, 4, channels, k, k).subi(0.5);
        INDArray bias = Nd4j.rand(type, 4);
        Conv2dMap map = new Conv2dMap(weight, bias, new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, same);
        long[] inShape = {3, channels, h, w};
        INDArray input = Nd4j.rand(type, inShape).subi(0.5);
        INDArray e = Nd4j.rand(type, map.outputShape(inShape)).subi(0.5);
        INDArray expectedInput = Nd4j.zeros(type, inShape);
        INDArray expectedWeight = weight.ulike();
        NativeOps.exec(new Conv2DDerivative(), "conv2d_bp", map.args, new INDArray[] {input, weight, e},
                expectedInput, expectedWeight);

        INDArray inputGradient = Nd4j.rand(type, inShape); // overwritten, not added to
        map.transposeInto(e, inputGradient);
        INDArray weightGradient = Nd4j.rand(type, weight.shape());
        INDArray accumulated = weightGradient.add(expectedWeight);
        map.weightGradientInto(input, e, weightGradient, true);

        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        assertClose(inputGradient, expectedInput, tolerance);
        assertClose(weightGradient, accumulated, tolerance);
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.sub(expected).amaxNumber().doubleValue())
                .isLessThanOrEqualTo(tolerance * Math.max(1, expected.amaxNumber().doubleValue()));
    }
}
