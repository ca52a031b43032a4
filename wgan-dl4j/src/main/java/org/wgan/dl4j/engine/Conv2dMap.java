package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;

/**
 * A 2-D convolution, NCHW, weights {@code [outC, inC, kH, kW]}, dilation 1, through libnd4j's conv2d and
 * conv2d_bp ops: one conv2d_bp per backward call, results in the caller's buffers or in scratch arrays kept from
 * call to call.
 */
final class Conv2dMap extends KernelMap {

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    Conv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        super(weight, bias, kernel, stride, padding, sameMode, weight.size(0));
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {a, weight}, out);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        // conv2d_bp reads the input only for the weight gradient, which is discarded here
        backprop(inputScratch(out), e, out, weightScratch());
    }

    @Override
    public long[] outputShape(long[] in) {
        long h;
        long w;
        if (sameMode) {
            h = (in[2] + stride[0] - 1) / stride[0];
            w = (in[3] + stride[1] - 1) / stride[1];
        } else {
            h = (in[2] - kernel[0] + 2L * padding[0]) / stride[0] + 1;
            w = (in[3] - kernel[1] + 2L * padding[1]) / stride[1] + 1;
        }
        return new long[] {in[0], outChannels, h, w};
    }

    @Override
    void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        NativeOps.exec(new Conv2DDerivative(), "conv2d_bp", args, new INDArray[] {input, weight, outGrad}, gradInput,
                gradWeight);
    }
}
