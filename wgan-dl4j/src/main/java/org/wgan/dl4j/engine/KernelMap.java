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

    /** Most output channels a transposed convolution may have to run as products and col2im. */
    static final long THIN_OUTPUT_CHANNELS = 4;

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
    /** {@link #thinTransposedInto}'s columns {@code [batch, outC, kH, kW, inH, inW]}, kept per shape. */
    private final NativeOps.Scratch transposedColumns = new NativeOps.Scratch();

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

    /**
     * The gradients asked for (a null target is not computed) through {@link DirectConvolution}; false, leaving the
     * work to {@link #backprop}, where the direct calls do not apply.
     */
    abstract boolean directGradients(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight);

    @Override
    public void addBias(INDArray z) {
        NativeOps.addChannelBias(z, bias, outChannels);
    }

    /**
     * The weight gradient alone, from the first path that applies: {@link #directGradients}, then
     * {@link #unfoldedWeightGradient}, then the layer's {@code *_bp} op, which also computes the input gradient.
     */
    @Override
    public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
        INDArray w = weightScratch();
        if (!directGradients(input, outGrad, null, w) && !unfoldedWeightGradient(input, outGrad, w)) {
            backprop(input, outGrad, inputScratch(input), w);
        }
        NativeOps.store(w, target, accumulate);
    }

    /**
     * The weight gradient through im2col and matrix products, into {@code gradWeight}, where a layer has such a
     * path for these arrays; false, leaving the work to {@link #backprop}, elsewhere (here: always).
     */
    boolean unfoldedWeightGradient(INDArray input, INDArray outGrad, INDArray gradWeight) {
        return false;
    }

    @Override
    public void backwardInto(INDArray input, INDArray outGrad, INDArray inputGradient, INDArray weightTarget,
            boolean accumulate) {
        if (!directGradients(input, outGrad, inputGradient, weightScratch())) {
            backprop(input, outGrad, inputGradient, weightScratch());
        }
        NativeOps.store(weightScratch, weightTarget, accumulate);
    }

    @Override
    public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
        if (bias != null && !ElementLoops.channelSumsInto(outGrad, target, accumulate)) {
            NativeOps.store(outGrad.sum(0, 2, 3), target, accumulate);
        }
    }

    /**
     * A transposed convolution onto at most {@link #THIN_OUTPUT_CHANNELS} channels, {@code out = col2im(W'^T x_n)}
     * for each example {@code n}: W read as {@code W' [C, outC kH kW]} (its first dimension the channels of
     * {@code x}, as both a convolution's {@code [outC, inC, kH, kW]} seen from its transpose and a transposed
     * convolution's {@code [inC, outC, kH, kW]} lie), one product per example ({@link Gemm#productPerExample}),
     * then libnd4j's col2im adds the columns' overlapping windows into {@code out} with the given explicit padding.
     *
     * <p>oneDNN's kernels block channels by 16, so onto one channel its deconvolution computed 16 and took 1.6 ms for
     * the Fashion generator's output layer ({@code [64, 32, 14, 14]} to {@code [64, 1, 28, 28]}, 4x4 stride 2, one
     * OpenMP thread, Intel Xeon family 6 model 167, AVX-512), and 0.94 ms on two; this path 0.39 and 0.32 ms, equal
     * to float rounding (the sums are taken in another order). The same shape is the Fashion critic's input gradient
     * at its first layer, in every penalised step.
     *
     * @return false, having done nothing, when {@code out} has more channels, W or {@code x} is not c-contiguous, or
     *         the products cannot go straight to BLAS
     */
    final boolean thinTransposedInto(INDArray x, INDArray out, int[] explicitPadding) {
        long channels = x.size(1);
        long outC = out.size(1);
        if (outC > THIN_OUTPUT_CHANNELS || !Gemm.direct() || !ReshapedMap.cContiguous(weight)
                || !ReshapedMap.cContiguous(x) || !ReshapedMap.cContiguous(out) || weight.size(0) != channels) {
            return false;
        }
        long batch = x.size(0);
        long rows = x.size(2) * x.size(3);
        INDArray columns = transposedColumns.get(x.dataType(), batch, outC, kernel[0], kernel[1], x.size(2),
                x.size(3));
        if (!Gemm.productPerExample(weight.reshape(channels, outC * kernel[0] * kernel[1]),
                x.reshape(batch, channels, rows), columns.reshape(batch, outC * kernel[0] * kernel[1], rows))) {
            return false;
        }
        // col2im's arguments: stride, padding, the image's height and width, dilation, same mode (off)
        NativeOps.exec("col2im", new long[] {stride[0], stride[1], explicitPadding[0], explicitPadding[1],
            out.size(2), out.size(3), 1, 1, 0}, new INDArray[] {columns}, out);
        return true;
    }

    /** The forward op's inputs: {@code a} and W, and b when asked for and there is one. */
    final INDArray[] inputs(INDArray a, boolean withBias) {
        return withBias && bias != null ? new INDArray[] {a, weight, bias} : new INDArray[] {a, weight};
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
