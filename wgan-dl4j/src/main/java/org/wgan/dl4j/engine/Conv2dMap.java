package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A 2-D convolution, NCHW, weights {@code [outC, inC, kH, kW]}, dilation 1, through libnd4j's conv2d and
 * conv2d_bp ops: one conv2d_bp per backward call, results in the caller's buffers or in scratch arrays kept from
 * call to call.
 */
final class Conv2dMap implements LinearMap {

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
    Conv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        this.weight = weight;
        this.bias = bias;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.sameMode = sameMode;
        this.args = new long[] {kernel[0], kernel[1], stride[0], stride[1], sameMode ? 0 : padding[0],
            sameMode ? 0 : padding[1], 1, 1, sameMode ? 1 : 0, 0, 1};
        this.outChannels = weight.size(0);
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        NativeOps.exec(new Conv2D(), "conv2d", args, new INDArray[] {a, weight}, out);
    }

    @Override
    public void addBias(INDArray z) {
        if (bias != null) {
            z.addi(bias.reshape(1, outChannels, 1, 1));
        }
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        // conv2d_bp reads the input only for the weight gradient, which is discarded here
        backprop(inputScratch(out), e, out, weightScratch());
    }

    @Override
    public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
        backprop(input, outGrad, inputScratch(input), weightScratch());
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

    private INDArray weightScratch() {
        if (weightScratch == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                weightScratch = Nd4j.create(weight.dataType(), weight.shape());
            }
        }
        return weightScratch;
    }

    private INDArray inputScratch(INDArray like) {
        inputScratch = NativeOps.scratchLike(inputScratch, like);
        return inputScratch;
    }

    /** conv2d_bp into the given arrays: the gradient at the input and the weights' gradient. */
    private void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        NativeOps.exec(new Conv2DDerivative(), "conv2d_bp", args, new INDArray[] {input, weight, outGrad}, gradInput,
                gradWeight);
    }
}
