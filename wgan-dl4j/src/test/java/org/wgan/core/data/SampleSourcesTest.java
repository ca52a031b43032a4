package org.wgan.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.datasets.iterator.utilty.ListDataSetIterator;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

class SampleSourcesTest {

    /** Ten examples whose features are the row (k, 10 + k), k = 0..9, in iterator batches of {@code batch}. */
    private static ListDataSetIterator<DataSet> tenRows(int batch) {
        double[] features = new double[20];
        double[] labels = new double[10];
        for (int k = 0; k < 10; k++) {
            features[2 * k] = k;
            features[2 * k + 1] = 10 + k;
            labels[k] = -k;
        }
        DataSet data = new DataSet(Nd4j.create(features, new long[] {10, 2}, 'c'),
                Nd4j.create(labels, new long[] {10, 1}, 'c'));
        return new ListDataSetIterator<>(data.asList(), batch);
    }

    private static List<Integer> rowIndices(INDArray batch) {
        List<Integer> out = new ArrayList<>();
        for (double[] row : batch.toDoubleMatrix()) {
            // features, not labels: the second column is always 10 more than the first
            assertThat(row[1]).isEqualTo(row[0] + 10);
            out.add((int) row[0]);
        }
        return out;
    }

    @Test
    void cutsRequestedBatchesFromTheIteratorsBatchesInOrder() {
        SampleSource source = SampleSources.of(tenRows(4));
        Random random = new Random(1);

        assertThat(rowIndices(source.next(3, random))).containsExactly(0, 1, 2);
        assertThat(rowIndices(source.next(3, random))).containsExactly(3, 4, 5);
        assertThat(rowIndices(source.next(3, random))).containsExactly(6, 7, 8);
    }

    @Test
    void wrapsAroundAfterResetForeverInOrder() {
        SampleSource source = SampleSources.of(tenRows(4));
        Random random = new Random(1);
        List<Integer> seen = new ArrayList<>();

        for (int call = 0; call < 10; call++) {
            INDArray batch = source.next(3, random);
            assertThat(batch.shape()).containsExactly(3, 2);
            seen.addAll(rowIndices(batch));
        }

        // 30 rows: three passes over 0..9, the fourth batch being (9, 0, 1)
        for (int i = 0; i < seen.size(); i++) {
            assertThat(seen.get(i)).as("row %d", i).isEqualTo(i % 10);
        }
    }

    @Test
    void aBatchLargerThanTheDataSetSpansSeveralPasses() {
        SampleSource source = SampleSources.of(tenRows(4));

        List<Integer> rows = rowIndices(source.next(25, new Random(1)));

        assertThat(rows).hasSize(25);
        for (int i = 0; i < rows.size(); i++) {
            assertThat(rows.get(i)).isEqualTo(i % 10);
        }
        assertThat(rowIndices(source.next(2, new Random(1)))).containsExactly(5, 6);
    }

    @Test
    void batchesMatchingTheIteratorsAreReturnedWhole() {
        SampleSource source = SampleSources.of(tenRows(5));
        Random random = new Random(1);

        assertThat(rowIndices(source.next(5, random))).containsExactly(0, 1, 2, 3, 4);
        assertThat(rowIndices(source.next(5, random))).containsExactly(5, 6, 7, 8, 9);
        assertThat(rowIndices(source.next(5, random))).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void theRandomSourceDoesNotChangeTheOrder() {
        SampleSource first = SampleSources.of(tenRows(4));
        SampleSource second = SampleSources.of(tenRows(4));

        for (int call = 0; call < 5; call++) {
            assertThat(first.next(3, new Random(call)).toDoubleMatrix())
                    .isDeepEqualTo(second.next(3, new Random(100 + call)).toDoubleMatrix());
        }
    }

    @Test
    void rejectsAnIteratorThatCannotBeReset() {
        DataSetIterator oneShot = new ListDataSetIterator<>(tenRows(4).next(10).asList(), 4) {
            @Override
            public boolean resetSupported() {
                return false;
            }
        };

        assertThatIllegalArgumentException().isThrownBy(() -> SampleSources.of(oneShot))
                .withMessageStartingWith("iterator must support reset() to be read for many epochs, but ")
                .withMessageEndingWith(" does not")
                .withMessageContaining(oneShot.getClass().getName());
    }
}
