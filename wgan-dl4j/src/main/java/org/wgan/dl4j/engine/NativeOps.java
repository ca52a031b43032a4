package org.wgan.dl4j.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/**
 * What the linear maps share to call libnd4j's custom ops into preallocated outputs: one op through an
 * {@link OpContext} (no output allocated by ND4J), the store of a scratch result into a gradient block, and scratch
 * arrays kept from call to call outside any workspace.
 */
final class NativeOps {

    private NativeOps() {
    }

    /**
     * conv2d's, conv2d_bp's, deconv2d's and deconv2d_bp's integer arguments: kernel, stride, padding (0 in Same
     * mode, which computes it), dilation 1, Same mode, NCHW (0), weight format 1 (conv2d {@code [outC, inC, kH, kW]},
     * deconv2d {@code [inC, outC, kH, kW]}, as DL4J stores them).
     */
    static long[] convolutionArguments(int[] kernel, int[] stride, int[] padding, boolean sameMode) {
        return new long[] {kernel[0], kernel[1], stride[0], stride[1], sameMode ? 0 : padding[0],
            sameMode ? 0 : padding[1], 1, 1, sameMode ? 1 : 0, 0, 1};
    }

    /** {@code z[n, c, h, w] += bias[c]} in place for NCHW {@code z}; a no-op without a bias. */
    static void addChannelBias(INDArray z, INDArray bias, long channels) {
        if (bias != null && !ElementLoops.addChannelBias(z, bias)) {
            z.addi(bias.reshape(1, channels, 1, 1));
        }
    }

    /** The custom op {@code name} with integer arguments {@code args}, from {@code inputs} into {@code outputs}. */
    static void exec(String name, long[] args, INDArray[] inputs, INDArray... outputs) {
        exec(DynamicCustomOp.builder(name).build(), name, args, inputs, outputs);
    }

    /** {@code op} (named {@code name} in the error) into the given outputs. */
    static void exec(CustomOp op, String name, long[] args, INDArray[] inputs, INDArray... outputs) {
        try (OpContext context = Nd4j.getExecutioner().buildContext()) {
            context.setIArguments(args);
            for (int i = 0; i < inputs.length; i++) {
                context.setInputArray(i, inputs[i]);
            }
            for (int i = 0; i < outputs.length; i++) {
                context.setOutputArray(i, outputs[i]);
            }
            Nd4j.exec(op, context);
        } catch (Exception e) {
            throw new IllegalStateException(name + " failed", e);
        }
    }

    /** {@code value} reshaped like {@code target}, written into it or, when {@code accumulate}, added to it. */
    static void store(INDArray value, INDArray target, boolean accumulate) {
        INDArray shaped = value.reshape(target.shape());
        if (accumulate) {
            target.addi(shaped);
        } else {
            target.assign(shaped);
        }
    }

    /**
     * Scratch arrays kept per shape and type: a map whose passes alternate between input shapes (the critic's
     * batch of real and generated samples, the penalty's interpolates) keeps one array for each instead of
     * allocating and zeroing a new one at every switch. Bounded, like the passes' own buffers, by the shapes seen.
     */
    static final class Scratch {
        private final Map<List<Object>, INDArray> arrays = new HashMap<>();

        /** The array of this type and shape, made (zeros, outside any workspace) on first use. */
        INDArray get(DataType type, long... shape) {
            List<Object> key = new ArrayList<>(shape.length + 1);
            key.add(type);
            for (long size : shape) {
                key.add(size);
            }
            return arrays.computeIfAbsent(key, k -> zerosOutsideWorkspaces(type, shape));
        }

        /** The array shaped and typed like {@code like}. */
        INDArray like(INDArray like) {
            return get(like.dataType(), like.shape());
        }
    }

    /** A new array of zeros outside any workspace (the caller keeps it for the next call). */
    private static INDArray zerosOutsideWorkspaces(DataType type, long... shape) {
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            return Nd4j.zeros(type, shape);
        }
    }

    /** Checks that {@code shape} is rank 4 ({@code [batch, channels, height, width]}); the message names the layer. */
    static void requireNchw(long[] shape, String layer) {
        if (shape.length != 4) {
            throw new IllegalArgumentException(layer + " needs NCHW input [batch, channels, height, width], but got "
                    + Arrays.toString(shape));
        }
    }
}
