package org.wgan.core.data;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Draws the generator's latent noise z. Factories: {@link LatentSamplers}. */
public interface LatentSampler {

    /** Length of one latent vector. */
    int latentSize();

    /**
     * Draws a batch of latent vectors.
     *
     * @param batchSize {@code >= 1}
     * @param random    the trainer's seeded random source
     * @return {@code [batchSize, latentSize]}
     * @throws IllegalArgumentException if batchSize is below 1
     */
    INDArray sample(int batchSize, Random random);
}
