package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What a 2-D convolution and a transposed convolution share (NCHW, dilation 1, a 4-d kernel W and a per-channel
 * bias): their libnd4j arguments, the bias, and the backward products from one {@code *_bp} op, which gives the
 * input gradient and the weight gradient together (into the caller's buffers or scratch arrays kept from call to
 * call).
 */
abstract class KernelMap implements LinearMap {

    final INDArray weight;
    final INDArray bias;
    final int[] kernel;
    final int[] stride;
    final int[] padding;
    final boolean sameMode;
    final long[] args;
    final long outChannels;
    private INDArray weightScratch;
    private final NativeOps.Scratch inputScratch = new NativeOps.Scratch();

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode    true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                    explicit padding
     * @param outChannels the output's channels (W's first dimension for a convolution, its second for a transposed
     *                    one)
     */
    KernelMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode,
            long outChannels) {
        this.weight = weight;
        this.bias = bias;
        this.kernel = kernel.clone();
        this.stride = stride.clone();
        this.padding = padding.clone();
        this.sameMode = sameMode;
        this.args = NativeOps.convolutionArguments(kernel, stride, padding, sameMode);
        this.outChannels = outChannels;
    }

    /** The layer's {@code *_bp} op into the given arrays: the gradient at the input and the weights' gradient. */
    abstract void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight);

    @Override
    public void addBias(INDArray z) {
        NativeOps.addChannelBias(z, bias, outChannels);
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
        if (bias != null && !ElementLoops.channelSumsInto(outGrad, target, accumulate)) {
            NativeOps.store(outGrad.sum(0, 2, 3), target, accumulate);
        }
    }

    final INDArray weightScratch() {
        if (weightScratch == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                weightScratch = Nd4j.create(weight.dataType(), weight.shape());
            }
        }
        return weightScratch;
    }

    final INDArray inputScratch(INDArray like) {
        return inputScratch.like(like);
    }
}
