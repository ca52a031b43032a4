package org.wgan.core.data;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where real samples come from: each call returns a fresh batch {@code [batch, ...]}.
 *
 * <p>Implementations: the toy datasets in {@link ToyDatasets}, Fashion-MNIST through
 * {@link FashionMnist#samples(FashionMnist.Split)}, and any DL4J {@code DataSetIterator} through
 * {@link SampleSources#of(org.nd4j.linalg.dataset.api.iterator.DataSetIterator)}.
 */
@FunctionalInterface
public interface SampleSource {

    /**
     * The next batch of real samples.
     *
     * @param batchSize number of samples, {@code >= 1}
     * @param random    the trainer's seeded random source; sources that draw samples use only this
     * @return {@code [batchSize, ...]}
     * @throws IllegalArgumentException if batchSize is below 1
     */
    INDArray next(int batchSize, Random random);
}
