package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Nearest-neighbour upsampling (DL4J's {@code Upsampling2D}), NCHW, by {@code sH} and {@code sW}, without
 * parameters: {@code L(a)[n, c, i, j] = a[n, c, floor(i / sH), floor(j / sW)]}, each input pixel repeated over an
 * {@code sH x sW} block, and {@code L^T(e)[n, c, i, j] = sum_{p < sH, q < sW} e[n, c, i sH + p, j sW + q]}, the sum
 * over each block: libnd4j's upsampling2d and upsampling2d_bp.
 */
final class Upsampling2dMap extends ParameterFreeMap {

    private final long[] size;
    private final long[] args;
    private final NativeOps.Scratch inputScratch = new NativeOps.Scratch();

    /** {@code size}: DL4J's {@code Upsampling2D.getSize()}, the factors along height and width. */
    Upsampling2dMap(int[] size) {
        this.size = new long[] {size[0], size[1]};
        // factors, then 1 = NCHW
        this.args = new long[] {size[0], size[1], 1};
    }

    @Override
    public long[] outputShape(long[] in) {
        NativeOps.requireNchw(in, "Upsampling2D");
        return new long[] {in[0], in[1], in[2] * size[0], in[3] * size[1]};
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec("upsampling2d", args, new INDArray[] {a}, out);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        // upsampling2d_bp reads only the input's shape
        NativeOps.exec("upsampling2d_bp", new long[] {1}, new INDArray[] {inputScratch.like(out), e}, out);
    }

    @Override
    public String toString() {
        return "upsampling " + size[0] + "x" + size[1];
    }
}
