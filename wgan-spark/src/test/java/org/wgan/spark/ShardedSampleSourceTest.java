package org.wgan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.data.ToyDatasets;

class ShardedSampleSourceTest {

    private static final INDArray FIRST = ToyDatasets.eightGaussians().next(7, new Random(1));
    private static final INDArray SECOND = ToyDatasets.eightGaussians().next(11, new Random(2));

    @Test
    void shardsTogetherReturnTheWholeBatchAndLeaveTheRandomSourceAlike() {
        ShardedSampleSource whole = ShardedSampleSource.whole(List.of(FIRST, SECOND));
        Random wholeRandom = new Random(5);
        Random firstRandom = new Random(5);
        Random secondRandom = new Random(5);
        for (int call = 0; call < 3; call++) {
            INDArray expected = whole.next(8, wholeRandom);
            INDArray first = ShardedSampleSource.shard(FIRST, 0, 2).next(4, firstRandom);
            INDArray second = ShardedSampleSource.shard(SECOND, 1, 2).next(4, secondRandom);
            assertThat(Nd4j.concat(0, first, second)).isEqualTo(expected);
        }
        double next = wholeRandom.nextDouble();
        assertThat(firstRandom.nextDouble()).isEqualTo(next);
        assertThat(secondRandom.nextDouble()).isEqualTo(next);
    }

    @Test
    void drawsEveryRowOfItsOwnShard() {
        INDArray batch = ShardedSampleSource.shard(SECOND, 1, 2).next(200, new Random(3));
        for (long row = 0; row < batch.size(0); row++) {
            INDArray sample = batch.getRow(row);
            boolean found = false;
            for (long i = 0; i < SECOND.size(0) && !found; i++) {
                found = SECOND.getRow(i).equals(sample);
            }
            assertThat(found).as("row %d comes from the shard", row).isTrue();
        }
    }

    @Test
    void rejectsAnEmptyShard() {
        assertThatThrownBy(() -> ShardedSampleSource.whole(List.of(FIRST, Nd4j.create(0, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shard 1 must hold at least one row, but was empty");
    }

    @Test
    void rejectsAShardIndexOutOfRange() {
        assertThatThrownBy(() -> ShardedSampleSource.shard(FIRST, 2, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("shardIndex must be in [0, 2), but was 2");
    }

    @Test
    void rejectsAWholeBatchThatIsNotAMultipleOfTheShards() {
        assertThatThrownBy(() -> ShardedSampleSource.whole(List.of(FIRST, SECOND)).next(5, new Random(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be a multiple of the shard count 2, but was 5");
    }
}
