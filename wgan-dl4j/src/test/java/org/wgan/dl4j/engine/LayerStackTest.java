package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wgan.dl4j.fixtures.TestNetworks.assertClose;

import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.fixtures.GraphNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;
import org.wgan.dl4j.fixtures.TestNetworks.Dl4jBackprop;

/**
 * The library's own forward pass and backprop (preallocated buffers, {@link LayerStack}) reproduce DL4J's
 * training-mode forward and backprop: outputs, input gradients and every parameter gradient. Both stacks (this and
 * {@link GraphStack}) leave the penalty adjoint's buffers out until a penalty pass needs them.
 */
class LayerStackTest {

    static Stream<Arguments> networks() {
        return Stream.concat(denseAndConvolutionNetworks(), ResamplingLayersTest.networks());
    }

    static Stream<Arguments> denseAndConvolutionNetworks() {
        return Stream.of(
                Arguments.of("tanh MLP", TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 3, 5, 4,
                        1), new long[] {7, 3}, 1e-12),
                Arguments.of("ReLU MLP, float32", TestNetworks.mlp(2, DataType.FLOAT, new Sgd(0.1), Activation.RELU,
                        2, 32, 32, 2), new long[] {16, 2}, 1e-5),
                // widths that leave a tail past the SIMD lanes, LeakyReLU's slope: the fused SIMD loops in float32
                Arguments.of("LeakyReLU MLP, float32, odd widths", TestNetworks.mlp(3, DataType.FLOAT, new Sgd(0.1),
                        Activation.LEAKYRELU, 3, 37, 21, 1), new long[] {9, 3}, 1e-5),
                Arguments.of("mixed dense stack", mixedStack(), new long[] {6, 4}, 1e-8),
                Arguments.of("strided convolutions", TestNetworks.stridedConvolutionCritic(), new long[] {5, 2, 6, 6},
                        1e-8),
                Arguments.of("same-mode convolutions on flat input",
                        TestNetworks.sameModeConvolutionCritic(Activation.RELU), new long[] {5, 50},
                        1e-12),
                // float32 on oneDNN: both leaky rectifiers and the biases inside its primitives, z never written
                Arguments.of("DCGAN-style convolutions on flat input, float32",
                        TestNetworks.dcganStyleCritic(DataType.FLOAT, 8, 16), new long[] {6, 64}, 1e-5),
                // [batch, 1, h, w] buffers, whose strides ND4J's hasDefaultStridesForShape did not take as c-order
                Arguments.of("one-map convolution into a dense layer", oneMapConvolution(), new long[] {4, 2, 5, 5},
                        1e-12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void forwardAndBackwardMatchDl4j(String name, MultiLayerNetwork network, long[] inputShape, double tolerance) {
        NetworkEngine engine = new NetworkEngine(network, "network");
        assertThat(engine.usesOwnBackprop()).isTrue();
        INDArray x = TestArrays.uniform(new Random(3), inputShape).subi(0.5).muli(3.0).castTo(engine.dataType());
        INDArray outputGradient = TestArrays.uniform(new Random(4), engine.output(x).shape()).subi(0.3)
                .castTo(engine.dataType());
        Dl4jBackprop reference = TestNetworks.dl4jBackprop(network, x, outputGradient);

        // twice, so the second pass runs on reused buffers
        for (int round = 0; round < 2; round++) {
            INDArray output = engine.forward(x);
            INDArray inputGradient = engine.backward(outputGradient);

            assertClose(output, reference.output(), tolerance);
            assertClose(inputGradient, reference.inputGradient(), tolerance);
            assertClose(engine.gradient(), reference.parameterGradient(), tolerance);
            assertClose(engine.output(x), reference.output(), tolerance);
        }
        assertThat(reference.parameterGradient().norm2Number().doubleValue()).isGreaterThan(1e-3);
    }

    /**
     * The float32 DCGAN-style critic keeps the array between its two convolutions in oneDNN's blocked layout (so
     * the case above checks that path against DL4J); its float64 twin and a float32 critic whose first convolution
     * has no leaky rectifier (softplus) keep NCHW.
     */
    @Test
    void theBoundaryBetweenTwoFloatConvolutionsWithALeakyRectifierIsBlocked() {
        assertThat(new NetworkEngine(TestNetworks.dcganStyleCritic(DataType.FLOAT, 8, 16), "critic")
                .blockedBoundaries()).isEqualTo(1);
        assertThat(new NetworkEngine(TestNetworks.dcganStyleCritic(DataType.DOUBLE, 8, 16), "critic")
                .blockedBoundaries()).isZero();
        assertThat(new NetworkEngine(TestNetworks.sameModeConvolutionCritic(Activation.RELU).convertDataType(
                DataType.FLOAT), "critic").blockedBoundaries()).isZero();
    }

    /** A MultiLayerNetwork (LayerStack) and a residual ComputationGraph (GraphStack) critic, with inputs. */
    static Stream<Arguments> enginesAndInputs() {
        return Stream.of(
                Arguments.of(new NetworkEngine(TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.1), Activation.TANH,
                        3, 5, 1), "critic"), TestArrays.uniform(new Random(2), 4, 3)),
                Arguments.of(new NetworkEngine(GraphNetworks.denseResidual(1, DataType.DOUBLE, new Sgd(0.1),
                        Activation.TANH, 4), "critic"), TestArrays.uniform(new Random(2), 5, 4)));
    }

    @ParameterizedTest
    @MethodSource("enginesAndInputs")
    void onlyThePenaltyAllocatesTheAdjointsBuffers(NetworkEngine engine, INDArray x) {
        engine.output(x);
        engine.backward(engine.forward(x).ulike().assign(1.0));
        engine.backwardToInput(engine.forward(x).ulike().assign(1.0));
        engine.backwardParameters(engine.forward(x).ulike().assign(1.0));
        assertThat(engine.holdsAdjointBuffers()).isFalse();

        engine.inputGradient(x);
        assertThat(engine.holdsAdjointBuffers()).isTrue();
    }

    @Test
    void returnedArraysAreNotOverwrittenByTheNextPass() {
        NetworkEngine engine = new NetworkEngine(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 3, 5, 1), "critic");
        INDArray first = engine.forward(Nd4j.ones(DataType.DOUBLE, 4, 3));
        INDArray copy = first.dup();
        engine.forward(Nd4j.zeros(DataType.DOUBLE, 4, 3));

        assertThat(first).isEqualTo(copy);
    }

    @Test
    void networksWithOtherLayersKeepDl4jsBackprop() {
        // max pooling: its selection depends on the input, which the engine's linear maps do not keep
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(5).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.TANH).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 1))
                .build());
        network.init();
        NetworkEngine engine = new NetworkEngine(network, "critic");
        INDArray x = TestArrays.uniform(new Random(1), 6, 1, 5, 5);
        INDArray outputGradient = Nd4j.ones(DataType.DOUBLE, 6, 1);
        Dl4jBackprop reference = TestNetworks.dl4jBackprop(network, x, outputGradient);

        engine.forward(x);
        INDArray inputGradient = engine.backward(outputGradient);

        assertThat(engine.usesOwnBackprop()).isFalse();
        assertClose(inputGradient, reference.inputGradient(), 1e-12);
        assertClose(engine.gradient(), reference.parameterGradient(), 1e-12);
    }

    /** conv 3x3 (1 map, tanh) -> dense 2, on {@code [batch, 2, 5, 5]}, float64. */
    private static MultiLayerNetwork oneMapConvolution() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(12).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(1).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(5, 5, 2))
                .build());
        network.init();
        return network;
    }

    private static MultiLayerNetwork mixedStack() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(11).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.SIGMOID).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SOFTPLUS).hasBias(false).build())
                .layer(new ActivationLayer.Builder().activation(Activation.ELU).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(2).activation(Activation.IDENTITY).build())
                .build());
        network.init();
        return network;
    }
}
