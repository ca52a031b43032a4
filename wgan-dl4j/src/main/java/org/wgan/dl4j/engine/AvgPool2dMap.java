package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Average pooling (DL4J's {@code SubsamplingLayer} with {@code PoolingType.AVG}), NCHW, kernel {@code kH x kW},
 * stride, padding, Truncate or Same, without parameters: {@code L(a)[n, c, i, j] = (1 / d_ij) sum_{(p, q) in
 * window(i, j)} a[n, c, p, q]}, the window's cells outside the input counting as zeros, where {@code d_ij} is
 * {@code kH kW} or the number of the window's cells inside the input, as DL4J's {@code avgPoolIncludePadInDivisor}
 * selects (the same integer argument DL4J passes to libnd4j). L is linear and does not depend on its input, so
 * {@code L^T(e)[n, c, p, q] = sum_{(i, j) : (p, q) in window(i, j)} e[n, c, i, j] / d_ij}: libnd4j's avgpool2d and
 * avgpool2d_bp, which reads only the shape of its input.
 */
final class AvgPool2dMap extends ParameterFreeMap {

    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean sameMode;
    private final long[] args;
    private final NativeOps.Scratch inputScratch = new NativeOps.Scratch();

    /**
     * @param sameMode               true for ConvolutionMode.Same (padding computed), false for Truncate/Strict
     * @param includePadInDivisor DL4J's {@code SubsamplingLayer.isAvgPoolIncludePadInDivisor()}
     */
    AvgPool2dMap(int[] kernel, int[] stride, int[] padding, boolean sameMode, boolean includePadInDivisor) {
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.sameMode = sameMode;
        // kernel, stride, padding, dilation 1, same mode, DL4J's divisor argument, 0 = NCHW
        this.args = new long[] {kernel[0], kernel[1], stride[0], stride[1], sameMode ? 0 : padding[0],
            sameMode ? 0 : padding[1], 1, 1, sameMode ? 1 : 0, includePadInDivisor ? 1 : 0, 0};
    }

    @Override
    public long[] outputShape(long[] in) {
        NativeOps.requireNchw(in, "SubsamplingLayer");
        return new long[] {in[0], in[1], outSize(in[2], 0), outSize(in[3], 1)};
    }

    private long outSize(long in, int axis) {
        if (sameMode) {
            return (in + stride[axis] - 1) / stride[axis];
        }
        return (in - kernel[axis] + 2L * padding[axis]) / stride[axis] + 1;
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec("avgpool2d", args, new INDArray[] {a}, out);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        NativeOps.exec("avgpool2d_bp", args, new INDArray[] {inputScratch.like(out), e}, out);
    }

    @Override
    public String toString() {
        return "average pooling " + kernel[0] + "x" + kernel[1];
    }
}
