package org.wgan.spark;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.data.SampleSource;

/**
 * Real samples held in {@code shardCount} equal-weight shards (a Spark RDD's partitions), drawn so that the shards'
 * views together return exactly what one process drawing the whole batch returns.
 *
 * <p>The rule, for a global batch of {@code B = shardCount * b} rows: each call draws one {@code nextDouble()}
 * {@code u_i} per row {@code i = 0 .. B-1}, in order, from the trainer's random source; row {@code i} comes from
 * shard {@code i / b}, at row {@code floor(u_i * rows of that shard)} (uniform, with replacement). A shard's view
 * ({@link #shard}) is asked for its {@code b} rows, takes the same {@code B} draws and keeps its own rows, so every
 * view leaves the random source in the state {@link #whole} leaves it in. Each shard carries weight
 * {@code 1 / shardCount} in every batch, whatever its size.
 */
public final class ShardedSampleSource implements SampleSource {

    private final List<INDArray> shards;
    private final int shardIndex;
    private final int shardCount;

    private ShardedSampleSource(List<INDArray> shards, int shardIndex, int shardCount) {
        this.shards = shards;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    /**
     * One process's source over every shard: {@code next(B, random)} returns the shards' views' batches
     * concatenated in shard order. This is the single-process reference of a distributed run.
     *
     * @param shards the shards in task order, each {@code [rows, ...]} with at least one row, all of one sample shape
     * @throws IllegalArgumentException if there is no shard, a shard is empty, or the sample shapes differ
     */
    public static ShardedSampleSource whole(List<INDArray> shards) {
        Objects.requireNonNull(shards, "shards");
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("shards must hold at least one shard, but was empty");
        }
        for (int i = 0; i < shards.size(); i++) {
            requireRows(Objects.requireNonNull(shards.get(i), "shards[" + i + "]"), i);
            long[] shape = sampleShape(shards.get(i));
            if (!Arrays.equals(shape, sampleShape(shards.get(0)))) {
                throw new IllegalArgumentException("every shard must hold samples of one shape, but shard 0 holds "
                        + Arrays.toString(sampleShape(shards.get(0))) + " and shard " + i + " holds "
                        + Arrays.toString(shape));
            }
        }
        return new ShardedSampleSource(List.copyOf(shards), -1, shards.size());
    }

    /**
     * One shard's view: {@code next(b, random)} returns its {@code b} rows of a global batch of
     * {@code shardCount * b}.
     *
     * @param rows       this shard's samples, {@code [rows, ...]}, at least one row
     * @param shardIndex this shard's position, {@code 0 <= shardIndex < shardCount}
     * @param shardCount number of shards, at least 1
     * @throws IllegalArgumentException if the shard is empty or the index is out of range
     */
    public static ShardedSampleSource shard(INDArray rows, int shardIndex, int shardCount) {
        Objects.requireNonNull(rows, "rows");
        if (shardCount < 1) {
            throw new IllegalArgumentException("shardCount must be >= 1, but was " + shardCount);
        }
        if (shardIndex < 0 || shardIndex >= shardCount) {
            throw new IllegalArgumentException("shardIndex must be in [0, " + shardCount + "), but was " + shardIndex);
        }
        requireRows(rows, shardIndex);
        return new ShardedSampleSource(List.of(rows), shardIndex, shardCount);
    }

    @Override
    public INDArray next(int batchSize, Random random) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
        }
        boolean whole = shardIndex < 0;
        if (whole && batchSize % shardCount != 0) {
            throw new IllegalArgumentException("batchSize must be a multiple of the shard count " + shardCount
                    + ", but was " + batchSize);
        }
        int perShard = whole ? batchSize / shardCount : batchSize;
        int total = perShard * shardCount;
        INDArray first = shards.get(0);
        INDArray out = Nd4j.create(first.dataType(), outShape(first, whole ? total : perShard));
        int written = 0;
        for (int i = 0; i < total; i++) {
            double u = random.nextDouble();
            int shard = i / perShard;
            if (whole || shard == shardIndex) {
                INDArray rows = whole ? shards.get(shard) : first;
                long row = Math.min((long) (u * rows.size(0)), rows.size(0) - 1);
                out.get(NDArrayIndex.point(written)).assign(rows.get(NDArrayIndex.point(row)));
                written++;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "ShardedSampleSource[shards=" + shardCount + (shardIndex < 0 ? "" : ", shard=" + shardIndex) + "]";
    }

    private static void requireRows(INDArray rows, int index) {
        if (rows.rank() < 1 || rows.size(0) < 1) {
            throw new IllegalArgumentException("shard " + index + " must hold at least one row, but was empty");
        }
    }

    private static long[] sampleShape(INDArray rows) {
        return Arrays.copyOfRange(rows.shape(), 1, rows.rank());
    }

    private static long[] outShape(INDArray rows, long batch) {
        long[] shape = rows.shape().clone();
        shape[0] = batch;
        return shape;
    }
}
