package org.wgan.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The generator G: maps latent noise {@code [batch, latentSize]} to samples of any shape {@code [batch, ...]}.
 *
 * <p>The generator update backpropagates the generator loss through the critic (its input gradient) into the
 * generator: {@link #forward(INDArray)}, then {@link #backward(INDArray)} with d loss / d samples, then
 * {@link #applyGradient()}.
 *
 * <p>Start with {@code org.wgan.dl4j.MultiLayerGenerator#of} (module wgan-dl4j) for a DL4J {@code MultiLayerNetwork}.
 */
public interface Generator extends TrainableNetwork {

    /** Length of one latent vector. */
    int latentSize();

    /**
     * Generates samples in inference mode.
     *
     * @param latent {@code [batch, latentSize]}
     * @return samples {@code [batch, ...]}
     */
    INDArray generate(INDArray latent);

    /**
     * Generates samples in training mode and keeps what a following {@link #backward} needs.
     *
     * @param latent {@code [batch, latentSize]}
     * @return samples {@code [batch, ...]}
     */
    INDArray forward(INDArray latent);

    /**
     * Backpropagates d loss / d samples through the last {@link #forward} pass into {@link #gradient()}.
     *
     * @param sampleGradient the shape of the samples {@link #forward} returned
     * @throws IllegalStateException if no forward pass precedes it
     */
    void backward(INDArray sampleGradient);
}
