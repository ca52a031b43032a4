package org.wgan.core;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The critic f of a Wasserstein GAN (the discriminator of a classic GAN): maps samples {@code [batch, ...]} to
 * one unbounded score per sample, {@code [batch, 1]}.
 *
 * <p>Training uses the pair {@link #forward(INDArray)} then {@link #backward(INDArray)}: the backward pass writes
 * the gradient with respect to the parameters into {@link #gradient()} and returns the gradient with respect to
 * the input, which is what the generator update needs. Neither call changes a parameter or the optimizer state;
 * only {@link #applyGradient()} does.
 *
 * <p>Start with {@code org.wgan.dl4j.MultiLayerCritic#of} (module wgan-dl4j) for a DL4J {@code MultiLayerNetwork}.
 */
public interface Critic extends TrainableNetwork {

    /**
     * Scores samples in inference mode, without keeping anything for a backward pass.
     *
     * @param samples {@code [batch, ...]}
     * @return scores {@code [batch, 1]}
     */
    INDArray score(INDArray samples);

    /**
     * Scores samples in training mode and keeps the activations a following {@link #backward} needs.
     *
     * @param samples {@code [batch, ...]}
     * @return scores {@code [batch, 1]}
     */
    INDArray forward(INDArray samples);

    /**
     * Backpropagates a loss gradient through the last {@link #forward} pass.
     *
     * @param scoreGradient d loss / d scores, {@code [batch, 1]}
     * @return d loss / d samples, the shape of the samples given to {@link #forward}
     * @throws IllegalStateException if no forward pass precedes it
     */
    INDArray backward(INDArray scoreGradient);

    /**
     * Backpropagates a loss gradient through the last {@link #forward} pass to the samples only, for a caller that
     * does not update the critic (the generator update). Implementations may skip the parameter gradient; after
     * this call {@link #gradient()} holds no gradient of this loss. The default runs {@link #backward}.
     *
     * @param scoreGradient d loss / d scores, {@code [batch, 1]}
     * @return d loss / d samples, the shape of the samples given to {@link #forward}
     * @throws IllegalStateException if no forward pass precedes it
     */
    default INDArray backwardToInput(INDArray scoreGradient) {
        return backward(scoreGradient);
    }

    /**
     * Backpropagates a loss gradient through the last {@link #forward} pass into {@link #gradient()} only, for a
     * caller that does not need the gradient at the samples (the critic update). Implementations may skip the
     * samples' gradient. The default runs {@link #backward} and drops it.
     *
     * @param scoreGradient d loss / d scores, {@code [batch, 1]}
     * @throws IllegalStateException if no forward pass precedes it
     */
    default void backwardParameters(INDArray scoreGradient) {
        backward(scoreGradient);
    }
}
