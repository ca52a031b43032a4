package org.wgan.dl4j.engine;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastCopyOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Global sum or average pooling over the spatial axes (DL4J's {@code GlobalPoolingLayer} with {@code PoolingType.SUM}
 * or {@code AVG}, NCHW input, collapsed output {@code [batch, channels]}), without parameters:
 * {@code L(a)[n, c] = w sum_{i, j} a[n, c, i, j]} and {@code L^T(e)[n, c, i, j] = w e[n, c]}, with {@code w = 1}
 * for SUM and {@code w = 1 / (H W)} for AVG.
 */
final class GlobalPoolMap extends ParameterFreeMap {

    private final boolean average;

    /** {@code average}: AVG when true, SUM when false. */
    GlobalPoolMap(boolean average) {
        this.average = average;
    }

    @Override
    public long[] outputShape(long[] in) {
        NativeOps.requireNchw(in, "GlobalPoolingLayer");
        return new long[] {in[0], in[1]};
    }

    @Override
    public void applyInto(INDArray a, INDArray out) {
        if (average) {
            a.mean(out, 2, 3);
        } else {
            a.sum(out, 2, 3);
        }
    }

    @Override
    public void transposeInto(INDArray e, INDArray out) {
        Nd4j.getExecutioner().exec(new BroadcastCopyOp(out, e, out, 0, 1));
        if (average) {
            out.divi(out.size(2) * out.size(3));
        }
    }

    @Override
    public String toString() {
        return average ? "global average pooling" : "global sum pooling";
    }
}
