package org.wgan.dl4j;

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

    private MultiLayerGenerator(MultiLayerNetwork network) {
        super(new NetworkEngine(network, "generator"), latentSize(network));
    }

    private static int latentSize(MultiLayerNetwork network) {
        org.deeplearning4j.nn.conf.layers.Layer first = java.util.Objects.requireNonNull(network, "generator")
                .getLayer(0).conf().getLayer();
        if (!(first instanceof FeedForwardLayer ff) || ff.getNIn() < 1) {
            throw new IllegalArgumentException("generator network's first layer (index 0, "
                    + first.getClass().getSimpleName() + ") must be a feed-forward layer with nIn >= 1 (the latent"
                    + " size)");
        }
        return Math.toIntExact(ff.getNIn());
    }

    @Override
    MultiLayerGenerator copy() {
        return of(network().clone());
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
        return new MultiLayerGenerator(network);
    }

    @Override
    public String toString() {
        return "MultiLayerGenerator[latentSize=" + latentSize() + ", parameters=" + numParameters() + "]";
    }
}
