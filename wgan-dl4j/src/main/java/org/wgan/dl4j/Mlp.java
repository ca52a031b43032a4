package org.wgan.dl4j;

import java.util.Arrays;
import java.util.Objects;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Builds an initialised multilayer perceptron of dense layers, the shape of the toy critics and generators:
 * {@code Mlp.builder().sizes(2, 512, 512, 512, 1).hidden(Activation.RELU).updater(Optimizers.wgan()).build()}.
 * Hidden layers use the hidden activation; the last layer the output activation (identity by default, as a
 * critic needs).
 */
public final class Mlp {

    private Mlp() {
    }

    /** A builder with ReLU hidden layers, identity output, float32, Xavier initialisation and seed 0. */
    public static Builder builder() {
        return new Builder();
    }

    /** Validating builder for {@link Mlp}. */
    public static final class Builder {
        private int[] sizes;
        private Activation hidden = Activation.RELU;
        private Activation output = Activation.IDENTITY;
        private IUpdater updater = Optimizers.wgan();
        private DataType dataType = DataType.FLOAT;
        private long seed;

        private Builder() {
        }

        /**
         * Layer widths from input to output, at least two, each {@code >= 1}.
         *
         * @throws IllegalArgumentException otherwise
         */
        public Builder sizes(int... sizes) {
            if (sizes.length < 2) {
                throw new IllegalArgumentException("sizes must name at least an input and an output width, but was "
                        + Arrays.toString(sizes));
            }
            for (int size : sizes) {
                if (size < 1) {
                    throw new IllegalArgumentException("sizes must all be >= 1, but was " + Arrays.toString(sizes));
                }
            }
            this.sizes = sizes.clone();
            return this;
        }

        /** Activation of the hidden layers; default ReLU. */
        public Builder hidden(Activation hidden) {
            this.hidden = Objects.requireNonNull(hidden, "hidden");
            return this;
        }

        /** Activation of the last layer; default identity. */
        public Builder output(Activation output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** The network's optimizer; default {@link Optimizers#wgan()}. */
        public Builder updater(IUpdater updater) {
            this.updater = Objects.requireNonNull(updater, "updater");
            return this;
        }

        /** Parameter type; default FLOAT. */
        public Builder dataType(DataType dataType) {
            this.dataType = Objects.requireNonNull(dataType, "dataType");
            return this;
        }

        /** Seed of the weight initialisation; default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds and initialises the network.
         *
         * @throws IllegalStateException if no sizes were given
         */
        public MultiLayerNetwork build() {
            if (sizes == null) {
                throw new IllegalStateException("sizes is required; call sizes(...) before build()");
            }
            NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder()
                    .seed(seed)
                    .dataType(dataType)
                    .updater(updater)
                    .weightInit(WeightInit.XAVIER)
                    .list();
            for (int i = 0; i + 1 < sizes.length; i++) {
                boolean last = i + 2 == sizes.length;
                list.layer(new DenseLayer.Builder().nIn(sizes[i]).nOut(sizes[i + 1])
                        .activation(last ? output : hidden).build());
            }
            MultiLayerNetwork network = new MultiLayerNetwork(list.build());
            network.init();
            return network;
        }
    }
}
