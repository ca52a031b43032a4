package org.wgan.spark;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.data.LatentSampler;

/**
 * One task's share of the latent noise: asked for {@code b} vectors, it draws the global batch's
 * {@code shardCount * b} from the delegate with the trainer's random source (in lockstep on every task) and keeps
 * rows {@code [shardIndex * b, (shardIndex + 1) * b)}, so the tasks' shares concatenated are what one process
 * drawing the global batch gets. Drawing the whole batch costs {@code shardCount} times the noise of a share,
 * which is small beside a network pass.
 */
final class ShardedLatentSampler implements LatentSampler {

    private final LatentSampler delegate;
    private final int shardIndex;
    private final int shardCount;

    ShardedLatentSampler(LatentSampler delegate, int shardIndex, int shardCount) {
        this.delegate = delegate;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    @Override
    public int latentSize() {
        return delegate.latentSize();
    }

    @Override
    public INDArray sample(int batchSize, Random random) {
        INDArray all = delegate.sample(Math.multiplyExact(batchSize, shardCount), random);
        long from = (long) shardIndex * batchSize;
        return all.get(NDArrayIndex.interval(from, from + batchSize), NDArrayIndex.all()).dup();
    }

    /** The delegate's, so checkpoints written by one task match every other task's settings. */
    @Override
    public String toString() {
        // the share count goes into the checkpoints' settings, so a resume with other workers is refused
        return delegate + " (" + shardCount + " shares of each batch)";
    }
}
