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

    /** deconv2d's arguments for {@link #transposeInto}, or null where it keeps conv2d_bp. */
    private final long[] transposeArgs;

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    Conv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        super(weight, bias, kernel, stride, padding, sameMode, weight.size(0));
        this.transposeArgs = transposeArguments(kernel, stride, padding, sameMode);
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {a, weight}, out);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        if (transposeArgs != null && Arrays.equals(transposedShape(e.shape()), out.shape())) {
            // the transposed convolution of e with the same weights (deconv2d's weight format 1 reads
            // [outC, inC, kH, kW] as [its inC, its outC, kH, kW]): the input gradient alone, where conv2d_bp also
            // computes the weight gradient (1.4 against 3.2 ms at [64, 32, 14, 14] -> 64 channels, 4x4/2)
            NativeOps.exec(new DeConv2D(), "deconv2d", transposeArgs, new INDArray[] {e, weight}, out);
            return;
        }
        // the input's rows or columns the strides skip: only conv2d_bp knows to give them a zero gradient.
        // conv2d_bp reads the input only for the weight gradient, which is discarded here
        backprop(inputScratch(out), e, out, weightScratch());
    }

    /**
     * deconv2d's arguments for the transpose, always with explicit padding: the oneDNN build has no same-mode
     * deconv2d and falls back to a loop 18x slower than conv2d_bp (1,774 against 103 ms at [64, 64, 32, 32], 3x3,
     * measured), while with explicit padding it takes 95 ms. Same mode is explicit padding {@code (k - 1) / 2} on
     * every side at stride 1 with odd kernels; elsewhere its padding depends on the input size and may be
     * asymmetric, and null leaves those to conv2d_bp.
     */
    private static long[] transposeArguments(int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        if (!sameMode) {
            return NativeOps.convolutionArguments(kernel, stride, padding, false);
        }
        if (stride[0] != 1 || stride[1] != 1 || kernel[0] % 2 == 0 || kernel[1] % 2 == 0) {
            return null;
        }
        return NativeOps.convolutionArguments(kernel, stride, new int[] {(kernel[0] - 1) / 2, (kernel[1] - 1) / 2},
                false);
    }

    /** deconv2d's output shape for an input of {@code shape} with {@link #transposeArgs} (explicit padding). */
    private long[] transposedShape(long[] shape) {
        long h = (shape[2] - 1) * stride[0] + kernel[0] - 2 * transposeArgs[4];
        long w = (shape[3] - 1) * stride[1] + kernel[1] - 2 * transposeArgs[5];
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
