package org.wgan.core.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.internal.Checks;

/** Adapters that turn other data into a {@link SampleSource}. */
public final class SampleSources {

    private SampleSources() {
    }

    /**
     * Real samples from a DL4J iterator's features (labels are ignored). Batches of any requested size are cut
     * from the iterator's own batches; the iterator is reset when exhausted, so the source never runs dry. The
     * iterator's own order is used (shuffle in the iterator if wanted); the random source is not consulted.
     * {@code DataSet}s with zero rows are skipped; the source's {@code next} throws an
     * {@link IllegalStateException} naming the iterator when a whole pass after a {@code reset()} yields no rows,
     * or when a {@code DataSet} has no features (labels only).
     *
     * @throws IllegalArgumentException if the iterator cannot be reset
     */
    public static SampleSource of(DataSetIterator iterator) {
        Objects.requireNonNull(iterator, "iterator");
        if (!iterator.resetSupported()) {
            throw new IllegalArgumentException("iterator must support reset() to be read for many epochs, but "
                    + iterator.getClass().getName() + " does not");
        }
        return new IteratorSource(iterator);
    }

    private static final class IteratorSource implements SampleSource {
        private final DataSetIterator iterator;
        private final Deque<INDArray> pending = new ArrayDeque<>();
        /** Whether this source has reset the iterator, and the DataSets with rows read since it last did. */
        private boolean wrapped;
        private long nonEmptySinceReset;

        IteratorSource(DataSetIterator iterator) {
            this.iterator = iterator;
        }

        @Override
        public INDArray next(int batchSize, Random random) {
            Checks.atLeast("batchSize", batchSize, 1);
            List<INDArray> parts = new ArrayList<>();
            long have = 0;
            while (have < batchSize) {
                INDArray chunk = pending.isEmpty() ? nextChunk() : pending.poll();
                long need = batchSize - have;
                if (chunk.size(0) > need) {
                    parts.add(rows(chunk, 0, need));
                    pending.push(rows(chunk, need, chunk.size(0)));
                    have += need;
                } else {
                    parts.add(chunk);
                    have += chunk.size(0);
                }
            }
            return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
        }

        /** The features of the iterator's next DataSet with at least one row; at most one pass more than needed. */
        private INDArray nextChunk() {
            while (true) {
                if (!iterator.hasNext()) {
                    if (wrapped && nonEmptySinceReset == 0) {
                        throw new IllegalStateException("data set iterator " + iterator + " yields no rows: a whole"
                                + " pass after reset() gave only DataSets with 0 examples");
                    }
                    iterator.reset();
                    wrapped = true;
                    nonEmptySinceReset = 0;
                    if (!iterator.hasNext()) {
                        throw new IllegalStateException("data set iterator " + iterator + " is empty after reset()");
                    }
                }
                DataSet data = iterator.next();
                if (data == null) {
                    throw new IllegalStateException("data set iterator " + iterator + " returned null from next()");
                }
                INDArray features = data.getFeatures();
                if (features == null) {
                    throw new IllegalStateException("data set iterator " + iterator + " gave a DataSet without"
                            + " features (labels " + (data.getLabels() == null ? "none"
                            : Arrays.toString(data.getLabels().shape())) + "); the real samples are its features");
                }
                if (!features.isEmpty() && (features.rank() == 0 || features.size(0) > 0)) {
                    nonEmptySinceReset++;
                    return features;
                }
            }
        }

        @Override
        public String toString() {
            return "SampleSources.of(" + iterator + ")";
        }

        private static INDArray rows(INDArray array, long from, long to) {
            return array.get(NDArrayIndex.interval(from, to)).dup();
        }
    }
}
