package org.wgan.dl4j;

import java.util.Map;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.wgan.core.Generator;
import org.wgan.dl4j.engine.NetworkEngine;

/**
 * A {@link Generator} over a DL4J {@link MultiLayerNetwork} mapping {@code [batch, latentSize]} to samples. The
 * last layer must have no built-in loss (e.g. a {@code DenseLayer} with identity or tanh activation). The
 * network's own updater is the generator's optimizer.
 */
public final class MultiLayerGenerator extends GeneratorAdapter {

    /** The seed of {@link #withSpectralNormalization(MultiLayerNetwork)}'s power-iteration vectors. */
    public static final long DEFAULT_SPECTRAL_NORMALIZATION_SEED = MultiLayerCritic.DEFAULT_SPECTRAL_NORMALIZATION_SEED;

    private MultiLayerGenerator(NetworkEngine engine) {
        super(engine, latentSize(engine.network()));
    }

    private static int latentSize(MultiLayerNetwork network) {
        org.deeplearning4j.nn.conf.layers.Layer first = network.getLayer(0).conf().getLayer();
        if (!(first instanceof FeedForwardLayer ff) || ff.getNIn() < 1) {
            throw new IllegalArgumentException("generator network's first layer (index 0, "
                    + first.getClass().getSimpleName() + ") must be a feed-forward layer with nIn >= 1 (the latent"
                    + " size)");
        }
        return Math.toIntExact(ff.getNIn());
    }

    @Override
    MultiLayerGenerator copyOfNetwork(boolean spectrallyNormalised) {
        return spectrallyNormalised ? withSpectralNormalization(network().clone()) : of(network().clone());
    }

    /** The wrapped network (shared, not copied). */
    public MultiLayerNetwork network() {
        return engine.network();
    }

    /**
     * Wraps an initialised network whose first layer's {@code nIn} is the latent size.
     *
     * @throws IllegalArgumentException if the network is not initialised, ends in an output layer with a loss,
     *                                  has no parameters, does not start with a feed-forward layer, or a layer's
     *                                  updater has a learning rate that is NaN, infinite or not positive (DL4J would
     *                                  run it silently)
     */
    public static MultiLayerGenerator of(MultiLayerNetwork network) {
        return new MultiLayerGenerator(new NetworkEngine(network, "generator"));
    }

    /**
     * Wraps an initialised network whose every dense, convolution and deconvolution weight W is spectrally
     * normalised (Miyato et al. 2018), as {@link MultiLayerCritic#withSpectralNormalization(MultiLayerNetwork)}
     * normalises a critic's: the passes read {@code W / sigma(W)}, sigma from one power iteration per update on
     * persistent vectors u, the gradient taken through sigma. A {@code Deconvolution2D} kernel, stored by DL4J as
     * {@code [in, out, kh, kw]}, is read as the matrix {@code [in, out * kh * kw]}. The network keeps the raw
     * weights (what the optimizer updates, checkpoints save and {@link #network()} computes with); {@link #generate}
     * applies the normalisation. The vectors are checkpointed as {@code generator.spectralNormalization.u.layer<i>}
     * and a {@link GeneratorEma}'s average normalises with the trained generator's vectors. Vectors drawn with
     * {@link #DEFAULT_SPECTRAL_NORMALIZATION_SEED}.
     *
     * @throws IllegalArgumentException as {@link #of}, or naming the first layer the engine's own passes do not run
     */
    public static MultiLayerGenerator withSpectralNormalization(MultiLayerNetwork network) {
        return withSpectralNormalization(network, DEFAULT_SPECTRAL_NORMALIZATION_SEED);
    }

    /** As {@link #withSpectralNormalization(MultiLayerNetwork)}, with the vectors drawn from {@code seed}. */
    public static MultiLayerGenerator withSpectralNormalization(MultiLayerNetwork network, long seed) {
        return new MultiLayerGenerator(NetworkEngine.withSpectralNormalization(network, "generator", seed));
    }

    /**
     * The largest singular value each spectrally normalised weight is divided by now, by layer index; empty
     * without spectral normalisation.
     */
    public Map<Integer, Double> spectralNorms() {
        return engine.spectralNorms();
    }

    @Override
    public String toString() {
        return "MultiLayerGenerator[latentSize=" + latentSize() + ", parameters=" + numParameters()
                + (engine.spectralNormalizationVectors().isEmpty() ? "" : ", spectral normalisation") + "]";
    }
}
