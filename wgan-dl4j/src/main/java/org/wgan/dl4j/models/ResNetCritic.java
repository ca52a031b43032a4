package org.wgan.dl4j.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * The WGAN-GP paper's residual critic (Gulrajani et al. 2017, "Improved Training of Wasserstein GANs",
 * {@code gan_cifar_resnet.py}: {@code Discriminator} with its default {@code NORMALIZATION_D = False}), as a DL4J
 * ComputationGraph from images {@code [batch, channels, size, size]} to one score per sample {@code [batch, 1]}
 * (width w = DIM, s = the nonlinearity, ReLU in the paper, pool = mean pooling of 2x2 squares):
 * <pre>
 *   block 1 ("OptimizedResBlockDisc1"):  out = conv1x1(pool(x)) + pool(conv3x3(s(conv3x3(x))))          size / 2
 *   block 2, "down":                     out = pool(conv1x1(x)) + pool(conv3x3(s(conv3x3(s(x)))))       size / 2
 *   blocks 3 and 4, plain:               out = x + conv3x3(s(conv3x3(s(x))))
 *   -> s -> global mean pooling -> dense 1
 * </pre>
 * in the paper's order: its {@code MeanPoolConv} pools before the 1x1 shortcut convolution of block 1, its
 * {@code ConvMeanPool} convolves before pooling everywhere else. No normalisation, so the gradient penalty's double
 * backprop runs on every vertex ({@link org.wgan.dl4j.GraphCritic}). Every convolution is same mode with a bias.
 * Vertex names: {@code d1...d4} (the blocks' sums; {@code d2_conv1}, {@code d2_shortcut}, ...), {@code output}.
 * Score through {@code GraphCritic}: DL4J's own inference ({@code graph.output}) applies an {@code ActivationLayer}
 * in place on its input, which the blocks' shortcuts read too.
 *
 * <p>At the paper's settings ({@link ResNetSpec#cifar10()}: w = 128, 32x32x3) it has 1,053,825 parameters.
 * {@link SnGanCritic} is the SN-GAN paper's critic on the same blocks.
 */
public final class ResNetCritic {

    private ResNetCritic() {
    }

    /** The critic of {@code spec}, initialised with {@code spec.seed() + 1}. */
    public static ComputationGraph of(ResNetSpec spec) {
        return of(spec, Variant.WGAN_GP);
    }

    /**
     * What the WGAN-GP and the SN-GAN critic ({@link SnGanCritic}) do differently on the same blocks: the global
     * pooling and the weights' initialisation.
     */
    enum Variant {
        /**
         * {@code gan_cifar_resnet.py}: mean pooling; He for the 3x3 convolutions, Xavier (DL4J's, Gaussian) for the
         * 1x1 shortcuts and the dense output.
         */
        WGAN_GP,
        /**
         * SN-GAN's {@code snresnet_32.py}: sum pooling; Glorot uniform with scale sqrt 2 for the 3x3 convolutions,
         * with scale 1 for the 1x1 shortcuts and the dense output.
         */
        SN_GAN;

        PoolingType globalPooling() {
            return this == WGAN_GP ? PoolingType.AVG : PoolingType.SUM;
        }

        /** A 3x3 convolution of the residual path, from {@code nIn} to {@code nOut} maps. */
        ConvolutionLayer residual(int nIn, int nOut, Activation activation) {
            return this == WGAN_GP ? ResNetLayers.conv(3, nOut, activation, true)
                    : ResNetLayers.conv(3, nOut, activation, ResNetLayers.glorotUniform(Math.sqrt(2), 9L * nIn,
                            9L * nOut));
        }

        /** A 1x1 shortcut convolution to {@code nOut} maps. */
        ConvolutionLayer shortcut(int nOut) {
            return this == WGAN_GP ? ResNetLayers.conv(1, nOut, Activation.IDENTITY, false)
                    : ResNetLayers.conv(1, nOut, Activation.IDENTITY,
                            WeightInit.XAVIER_UNIFORM.getWeightInitFunction());
        }

        /** The dense output layer, one score. */
        DenseLayer output() {
            DenseLayer.Builder dense = new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY);
            // the WGAN-GP critic's keeps the graph's default (Xavier)
            return (this == WGAN_GP ? dense : dense.weightInit(WeightInit.XAVIER_UNIFORM)).build();
        }
    }

    /** The critic of {@code spec} in {@code variant}, initialised with {@code spec.seed() + 1}. */
    static ComputationGraph of(ResNetSpec spec, Variant variant) {
        int w = spec.width();
        int c = spec.channels();
        Activation s = spec.nonlinearity();
        GraphBuilder graph = ResNetLayers.graph(spec, spec.seed() + 1).addInputs("images")
                .setInputTypes(InputType.convolutional(spec.imageSize(), spec.imageSize(), c))
                // block 1: MeanPoolConv shortcut, conv -> s -> ConvMeanPool
                .addLayer("d1_shortcut_pool", ResNetLayers.meanPool(), "images")
                .addLayer("d1_shortcut", variant.shortcut(w), "d1_shortcut_pool")
                .addLayer("d1_conv1", variant.residual(c, w, s), "images")
                .addLayer("d1_conv2", variant.residual(w, w, Activation.IDENTITY), "d1_conv1")
                .addLayer("d1_pool", ResNetLayers.meanPool(), "d1_conv2")
                .addVertex("d1", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d1_shortcut", "d1_pool")
                // block 2, down: ConvMeanPool shortcut, s -> conv -> s -> ConvMeanPool
                .addLayer("d2_shortcut_conv", variant.shortcut(w), "d1")
                .addLayer("d2_shortcut", ResNetLayers.meanPool(), "d2_shortcut_conv")
                .addLayer("d2_s1", ResNetLayers.activation(spec), "d1")
                .addLayer("d2_conv1", variant.residual(w, w, s), "d2_s1")
                .addLayer("d2_conv2", variant.residual(w, w, Activation.IDENTITY), "d2_conv1")
                .addLayer("d2_pool", ResNetLayers.meanPool(), "d2_conv2")
                .addVertex("d2", new ElementWiseVertex(ElementWiseVertex.Op.Add), "d2_shortcut", "d2_pool");
        String previous = "d2";
        for (int block = 3; block <= 4; block++) {
            String name = "d" + block;
            graph.addLayer(name + "_s1", ResNetLayers.activation(spec), previous)
                    .addLayer(name + "_conv1", variant.residual(w, w, s), name + "_s1")
                    .addLayer(name + "_conv2", variant.residual(w, w, Activation.IDENTITY), name + "_conv1")
                    .addVertex(name, new ElementWiseVertex(ElementWiseVertex.Op.Add), previous, name + "_conv2");
            previous = name;
        }
        graph.addLayer("output_s", ResNetLayers.activation(spec), previous)
                .addLayer("output_pool", new GlobalPoolingLayer.Builder(variant.globalPooling()).build(), "output_s")
                .addLayer("output", variant.output(), "output_pool")
                .setOutputs("output");
        ComputationGraph network = new ComputationGraph(graph.build());
        network.init();
        return network;
    }
}
