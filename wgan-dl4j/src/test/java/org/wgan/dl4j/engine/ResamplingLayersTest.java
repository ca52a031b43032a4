package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wgan.dl4j.fixtures.TestNetworks.assertClose;

import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.Arguments;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.fixtures.ResamplingNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;
import org.wgan.dl4j.fixtures.TestNetworks.Dl4jBackprop;

/**
 * Upsampling, average and global pooling and transposed convolutions run on the engine's own passes and reproduce
 * DL4J's training-mode forward pass and backprop: outputs, input gradients and every parameter gradient, in float64
 * and float32; max pooling stays DL4J's and is refused for the penalty.
 */
class ResamplingLayersTest {

    /** The networks LayerStackTest.forwardAndBackwardMatchDl4j also runs. */
    static Stream<Arguments> networks() {
        Stream.Builder<Arguments> cases = Stream.builder();
        for (DataType type : new DataType[] {DataType.DOUBLE, DataType.FLOAT}) {
            double tolerance = type == DataType.DOUBLE ? 1e-10 : 1e-5;
            cases.add(Arguments.of("upsampling, " + type, ResamplingNetworks.upsamplingCritic(type),
                    new long[] {5, 2, 3, 3}, tolerance));
            cases.add(Arguments.of("average pooling, pad in divisor, " + type,
                    ResamplingNetworks.averagePoolingCritic(type, true), new long[] {5, 2, 7, 7}, tolerance));
            cases.add(Arguments.of("average pooling, pad not in divisor, " + type,
                    ResamplingNetworks.averagePoolingCritic(type, false), new long[] {5, 2, 7, 7}, tolerance));
            cases.add(Arguments.of("global average pooling, " + type,
                    ResamplingNetworks.globalPoolingCritic(type, PoolingType.AVG), new long[] {5, 2, 5, 4},
                    tolerance));
            cases.add(Arguments.of("global sum pooling, " + type,
                    ResamplingNetworks.globalPoolingCritic(type, PoolingType.SUM), new long[] {5, 2, 5, 4},
                    tolerance));
            cases.add(Arguments.of("deconvolutions, truncate and same, " + type,
                    ResamplingNetworks.deconvolutionCritic(type), new long[] {5, 2, 3, 4}, tolerance));
            cases.add(Arguments.of("same-mode deconvolutions, explicit and not, " + type,
                    ResamplingNetworks.sameModeDeconvolutionCritic(type), new long[] {5, 2, 3, 4}, tolerance));
            cases.add(Arguments.of("DCGAN-like generator, " + type, ResamplingNetworks.dcganGenerator(type),
                    new long[] {6, 5}, tolerance));
        }
        return cases.build();
    }

    @Test
    void sameModeTransposedConvolutionsRunWithExplicitPaddingWhereItIsSymmetric() {
        // k - s even: (k - s) / 2 on each side, which libnd4j's oneDNN build runs without its slow same-mode loop
        assertThat(Deconv2dMap.symmetricSamePadding(new int[] {4, 4}, new int[] {2, 2})).containsExactly(1, 1);
        assertThat(Deconv2dMap.symmetricSamePadding(new int[] {3, 5}, new int[] {1, 1})).containsExactly(1, 2);
        assertThat(Deconv2dMap.symmetricSamePadding(new int[] {2, 2}, new int[] {2, 2})).containsExactly(0, 0);
        // odd in one dimension, or a kernel smaller than its stride: same mode's own padding
        assertThat(Deconv2dMap.symmetricSamePadding(new int[] {4, 3}, new int[] {2, 2})).isNull();
        assertThat(Deconv2dMap.symmetricSamePadding(new int[] {1, 1}, new int[] {2, 2})).isNull();
    }

    @Test
    void aWrongImageSizeIsNamedPastTheUpsamplingWhereItStopsFitting() {
        NetworkEngine engine = new NetworkEngine(ResamplingNetworks.upsamplingCritic(DataType.DOUBLE), "critic");

        // 4x4 -> conv 2x2: 3x3 -> upsampling 2x3: 6x9 -> conv stride 2 same: 3x5, where the dense layer wants 2x3
        assertThatThrownBy(() -> engine.forward(Nd4j.rand(DataType.DOUBLE, 2, 2, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic input [2, 2, 4, 4] does not fit layer 3 (DenseLayer)")
                .hasMessageEndingWith("but layer 2 (ConvolutionLayer) gives [batch, 2, 3, 5] for this input");
    }

    @Test
    void maxPoolingKeepsDl4jsBackpropAndIsRefusedForThePenaltyNamingTheLayer() {
        MultiLayerNetwork network = withPooling(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2)
                .stride(2, 2).build());
        NetworkEngine engine = new NetworkEngine(network, "critic");
        INDArray x = TestArrays.uniform(new Random(1), 3, 1, 4, 4);
        INDArray outputGradient = Nd4j.ones(DataType.DOUBLE, 3, 1);
        Dl4jBackprop reference = TestNetworks.dl4jBackprop(network, x, outputGradient);

        engine.forward(x);
        INDArray inputGradient = engine.backward(outputGradient);

        assertThat(engine.usesOwnBackprop()).isFalse();
        assertClose(inputGradient, reference.inputGradient(), 1e-12);
        assertThatThrownBy(() -> engine.inputGradient(x))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic layer 1 (SubsamplingLayer) cannot be differentiated twice")
                .hasMessageContaining("pooling type MAX is not supported")
                .hasMessageContaining("use PoolingType.AVG");
    }

    @Test
    void globalMaxPoolingIsRefusedForThePenaltyNamingTheLayer() {
        NetworkEngine engine = new NetworkEngine(withPooling(new GlobalPoolingLayer.Builder(PoolingType.MAX).build()),
                "critic");

        assertThat(engine.usesOwnBackprop()).isFalse();
        assertThatThrownBy(() -> engine.inputGradient(TestArrays.uniform(new Random(1), 3, 1, 4, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic layer 1 (GlobalPoolingLayer) cannot be differentiated twice")
                .hasMessageContaining("use PoolingType.AVG or PoolingType.SUM");
    }

    /** conv 2x2 (2 maps, tanh) -> {@code pooling} -> dense 1, on {@code [batch, 1, 4, 4]}, float64. */
    private static MultiLayerNetwork withPooling(org.deeplearning4j.nn.conf.layers.Layer pooling) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new ConvolutionLayer.Builder(2, 2).stride(1, 1).nOut(2).activation(Activation.TANH).build())
                .layer(pooling)
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(4, 4, 1))
                .build());
        network.init();
        return network;
    }
}
