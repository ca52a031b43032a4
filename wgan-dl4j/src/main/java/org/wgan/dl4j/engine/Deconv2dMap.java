package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D transposed convolution (DL4J's {@code Deconvolution2D}), NCHW, dilation 1, weights in DL4J's deconvolution
 * layout {@code [inC, outC, kH, kW]} (a convolution's are {@code [outC, inC, kH, kW]}):
 * {@code L_W(a)[n, o, y, x] = sum_{c, i, j, p, q : y = i sH - pH + p, x = j sW - pW + q} a[n, c, i, j] W[c, o, p, q]},
 * the output {@code sH (H - 1) + kH - 2 pH} high in Truncate mode and {@code sH H} in Same mode. {@code L_W^T} is the
 * convolution with the same weights, kernel, stride and padding, which reads W as a convolution's
 * {@code [outC', inC', kH, kW]} with {@code outC' = inC}: libnd4j's deconv2d, conv2d and deconv2d_bp (which gives
 * both the input gradient and the weight gradient), all given W as it lies in DL4J's parameters (weight format 1).
 */
final class Deconv2dMap implements LinearMap {

    private final INDArray weight;
    private final INDArray bias;
    private final int[] kernel;
    private final int[] stride;
    private final int[] padding;
    private final boolean sameMode;
    private final long[] args;
    private final long outChannels;
    private INDArray weightScratch;
    private INDArray inputScratch;

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    Deconv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        this.weight = weight;
        this.bias = bias;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.sameMode = sameMode;
        // kernel, stride, padding, dilation 1, same mode, 0 = NCHW, weight format 1 = [inC, outC, kH, kW]
        this.args = new long[] {kernel[0], kernel[1], stride[0], stride[1], sameMode ? 0 : padding[0],
            sameMode ? 0 : padding[1], 1, 1, sameMode ? 1 : 0, 0, 1};
        this.outChannels = weight.size(1);
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec(new DeConv2D(), "deconv2d", args, new INDArray[] {a, weight}, out);
    }

    @Override
    public void addBias(INDArray z) {
        if (bias != null) {
            z.addi(bias.reshape(1, outChannels, 1, 1));
        }
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        // conv2d's weight format 1 reads [inC, outC, kH, kW] as [outC', inC', kH, kW]: the transpose of deconv2d
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {e, weight}, out);
    }

    @Override
    public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
        inputScratch = NativeOps.scratchLike(inputScratch, input);
        backprop(input, outGrad, inputScratch, weightScratch());
        NativeOps.store(weightScratch, target, accumulate);
    }

    @Override
    public void backwardInto(INDArray input, INDArray outGrad, INDArray inputGradient, INDArray weightTarget,
            boolean accumulate) {
        backprop(input, outGrad, inputGradient, weightScratch());
        NativeOps.store(weightScratch, weightTarget, accumulate);
    }

    @Override
    public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
        if (bias != null) {
            NativeOps.store(outGrad.sum(0, 2, 3), target, accumulate);
        }
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

    private INDArray weightScratch() {
        if (weightScratch == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                weightScratch = Nd4j.create(weight.dataType(), weight.shape());
            }
        }
        return weightScratch;
    }

    /** deconv2d_bp into the given arrays: the gradient at the input and the weights' gradient. */
    private void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        NativeOps.exec(new DeConv2DDerivative(), "deconv2d_bp", args, new INDArray[] {input, weight, outGrad},
                gradInput, gradWeight);
    }

    @Override
    public String toString() {
        return "deconvolution " + kernel[0] + "x" + kernel[1] + " stride " + stride[0] + "x" + stride[1];
    }
}
