package org.wgan.dl4j;

import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wgan.core.Critic;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * A {@link Critic} over a DL4J {@link MultiLayerNetwork} whose last layer has one output and no built-in loss
 * (e.g. a {@code DenseLayer} with {@code nOut(1)} and the identity activation). The network's own updater
 * (configured in its {@code NeuralNetConfiguration}) is the critic's optimizer; see
 * {@link org.wgan.dl4j.Optimizers} for the papers' settings.
 *
 * <p>Every entry ({@link #score}, {@link #forward}, {@link #inputGradient}) checks the samples' shape against the
 * layers before the first product and names the first layer they do not fit (index, type) with both shapes, as
 * DL4J's own checks do: a wrong width or rank fails there rather than as a libnd4j "Op [matmul] execution failed".
 */
public final class MultiLayerCritic extends CriticAdapter implements CheckpointParticipant {

    /** The seed of {@link #withSpectralNormalization(MultiLayerNetwork)}'s power-iteration vectors. */
    public static final long DEFAULT_SPECTRAL_NORMALIZATION_SEED = 1;

    private MultiLayerCritic(MultiLayerNetwork network) {
        super(new NetworkEngine(network, "critic"));
    }

    private MultiLayerCritic(NetworkEngine engine) {
        super(engine);
    }

    /** The wrapped network (shared, not copied). */
    public MultiLayerNetwork network() {
        return engine.network();
    }

    /**
     * Wraps an initialised network.
     *
     * @throws IllegalArgumentException if the network is not initialised, ends in an output layer with a loss,
     *                                  has no parameters, or a layer's updater has a learning rate that is NaN,
     *                                  infinite or not positive (DL4J would run it silently)
     */
    public static MultiLayerCritic of(MultiLayerNetwork network) {
        return new MultiLayerCritic(network);
    }

    /**
     * Wraps an initialised network whose every dense and convolution weight W is spectrally normalised (Miyato et
     * al. 2018): the critic computes with {@code W / sigma(W)}, {@code sigma} the largest singular value estimated
     * by one power iteration per update on a persistent vector, the gradient taken through {@code sigma}. The
     * network's parameters (and checkpoints) keep the raw W; the vectors are saved in the trainer's checkpoints
     * (the critic is a {@link CheckpointParticipant}, which the trainer registers itself). It composes with the
     * gradient penalty. DL4J's own {@code network().output(...)} does not normalise: score through this critic.
     * Vectors drawn with {@link #DEFAULT_SPECTRAL_NORMALIZATION_SEED}.
     *
     * @throws IllegalArgumentException as {@link #of}, or naming the first layer the engine's own passes do not run
     *                                  (dense, convolution and activation layers only)
     */
    public static MultiLayerCritic withSpectralNormalization(MultiLayerNetwork network) {
        return withSpectralNormalization(network, DEFAULT_SPECTRAL_NORMALIZATION_SEED);
    }

    /** As {@link #withSpectralNormalization(MultiLayerNetwork)}, with the vectors drawn from {@code seed}. */
    public static MultiLayerCritic withSpectralNormalization(MultiLayerNetwork network, long seed) {
        return new MultiLayerCritic(NetworkEngine.withSpectralNormalization(network, "critic", seed));
    }

    /**
     * The largest singular value each spectrally normalised weight is divided by now, by layer index; empty
     * without spectral normalisation.
     */
    public Map<Integer, Double> spectralNorms() {
        return engine.spectralNorms();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Supported: {@code DenseLayer} (with or without bias and layer norm), 2-D {@code ConvolutionLayer} (NCHW,
     * any stride and padding, Truncate or Same mode, dilation 1) and {@code ActivationLayer}, with the activations
     * identity, ReLU, LeakyReLU, tanh, sigmoid, ELU and softplus, and the NCHW reshaping preprocessors between
     * convolution and dense layers; no dropout or weight noise.
     */
    @Override
    public void requireTwiceDifferentiable() {
        engine.requireTwiceDifferentiable();
    }

    @Override
    public String toString() {
        return "MultiLayerCritic[layers=" + network().getnLayers() + ", parameters=" + numParameters()
                + (engine.spectralNormalizationVectors().isEmpty() ? "" : ", spectral normalisation") + "]";
    }
}
