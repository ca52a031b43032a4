package org.wgan.dl4j.engine;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.api.ops.impl.layers.convolution.DeConv2D;

/**
 * A 2-D convolution, NCHW, weights {@code [outC, inC, kH, kW]}, dilation 1: through oneDNN's primitives directly
 * ({@link DirectConvolution}: the forward, the input gradient and the weight gradient each on its own) for float32,
 * otherwise through libnd4j's conv2d and conv2d_bp ops (one conv2d_bp per backward call); results in the caller's
 * buffers or in scratch arrays kept from call to call.
 */
final class Conv2dMap extends KernelMap {

    /** Input channels up to which {@link #unfoldedWeightGradient} runs im2col and products rather than conv2d_bp. */
    static final long THIN_INPUT_CHANNELS = 4;

    /** im2col's outputs {@code [batch, inC, kH, kW, outH, outW]}, kept per shape from call to call. */
    private final NativeOps.Scratch columns = new NativeOps.Scratch();
    private final DirectConvolution direct;
    /** The bias gradient oneDNN writes, {@code [outC]}, copied into the caller's block. */
    private final NativeOps.Scratch biasScratch = new NativeOps.Scratch();

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    Conv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        super(weight, bias, kernel, stride, padding, sameMode, weight.size(0));
        direct = new DirectConvolution(kernel, stride, sameMode ? null : padding);
    }

    @Override
    public Conv2dMap convolution() {
        return this;
    }

    /**
     * Lays the convolution's input and output arrays out in oneDNN's layouts ({@link DirectConvolution#lay}); a
     * blocked array is never read as NCHW: where the direct calls would not apply, this map throws instead of
     * taking libnd4j's ops or its thin paths.
     */
    void lay(int inputTag, int outputTag) {
        direct.lay(inputTag, outputTag);
    }

    /** True when an input or output of this convolution is laid out in a blocked layout. */
    boolean blocked() {
        return direct.blocked();
    }

    @Override
    public void addBias(INDArray z) {
        requirePlain("the bias pass");
        super.addBias(z);
    }

    @Override
    public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
        if (bias != null) {
            requirePlain("the channel sums");
        }
        super.biasGradientInto(outGrad, target, accumulate);
    }

    /** Fails where a blocked array would reach a path that reads NCHW. */
    private void requirePlain(String path) {
        if (direct.blocked()) {
            throw new IllegalStateException(this + ": its arrays are in oneDNN's blocked layout, which " + path
                    + " cannot read");
        }
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        if (!direct.forward(a, weight, null, out)) {
            requirePlain("libnd4j's conv2d");
            NativeOps.exec(new Conv2D(), "conv2d", args, inputs(a, false), out);
        }
    }

    /** The convolution with its bias inside the primitive, where a separate pass read and wrote z. */
    @Override
    public void applyWithBiasInto(INDArray a, INDArray out) {
        if (!direct.forward(a, weight, bias, out)) {
            requirePlain("libnd4j's conv2d");
            NativeOps.exec(new Conv2D(), "conv2d", args, inputs(a, true), out);
        }
    }

    @Override
    public boolean applyLeakyInto(INDArray a, INDArray out, float slope) {
        return direct.forwardLeaky(a, weight, bias, out, slope);
    }

    /**
     * The weight gradient with the bias gradient inside oneDNN's backward-weights primitive, then the input
     * gradient (oneDNN's backward data, or the thin path of {@link #transposeInto}).
     */
    @Override
    public boolean backwardWithBiasInto(INDArray input, INDArray outGrad, INDArray inputGradient,
            INDArray weightTarget, INDArray biasTarget) {
        if (bias == null) {
            return false;
        }
        INDArray w = weightScratch();
        INDArray b = biasScratch.like(bias);
        if (!direct.backwardWeights(input, outGrad, w, b)) {
            return false;
        }
        NativeOps.store(w, weightTarget, false);
        NativeOps.store(b, biasTarget, false);
        if (inputGradient != null) {
            transposeInto(outGrad, inputGradient);
        }
        return true;
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        int[] explicit = explicitPadding(e.shape(), out.shape());
        if (explicit != null && !direct.blocked() && thinTransposedInto(e, out, explicit)
                || direct.backwardData(e, weight, out)) {
            return;
        }
        requirePlain("libnd4j's deconv2d and conv2d_bp");
        if (explicit != null) {
            // the transposed convolution of e with the same weights (deconv2d's weight format 1 reads
            // [outC, inC, kH, kW] as [its inC, its outC, kH, kW]): the input gradient alone, where conv2d_bp also
            // computes the weight gradient (1.4 against 3.2 ms at [64, 32, 14, 14] -> 64 channels, 4x4/2)
            NativeOps.exec(new DeConv2D(), "deconv2d", NativeOps.convolutionArguments(kernel, stride, explicit, false),
                    new INDArray[] {e, weight}, out);
            return;
        }
        // conv2d_bp reads the input only for the weight gradient, which is discarded here
        backprop(inputScratch(out), e, out, weightScratch());
    }

    /**
     * For inputs of at most {@link #THIN_INPUT_CHANNELS} channels (images), the weight gradient through im2col and
     * one product per example ({@link Gemm#sumOfProducts}), where oneDNN's backward-weights primitive
     * ({@link #directGradients}, tried first) does not run: that primitive took 1.1-1.2 against this path's 3.3-3.9
     * ms at [128, 1, 28, 28] -> 64 channels, 4x4/2 on one thread, 0.6-1.0 against 3.2-4.1 ms on two (AMD EPYC
     * family 25 model 17). On a thin input the input gradient conv2d_bp also computes is most of its time (one
     * OpenMP thread, same CPU: 18.6 against 2.8 ms for this path at that shape; PyTorch skips it there too), while
     * on 32 or 64 channels im2col alone took as long as the whole conv2d_bp, which is left to do the work there.
     */
    @Override
    boolean unfoldedWeightGradient(INDArray input, INDArray outGrad, INDArray gradWeight) {
        // im2col only where its products can run (Gemm's direct path), so it is never done for nothing
        int[] explicit = input.size(1) <= THIN_INPUT_CHANNELS && Gemm.direct() && !direct.blocked()
                ? explicitPadding(outGrad.shape(), input.shape()) : null;
        if (explicit == null) {
            return false;
        }
        long batch = input.size(0);
        long rows = outGrad.size(2) * outGrad.size(3);
        long unfoldedRows = weight.size(1) * kernel[0] * kernel[1];
        INDArray unfolded = columns.get(input.dataType(), batch, input.size(1), kernel[0], kernel[1],
                outGrad.size(2), outGrad.size(3));
        // im2col's arguments are conv2d's first nine: kernel, stride, padding, dilation, same mode (off)
        NativeOps.exec("im2col", Arrays.copyOf(NativeOps.convolutionArguments(kernel, stride, explicit, false), 9),
                new INDArray[] {input}, unfolded);
        // false for a type BLAS does not take (neither float nor double)
        return Gemm.sumOfProducts(outGrad.reshape(batch, outChannels, rows), unfolded.reshape(batch, unfoldedRows,
                rows), gradWeight.reshape(outChannels, unfoldedRows));
    }

    /**
     * The padding on each side, explicit, that the convolution from {@code input}'s shape to {@code outGrad}'s
     * used: its own, or same mode's {@code ((out - 1) stride + k - in) / 2}. deconv2d and im2col get it explicit:
     * the oneDNN build has no same-mode deconv2d and falls back to a loop 18x slower than conv2d_bp (1,774 against
     * 103 ms at [64, 64, 32, 32], 3x3, measured; 86-95 ms with explicit padding), and im2col's same-mode flag does
     * not give conv2d's padding. Null, leaving the work to conv2d_bp, where the strides skip input rows or columns
     * (deconv2d's output would be smaller) or same mode pads one side more than the other.
     */
    private int[] explicitPadding(long[] outGrad, long[] input) {
        int[] explicit = new int[2];
        for (int d = 0; d < 2; d++) {
            long total = (outGrad[2 + d] - 1) * stride[d] + kernel[d] - input[2 + d];
            boolean fits = sameMode ? total >= 0 && total % 2 == 0 : total == 2L * padding[d];
            if (!fits) {
                return null;
            }
            explicit[d] = (int) (total / 2);
        }
        return explicit;
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
    boolean directGradients(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        return (gradInput == null || direct.backwardData(outGrad, weight, gradInput))
                && (gradWeight == null || direct.backwardWeights(input, outGrad, gradWeight));
    }

    @Override
    void backprop(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        requirePlain("libnd4j's conv2d_bp");
        NativeOps.exec(new Conv2DDerivative(), "conv2d_bp", args, new INDArray[] {input, weight, outGrad}, gradInput,
                gradWeight);
    }
}
