package org.wgan.dl4j;

import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;

/**
 * A {@link Generator} over a DL4J {@link MultiLayerNetwork} mapping {@code [batch, latentSize]} to samples. The
 * last layer must have no built-in loss (e.g. a {@code DenseLayer} with identity or tanh activation). The
 * network's own updater is the generator's optimizer.
 */
public final class MultiLayerGenerator extends MultiLayerNetworkAdapter implements Generator {

    private final int latentSize;

    private MultiLayerGenerator(MultiLayerNetwork network) {
        super(network, "generator");
        org.deeplearning4j.nn.conf.layers.Layer first = network.getLayer(0).conf().getLayer();
        if (!(first instanceof FeedForwardLayer ff) || ff.getNIn() < 1) {
            throw new IllegalArgumentException("generator network's first layer (index 0, "
                    + first.getClass().getSimpleName() + ") must be a feed-forward layer with nIn >= 1 (the latent"
                    + " size)");
        }
        this.latentSize = Math.toIntExact(ff.getNIn());
    }

    /**
     * Wraps an initialised network whose first layer's {@code nIn} is the latent size.
     *
     * @throws IllegalArgumentException if the network is not initialised, ends in an output layer with a loss,
     *                                  has no parameters, does not start with a feed-forward layer, or a layer's
     *                                  updater has a learning rate that is NaN, infinite or not positive (DL4J would
     *                                  run it silently; use NoOp to freeze)
     */
    public static MultiLayerGenerator of(MultiLayerNetwork network) {
        return new MultiLayerGenerator(network);
    }

    @Override
    public int latentSize() {
        return latentSize;
    }

    @Override
    public INDArray generate(INDArray latent) {
        checkLatent(latent);
        return engine.output(latent);
    }

    @Override
    public INDArray forward(INDArray latent) {
        checkLatent(latent);
        return engine.forward(latent);
    }

    @Override
    public void backward(INDArray sampleGradient) {
        engine.backward(sampleGradient);
    }

    private void checkLatent(INDArray latent) {
        if (latent.rank() != 2 || latent.size(1) != latentSize) {
            throw new IllegalArgumentException("latent must have shape [batch, " + latentSize + "], but was "
                    + java.util.Arrays.toString(latent.shape()));
        }
    }

    @Override
    public String toString() {
        return "MultiLayerGenerator[latentSize=" + latentSize + ", parameters=" + numParameters() + "]";
    }
}
