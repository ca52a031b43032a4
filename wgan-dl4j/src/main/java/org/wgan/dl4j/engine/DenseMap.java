package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@code a W (+ b)}: a dense layer, W {@code [nIn, nOut]}, every product a {@link Gemm} straight into the caller's
 * buffers.
 *
 * <p>DL4J keeps W in 'f' order inside the flat parameter vector, and the weight gradient's view likewise.
 * libnd4j's gemm ran 1.5-2x slower on those 'f'-order operands and targets than on 'c'-order ones (its BLAS
 * path wants one layout), so the products read the same memory as {@code W^T [nOut, nIn]} in 'c' order and
 * flip the transpose flags: {@code a W = a (W^T)^T}, {@code e W^T = e (W^T)}, {@code (a^T e)^T = e^T a}.
 */
final class DenseMap implements LinearMap {

    private final INDArray weight;
    private final INDArray bias;
    private final INDArray weightTransposed;
    private final INDArray biasRow;
    private INDArray lastTarget;
    private INDArray lastTargetTransposed;
    private INDArray ones;
    private final boolean straight;

    /**
     * W and b (null without a bias) are views of the network's flat parameters, read in place at every call;
     * {@code straight}: every product straight to OpenBLAS, whatever its size ({@link Gemm}'s {@code anySize}).
     */
    DenseMap(INDArray weight, INDArray bias, boolean straight) {
        this.straight = straight;
        this.weight = weight;
        this.bias = bias;
        this.weightTransposed = cOrderTranspose(weight);
        this.biasRow = rowView(bias);
    }

    /**
     * {@code z += 1 b} as a rank-1 product (one BLAS call, straight to OpenBLAS at these sizes: a few
     * microseconds) instead of ND4J's broadcast op (15-40 us of dispatch here); {@code 1 * b + z} rounds once,
     * as the broadcast's {@code z + b} does. The fused SIMD pass does this for float piecewise-linear layers;
     * this is the path of double precision and smooth activations.
     */
    @Override
    public void addBias(INDArray z) {
        if (biasRow != null && z.rank() == 2) {
            Gemm.gemm(ones(z), biasRow, z, false, false, 1.0, 1.0, straight);
        } else if (bias != null) {
            z.addiRowVector(bias);
        }
    }

    @Override
    public long[] outputShape(long[] inputShape) {
        return new long[] {inputShape[0], weight.size(1)};
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        if (weightTransposed != null) {
            Gemm.gemm(a, weightTransposed, out, false, true, 1.0, 0.0, straight);
        } else {
            Gemm.gemm(a, weight, out, false, false, 1.0, 0.0, straight);
        }
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        if (weightTransposed != null) {
            Gemm.gemm(e, weightTransposed, out, false, false, 1.0, 0.0, straight);
        } else {
            Gemm.gemm(e, weight, out, false, true, 1.0, 0.0, straight);
        }
    }

    @Override
    public void weightGradientInto(INDArray input, INDArray outGrad, INDArray target, boolean accumulate) {
        double beta = accumulate ? 1.0 : 0.0;
        if (target != lastTarget) {
            lastTarget = target;
            lastTargetTransposed = cOrderTranspose(target);
        }
        if (lastTargetTransposed != null) {
            Gemm.gemm(outGrad, input, lastTargetTransposed, true, false, 1.0, beta, straight);
        } else {
            Gemm.gemm(input, outGrad, target, true, false, 1.0, beta, straight);
        }
    }

    /** Column sums as {@code 1^T e}: a thin GEMM, several times faster than ND4J's sum over axis 0. */
    @Override
    public void biasGradientInto(INDArray outGrad, INDArray target, boolean accumulate) {
        if (bias == null) {
            return;
        }
        Gemm.gemm(ones(outGrad), outGrad, target.reshape(1, target.length()), true, false, 1.0,
                accumulate ? 1.0 : 0.0, straight);
    }

    /** A {@code [batch, 1]} column of ones, kept until the batch size or the type changes. */
    private INDArray ones(INDArray like) {
        if (ones == null || ones.size(0) != like.size(0) || ones.dataType() != like.dataType()) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                ones = Nd4j.ones(like.dataType(), like.size(0), 1);
            }
        }
        return ones;
    }

    /**
     * {@code bias} (a view of the flat parameters) as a {@code [1, n]} row over the same memory, or null when it is
     * null or no such view exists: the rank-1 bias update must read the parameters in place, never a copy.
     */
    private static INDArray rowView(INDArray bias) {
        if (bias == null || bias.length() == 0 || (bias.length() > 1 && bias.elementWiseStride() != 1)) {
            return null;
        }
        INDArray row = bias.rank() == 2 && bias.size(0) == 1 ? bias : bias.reshape(1, bias.length());
        return row.data().addressPointer().address() == bias.data().addressPointer().address() ? row : null;
    }

    /** The 'c'-order view of {@code m^T} when {@code m} is a contiguous 'f'-order matrix, else null. */
    private static INDArray cOrderTranspose(INDArray m) {
        if (m.rank() != 2 || m.ordering() != 'f' || m.length() < 2 || m.elementWiseStride() != 1) {
            return null;
        }
        INDArray transposed = m.transpose();
        return transposed.ordering() == 'c' && transposed.elementWiseStride() == 1 ? transposed : null;
    }
}
