package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2DDerivative;

/**
 * A 2-D transposed convolution (DL4J's {@code Deconvolution2D}), NCHW, dilation 1, weights in DL4J's deconvolution
 * layout {@code [inC, outC, kH, kW]} (a convolution's are {@code [outC, inC, kH, kW]}):
 * {@code L_W(a)[n, o, y, x] = sum_{c, i, j, p, q : y = i sH - pH + p, x = j sW - pW + q} a[n, c, i, j] W[c, o, p, q]},
 * the output {@code sH (H - 1) + kH - 2 pH} high in Truncate mode and {@code sH H} in Same mode. {@code L_W^T} is the
 * convolution with the same weights, kernel, stride and padding, which reads W as a convolution's
 * {@code [outC', inC', kH, kW]} with {@code outC' = inC}: libnd4j's deconv2d, conv2d and deconv2d_bp (which gives
 * both the input gradient and the weight gradient), all given W as it lies in DL4J's parameters (weight format 1).
 */
final class Deconv2dMap extends KernelMap {

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    Deconv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        super(weight, bias, kernel, stride, padding, sameMode, weight.size(1));
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec(new DeConv2D(), "deconv2d", args, new INDArray[] {a, weight}, out);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        // conv2d's weight format 1 reads [inC, outC, kH, kW] as [outC', inC', kH, kW]: the transpose of deconv2d
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {e, weight}, out);
    }

    @Override
    public long[] outputShape(long[] in) {
        NativeOps.requireNchw(in, "Deconvolution2D");
        return new long[] {in[0], outChannels, outSize(in[2], 0), outSize(in[3], 1)};
    }

    private long outSize(long in, int axis) {
        if (sameMode) {
            return in * stride[axis];
        }
        return stride[axis] * (in - 1) + kernel[axis] - 2L * padding[axis];
    }

    @Override
    void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        NativeOps.exec(new DeConv2DDerivative(), "deconv2d_bp", args, new INDArray[] {input, weight, outGrad},
                gradInput, gradWeight);
    }

    @Override
    public String toString() {
        return "deconvolution " + kernel[0] + "x" + kernel[1] + " stride " + stride[0] + "x" + stride[1];
    }
}
