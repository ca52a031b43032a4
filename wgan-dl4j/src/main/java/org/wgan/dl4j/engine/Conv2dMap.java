package org.wgan.dl4j.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;

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
        if (Arrays.equals(transposedShape(e.shape()), out.shape())) {
            // the transposed convolution of e with the same weights (deconv2d's weight format 1 reads
            // [outC, inC, kH, kW] as [its inC, its outC, kH, kW]): the input gradient alone, about half of
            // conv2d_bp's time, which also computes the weight gradient
            NativeOps.exec(new DeConv2D(), "deconv2d", args, new INDArray[] {e, weight}, out);
            return;
        }
        // the input's rows or columns the strides skip: only conv2d_bp knows to give them a zero gradient.
        // conv2d_bp reads the input only for the weight gradient, which is discarded here
        backprop(inputScratch(out), e, out, weightScratch());
    }

    /** deconv2d's output shape for an input of {@code shape} with this map's arguments. */
    private long[] transposedShape(long[] shape) {
        long h;
        long w;
        if (sameMode) {
            h = shape[2] * stride[0];
            w = shape[3] * stride[1];
        } else {
            h = (shape[2] - 1) * stride[0] + kernel[0] - 2L * padding[0];
            w = (shape[3] - 1) * stride[1] + kernel[1] - 2L * padding[1];
        }
        return new long[] {shape[0], weight.size(1), h, w};
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
