package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A transposed convolution's forward equals libnd4j's deconv2d, onto thin outputs (at most
 * {@link KernelMap#THIN_OUTPUT_CHANNELS} channels, products and col2im) and wider ones (deconv2d itself), in
 * truncate mode and in same mode with symmetric padding, float32 and float64, writing over what its output held.
 */
class Deconv2dMapTest {

    /** kernel, stride, padding, same mode, input height and width, data type, input and output channels. */
    @ParameterizedTest
    @CsvSource({
        "4, 2, 1, false, 14, 14, FLOAT, 32, 1", "4, 2, 1, false, 7, 5, DOUBLE, 6, 3",
        "4, 2, 0, false, 5, 5, DOUBLE, 3, 2", "3, 1, 1, false, 6, 8, DOUBLE, 5, 4",
        "4, 2, 0, true, 7, 7, DOUBLE, 4, 1", "3, 1, 0, true, 8, 6, FLOAT, 3, 3",
        "2, 2, 0, false, 4, 4, DOUBLE, 2, 1", "4, 2, 1, false, 7, 7, FLOAT, 8, 5", "3, 1, 0, true, 6, 6, DOUBLE, 2, 6"})
    void forwardIsDeconv2d(int k, int s, int p, boolean same, int h, int w, DataType type, int inChannels,
            int outChannels) {
        INDArray weight = Nd4j.rand(type, inChannels, outChannels, k, k).subi(0.5);
        Deconv2dMap map = new Deconv2dMap(weight, null, new int[] {k, k}, new int[] {s, s}, new int[] {p, p}, same);
        long[] inShape = {3, inChannels, h, w};
        INDArray input = Nd4j.rand(type, inShape).subi(0.5);
        long[] outShape = map.outputShape(inShape);
        INDArray expected = Nd4j.zeros(type, outShape);
        NativeOps.exec(new DeConv2D(), "deconv2d", NativeOps.convolutionArguments(new int[] {k, k},
                new int[] {s, s}, new int[] {p, p}, same), new INDArray[] {input, weight}, expected);

        INDArray out = Nd4j.rand(type, outShape); // overwritten, not added to
        map.applyInto(input, out);

        double tolerance = type == DataType.DOUBLE ? 1e-12 : 1e-5;
        assertThat(out.sub(expected).amaxNumber().doubleValue())
                .isLessThanOrEqualTo(tolerance * Math.max(1, expected.amaxNumber().doubleValue()));
        assertThat(expected.amaxNumber().doubleValue()).isGreaterThan(0.0);
    }
}
