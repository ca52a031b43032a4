package org.wgan.examples.fashion;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetGenerator;
import org.wgan.dl4j.models.ResNetSpec;

/**
 * Prints numParams() of the Java models peer.py mirrors, built by the Java code itself: FashionModels (compiled
 * next to this file from wgan-examples' source), wgan-dl4j's Mlp, ConvCriticStepBenchmark's critic (its
 * configuration copied from the benchmark's setUp), and the ResNet generator and critic of Recipes.resnetWganGp. Not part of the Maven build; see README.md.
 */
public final class ParamCounts {

    private ParamCounts() {
    }

    public static void main(String[] args) {
        print("mlp critic 2-512-512-512-1", Mlp.builder().sizes(2, 512, 512, 512, 1).build());
        print("mlp generator 2-512-512-512-2", Mlp.builder().sizes(2, 512, 512, 512, 2).build());
        print("conv benchmark generator 2-784 tanh", Mlp.builder().sizes(2, 784).output(Activation.TANH).build());
        MultiLayerNetwork benchmarkCritic = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(2).dataType(DataType.FLOAT).updater(Optimizers.wganGp()).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(64)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(128)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build());
        benchmarkCritic.init();
        print("conv benchmark critic w64", benchmarkCritic);
        for (int width : new int[] {32, 64}) {
            print("conv critic w" + width, FashionModels.critic(1, width, Optimizers.wganGp()));
            print("fashion generator w" + width, FashionModels.generator(1, FashionModels.LATENT_SIZE, width,
                    Optimizers.wganGp()));
        }
        for (int dim : new int[] {64, 128}) {
            ResNetSpec spec = ResNetSpec.cifar10().withWidth(dim);
            print("resnet generator dim" + dim, ResNetGenerator.of(spec));
            print("resnet critic dim" + dim, ResNetCritic.of(spec));
        }
    }

    private static void print(String name, ComputationGraph graph) {
        System.out.println("java_params model=" + name.replace(' ', '_') + " numParams=" + graph.numParams());
    }

    private static void print(String name, MultiLayerNetwork network) {
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < network.getnLayers(); i++) {
            layers.append(i == 0 ? "" : ",").append(network.getLayer(i).numParams());
        }
        System.out.println("java_params model=" + name.replace(' ', '_') + " numParams=" + network.numParams()
                + " per_layer=" + layers);
    }
}
