package org.wgan.examples.fashion;

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

/**
 * DCGAN-style models for 28x28 grey images (Radford et al. 2016; the layout of the WGAN-GP paper's MNIST models),
 * NCHW {@code [batch, 1, 28, 28]} in [-1, 1], with a width {@code w} (the paper's DIM, 64 there):
 *
 * <ul>
 *   <li>Critic: conv 4x4 stride 2 (w maps) -> LeakyReLU 0.2 -> conv 4x4 stride 2 (2w maps) -> LeakyReLU 0.2 ->
 *       dense 1 (identity). No batch normalisation (it would break the per-sample gradient penalty), so the
 *       library runs it, and differentiates it twice, in its own buffers.</li>
 *   <li>Generator: latent -> dense 2w x 7 x 7 -> batch norm -> ReLU -> transposed conv 4x4 stride 2 (w maps,
 *       14x14) -> batch norm -> ReLU -> transposed conv 4x4 stride 2 (1 map, 28x28) -> tanh.</li>
 * </ul>
 * The examples default to w = {@value #DEFAULT_WIDTH}: each halving of w cuts the convolutions' work about 4x,
 * and at w = 64 an iteration of WGAN-GP took about 2 s on one CPU core.
 */
public final class FashionModels {

    /** Default latent size. */
    public static final int LATENT_SIZE = 64;
    /** Default width (maps of the first critic convolution). */
    public static final int DEFAULT_WIDTH = 32;

    private FashionModels() {
    }

    /** The critic of width {@code width}, initialised, float32, on {@code [batch, 1, 28, 28]}. */
    public static MultiLayerNetwork critic(long seed, int width, IUpdater updater) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(updater).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(width)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(2 * width)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        network.init();
        return network;
    }

    /** The generator of width {@code width}, initialised, float32, from {@code [batch, latentSize]} to images. */
    public static MultiLayerNetwork generator(long seed, int latentSize, int width, IUpdater updater) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(DataType.FLOAT).updater(updater).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(latentSize).nOut(2 * width * 7 * 7).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().nOut(2 * width * 7 * 7).build())
                .layer(new ActivationLayer(Activation.RELU))
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(7, 7, 2 * width))
                .layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(2 * width).nOut(width)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(width).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(width).nOut(1)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH)
                        .weightInit(WeightInit.XAVIER).build())
                .build());
        network.init();
        return network;
    }
}
