package org.wgan.examples.cli;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.examples.support.InvalidOptionException;

/**
 * DCGAN-style models for square images of any side S divisible by 4 and C channels, the shape of {@code
 * FashionModels} (which they equal at 28x28x1): the generator from a {@code base x base} map of {@code 2^(k-1) w}
 * channels through k stride-2 transposed convolutions (batch norm and ReLU between, tanh at the end), the critic
 * through k stride-2 convolutions of {@code w, 2w, ..., 2^(k-1) w} maps (LeakyReLU 0.2, no normalisation) and a
 * dense output. k ({@link #upsamplings}) is the largest count with {@code S / 2^k} a whole number of at least 4,
 * at most 5, and at least 2: 2 for 28 (from 7x7), 3 for 32 (from 4x4), 4 for 64.
 */
final class ImageModels {

    private ImageModels() {
    }

    /**
     * The stride-2 layers for side {@code size}.
     *
     * @throws InvalidOptionException naming --size when it is not a multiple of 4 of at least 8
     */
    static int upsamplings(int size) {
        if (size < 8 || size % 4 != 0) {
            throw new InvalidOptionException("--size must be a multiple of 4 of at least 8 (the models halve it at"
                    + " least twice), but was " + size);
        }
        int k = 2;
        while (k < 5 && size % (1 << (k + 1)) == 0 && size >> (k + 1) >= 4) {
            k++;
        }
        return k;
    }

    static MultiLayerNetwork critic(int size, int channels, int width, long seed, IUpdater updater) {
        int k = upsamplings(size);
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).updater(updater)
                .weightInit(WeightInit.RELU).list();
        for (int i = 0; i < k; i++) {
            list.layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut((long) width << i)
                    .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build());
        }
        list.layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).weightInit(WeightInit.XAVIER)
                .build());
        MultiLayerNetwork network = new MultiLayerNetwork(list.setInputType(InputType.convolutional(size, size,
                channels)).build());
        network.init();
        return network;
    }

    static MultiLayerNetwork generator(int size, int channels, int latentSize, int width, long seed,
            IUpdater updater) {
        int k = upsamplings(size);
        int base = size >> k;
        long maps = (long) width << (k - 1);
        var list = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT).updater(updater)
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(latentSize).nOut(maps * base * base)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(maps * base * base).build())
                .layer(new ActivationLayer(Activation.RELU))
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(base, base, maps));
        for (int i = 0; i < k; i++) {
            boolean last = i == k - 1;
            long in = maps >> i;
            long out = last ? channels : in / 2;
            list.layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(in).nOut(out)
                    .convolutionMode(ConvolutionMode.Truncate)
                    .activation(last ? Activation.TANH : Activation.IDENTITY)
                    .weightInit(last ? WeightInit.XAVIER : WeightInit.RELU).build());
            if (!last) {
                list.layer(new BatchNormalization.Builder().nOut(out).build())
                        .layer(new ActivationLayer(Activation.RELU));
            }
        }
        MultiLayerNetwork network = new MultiLayerNetwork(list.build());
        network.init();
        return network;
    }
}
