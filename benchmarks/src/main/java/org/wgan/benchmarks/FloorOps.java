package org.wgan.benchmarks;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Conv2DDerivative;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.dl4j.engine.DirectConvolution;

/**
 * The convolution calls the floors run, made as the engine's {@code Conv2dMap} makes them: oneDNN's primitives
 * directly ({@link DirectConvolution}, one instance per geometry so its plans are kept) where they load, else one
 * libnd4j op through an {@link OpContext} into preallocated outputs; no bias input.
 */
final class FloorOps {

    /** The direct convolution of each argument list (kernel, stride, padding, same mode), made on first use. */
    private static final Map<List<Long>, DirectConvolution> DIRECT = new HashMap<>();

    private FloorOps() {
    }

    /**
     * conv2d's and conv2d_bp's integer arguments as the engine's {@code NativeOps.convolutionArguments} makes them:
     * kernel, stride, padding (0 in Same mode, which computes it), dilation 1, Same mode, NCHW, weights
     * {@code [outC, inC, kH, kW]}.
     */
    static long[] convolutionArguments(int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        return new long[] {kernel[0], kernel[1], stride[0], stride[1], sameMode ? 0 : padding[0],
            sameMode ? 0 : padding[1], 1, 1, sameMode ? 1 : 0, 0, 1};
    }

    /** conv2d of {@code input} with {@code weight} into {@code output}. */
    static void conv(INDArray input, INDArray weight, INDArray output, long[] args) {
        if (direct(args).forward(input, weight, null, output)) {
            return;
        }
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setIArguments(args);
            context.setInputArray(0, input);
            context.setInputArray(1, weight);
            context.setOutputArray(0, output);
            Nd4j.exec(new Conv2D(), context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** conv2d_bp: the gradients at the input and at the weights of {@code outGrad} at the output, in one call. */
    static void convBackprop(INDArray input, INDArray weight, INDArray outGrad, INDArray gradInput,
            INDArray gradWeight, long[] args) {
        DirectConvolution direct = direct(args);
        if (direct.backwardData(outGrad, weight, gradInput) && direct.backwardWeights(input, outGrad, gradWeight)) {
            return;
        }
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setIArguments(args);
            context.setInputArray(0, input);
            context.setInputArray(1, weight);
            context.setInputArray(2, outGrad);
            context.setOutputArray(0, gradInput);
            context.setOutputArray(1, gradWeight);
            Nd4j.exec(new Conv2DDerivative(), context);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static DirectConvolution direct(long[] args) {
        List<Long> key = Arrays.stream(args, 0, 9).boxed().toList();
        return DIRECT.computeIfAbsent(key, k -> new DirectConvolution(new int[] {(int) args[0], (int) args[1]},
                new int[] {(int) args[2], (int) args[3]}, args[8] == 1 ? null : new int[] {(int) args[4],
                    (int) args[5]}));
    }
}
