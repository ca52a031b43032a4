package org.wgan.dl4j.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;

/**
 * The WGAN-GP paper's residual generator (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 * {@code gan_cifar_resnet.py}, unconditional: {@code Generator} with batch normalisation), as a DL4J
 * ComputationGraph from {@code [batch, latentSize]} to images {@code [batch, channels, size, size]} in [-1, 1]
 * (width w = DIM, base b = {@link ResNetSpec#baseSize()}, s = the nonlinearity, ReLU in the paper):
 * <pre>
 *   latent -> dense b*b*w -> reshape [w, b, b]
 *   upBlocks times an "up" block (the size doubles; up = nearest-neighbour upsampling x2):
 *     out = conv1x1(up(x)) + conv3x3(s(BN(conv3x3(up(s(BN(x)))))))
 *   -> BN -> s -> conv3x3 to channels -> tanh
 * </pre>
 * The paper's {@code UpsampleConv} (four copies, {@code depth_to_space}) is nearest-neighbour upsampling, here
 * {@code Upsampling2D}; batch normalisation is per channel ({@code BatchNormalization}, DL4J's running statistics),
 * every convolution is same mode with a bias, as in the paper. Vertex names: {@code input}, {@code image},
 * {@code g1...} (the blocks, {@code g1_n1}, {@code g1_conv1}, ...), {@code output}.
 *
 * <p>At the paper's settings ({@link ResNetSpec#cifar10()}: w = 128, latent 128, 32x32x3, 3 blocks from 4x4) it has
 * 1,204,483 trained parameters (the paper's count) and 1,792 batch-norm running statistics, which DL4J keeps in the
 * parameter vector: {@code numParams()} = 1,206,275.
 */
public final class ResNetGenerator {

    private ResNetGenerator() {
    }

    /** The generator of {@code spec}, initialised with {@code spec.seed()}. */
    public static ComputationGraph of(ResNetSpec spec) {
        int w = spec.width();
        int base = spec.baseSize();
        GraphBuilder graph = ResNetLayers.graph(spec, spec.seed()).addInputs("latent")
                .setInputTypes(InputType.feedForward(spec.latentSize()))
                .addLayer("input", new DenseLayer.Builder().nOut((long) w * base * base)
                        .activation(Activation.IDENTITY).build(), "latent")
                .addVertex("image", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(base, base, w)), "input");
        String previous = "image";
        for (int block = 1; block <= spec.upBlocks(); block++) {
            previous = upBlock(graph, spec, "g" + block, previous);
        }
        graph.addLayer("output_n", new BatchNormalization.Builder().build(), previous)
                .addLayer("output_s", ResNetLayers.activation(spec), "output_n")
                .addLayer("output", ResNetLayers.conv(3, spec.channels(), Activation.TANH, false), "output_s")
                .setOutputs("output");
        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        return network;
    }

    /** {@code conv1x1(upsample(x)) + conv3x3(s(BN(conv3x3(upsample(s(BN(x)))))))}; returns the sum's name. */
    private static String upBlock(GraphBuilder graph, ResNetSpec spec, String name, String in) {
        int w = spec.width();
        graph.addLayer(name + "_shortcut_up", new Upsampling2D.Builder(2).build(), in)
                .addLayer(name + "_shortcut", ResNetLayers.conv(1, w, Activation.IDENTITY, false),
                        name + "_shortcut_up")
                .addLayer(name + "_n1", new BatchNormalization.Builder().build(), in)
                .addLayer(name + "_s1", ResNetLayers.activation(spec), name + "_n1")
                .addLayer(name + "_up", new Upsampling2D.Builder(2).build(), name + "_s1")
                .addLayer(name + "_conv1", ResNetLayers.conv(3, w, Activation.IDENTITY, true), name + "_up")
                .addLayer(name + "_n2", new BatchNormalization.Builder().build(), name + "_conv1")
                .addLayer(name + "_s2", ResNetLayers.activation(spec), name + "_n2")
                .addLayer(name + "_conv2", ResNetLayers.conv(3, w, Activation.IDENTITY, true), name + "_s2")
                .addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), name + "_shortcut", name + "_conv2");
        return name;
    }
}
