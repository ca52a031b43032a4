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
 * For float32 the map runs on oneDNN's primitives directly ({@link DirectConvolution} of that convolution): its
 * backward data is this map, its forward this map's transpose, its backward weights this map's weight gradient.
 *
 * <p>Same mode pads {@code k - s} in all, whatever the input's size. Where that is even in both dimensions (4x4
 * stride 2, 3x3 stride 1) the map runs as Truncate with explicit padding {@code (k - s) / 2} on each side, which
 * gives the same output: libnd4j's oneDNN build has no same-mode deconv2d, and its fallback loop ran 18x slower
 * than the convolution with explicit padding (DESIGN.md section 7 candidates; JOURNAL). Odd totals, which same
 * mode splits unevenly, keep same mode.
 */
final class Deconv2dMap extends KernelMap {

    /** The convolution from this map's output to its input, whose transpose this map is; null in odd same mode. */
    private final DirectConvolution direct;

    /**
     * W and b (null without a bias) are views of the network's flat parameters.
     *
     * @param sameMode true for DL4J's ConvolutionMode.Same (padding computed), false for Truncate/Strict with
     *                 explicit padding
     */
    Deconv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        this(weight, bias, kernel, stride, sameMode ? symmetricSamePadding(kernel, stride) : null, padding, sameMode);
    }

    private Deconv2dMap(INDArray weight, INDArray bias, int[] kernel, int[] stride, int[] samePadding,
            int[] padding, boolean sameMode) {
        super(weight, bias, kernel, stride, samePadding != null ? samePadding : padding,
                sameMode && samePadding == null, weight.size(1));
        direct = sameMode && samePadding == null ? null
                : new DirectConvolution(kernel, stride, samePadding != null ? samePadding : padding);
    }


    /** Same mode's padding on each side, {@code (k - s) / 2}, where it is even and not negative; else null. */
    static int[] symmetricSamePadding(int[] kernel, int[] stride) {
        int[] padding = new int[2];
        for (int d = 0; d < 2; d++) {
            int total = kernel[d] - stride[d];
            if (total < 0 || total % 2 != 0) {
                return null;
            }
            padding[d] = total / 2;
        }
        return padding;
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        apply(a, out, false);
    }

    /** deconv2d with its bias input (as {@link Conv2dMap#applyWithBiasInto}); thin outputs add it after col2im. */
    @Override
    public void applyWithBiasInto(INDArray a, INDArray out) {
        apply(a, out, true);
    }

    private void apply(INDArray a, INDArray out, boolean withBias) {
        if (!sameMode && thinTransposedInto(a, out, padding)) {
            if (withBias) {
                addBias(out);
            }
            return;
        }
        if (direct != null && direct.backwardData(a, weight, out)) {
            if (withBias) {
                addBias(out);
            }
            return;
        }
        NativeOps.exec(new DeConv2D(), "deconv2d", args, inputs(a, withBias), out);
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        if (direct != null && direct.forward(e, weight, null, out)) {
            return;
        }
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

    /** The input's gradient is the convolution of the output's; W's is that convolution's weight gradient. */
    @Override
    boolean directGradients(INDArray input, INDArray outGrad, INDArray gradInput, INDArray gradWeight) {
        return direct != null && (gradInput == null || direct.forward(outGrad, weight, null, gradInput))
                && (gradWeight == null || direct.backwardWeights(outGrad, input, gradWeight));
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
