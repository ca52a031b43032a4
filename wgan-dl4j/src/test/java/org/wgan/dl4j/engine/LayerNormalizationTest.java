package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.wgan.dl4j.fixtures.TestNetworks.assertClose;

import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.fixtures.LayerNormNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;
import org.wgan.dl4j.fixtures.TestNetworks.Dl4jBackprop;

/**
 * Layer normalisation of dense layers ({@link LayerNormalization} in {@link LayerStack}): what DL4J 1.0.0-M2.1
 * computes, measured against its own output and central differences, and the engine's forward pass, backprop and
 * input gradient against DL4J's and central differences (the penalty's double backprop is checked in
 * GradientPenaltyTest).
 */
class LayerNormalizationTest {

    @Test
    void dl4jsLayerNormIsTheGainTimesTheBiasedStandardisationOfTheProductWithoutEpsilonThenTheBias() {
        MultiLayerNetwork network = LayerNormNetworks.oneLayer(3, DataType.DOUBLE, Activation.IDENTITY, true, 3, 5);
        INDArray w = network.getLayer(0).getParam("W");
        INDArray b = network.getLayer(0).getParam("b");
        INDArray g = network.getLayer(0).getParam("g");
        Random random = new Random(1);
        // features of spread 1 down to 1e-6: an epsilon even of 1e-12 on the variance shows at the smallest
        for (double scale : new double[] {1, 1e-3, 1e-6}) {
            INDArray x = TestArrays.uniform(random, 4, 3).muli(scale);
            INDArray dl4j = network.feedForward(x, false).get(1);
            INDArray y = x.mmul(w);
            INDArray centred = y.subColumnVector(y.mean(true, 1));
            INDArray squares = centred.mul(centred).sum(true, 1);

            assertThat(candidate(centred, Transforms.sqrt(squares.div(5)), g, b).sub(dl4j).amaxNumber()
                    .doubleValue()).isLessThan(1e-12);
            if (scale == 1e-6) {
                assertThat(candidate(centred, Transforms.sqrt(squares.div(4)), g, b).sub(dl4j).amaxNumber()
                        .doubleValue()).as("unbiased").isGreaterThan(1e-3);
                assertThat(candidate(centred, Transforms.sqrt(squares.div(5).add(1e-12)), g, b).sub(dl4j)
                        .amaxNumber().doubleValue()).as("epsilon on the variance").isGreaterThan(1e-3);
                assertThat(candidate(centred, Transforms.sqrt(squares.div(5)).add(1e-12), g, b).sub(dl4j)
                        .amaxNumber().doubleValue()).as("epsilon on the std").isGreaterThan(1e-7);
            }
        }
        // a row of equal features (0 / 0) gets N(y) = 0: the output is the bias
        INDArray constant = network.feedForward(Nd4j.zeros(DataType.DOUBLE, 2, 3), false).get(1);
        assertThat(constant).isEqualTo(Nd4j.vstack(b.reshape(1, 5), b.reshape(1, 5)));
    }

    private static INDArray candidate(INDArray centred, INDArray std, INDArray g, INDArray b) {
        return centred.divColumnVector(std).mulRowVector(g).addRowVector(b);
    }

    @Test
    void theGainIsParameterGAfterWAndBAndAScaleNotAWeight() {
        MultiLayerNetwork network = LayerNormNetworks.oneLayer(3, DataType.DOUBLE, Activation.TANH, true, 3, 5);
        List<ParameterBlock> blocks = new NetworkEngine(network, "critic").blocks();

        assertThat(network.getLayer(0).paramTable().keySet()).containsExactly("W", "b", "g");
        assertThat(network.getLayer(0).getParam("g").shape()).containsExactly(5);
        assertThat(blocks.subList(0, 3)).extracting(ParameterBlock::name, ParameterBlock::offset,
                ParameterBlock::kind).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("W", 0L, ParameterBlock.Kind.WEIGHT),
                        org.assertj.core.groups.Tuple.tuple("b", 15L, ParameterBlock.Kind.BIAS),
                        // DL4J's DefaultParamInitializer counts the gain among the weights (isWeightParam); the
                        // engine calls it OTHER, a per-feature scale like batch norm's gamma, which weightsOnly()
                        // clipping leaves alone
                        org.assertj.core.groups.Tuple.tuple("g", 20L, ParameterBlock.Kind.OTHER));
    }

    @Test
    void dl4jsBackpropThroughLayerNormMatchesCentralDifferencesSoItIsAReference() {
        MultiLayerNetwork network = LayerNormNetworks.twoLayers(4, DataType.DOUBLE, new Sgd(0.1), Activation.TANH,
                Activation.SOFTPLUS, 3);
        INDArray x = TestArrays.uniform(new Random(2), 6, 3);
        INDArray weights = TestArrays.uniform(new Random(3), 6, 1);
        Dl4jBackprop reference = TestNetworks.dl4jBackprop(network, x, weights);
        INDArray params = network.params();

        assertCentralDifferences(params, reference.parameterGradient(),
                () -> network.output(x).mul(weights).sumNumber().doubleValue());
        assertCentralDifferences(x, reference.inputGradient(),
                () -> network.output(x).mul(weights).sumNumber().doubleValue());
    }

    @Test
    void dl4jsBackpropOverwritesTheOutputGradientItIsGiven() {
        // why TestNetworks.dl4jBackprop hands DL4J a copy: its layer-norm backprop writes dL/dy into the epsilon
        MultiLayerNetwork network = LayerNormNetworks.oneLayer(3, DataType.DOUBLE, Activation.IDENTITY, true, 3, 5);
        MultiLayerNetwork firstLayer = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).list().layer(network.getLayerWiseConfigurations().getConf(0).getLayer())
                .build());
        firstLayer.init(network.getLayer(0).params().dup(), false);
        INDArray epsilon = TestArrays.uniform(new Random(4), 4, 5);
        INDArray copy = epsilon.dup();
        firstLayer.setInput(TestArrays.uniform(new Random(5), 4, 3));
        firstLayer.feedForward(true, false);

        firstLayer.backpropGradient(epsilon, org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces());

        assertThat(epsilon.sub(copy).amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    static Stream<Arguments> critics() {
        return Stream.of(
                Arguments.of("tanh", LayerNormNetworks.oneLayer(5, DataType.DOUBLE, Activation.TANH, true, 3, 6),
                        new long[] {7, 3}, 1e-12),
                Arguments.of("ELU", LayerNormNetworks.oneLayer(6, DataType.DOUBLE, Activation.ELU, true, 3, 6),
                        new long[] {7, 3}, 1e-12),
                Arguments.of("softplus, no bias",
                        LayerNormNetworks.oneLayer(7, DataType.DOUBLE, Activation.SOFTPLUS, false, 4, 5),
                        new long[] {7, 4}, 1e-12),
                Arguments.of("ReLU", LayerNormNetworks.oneLayer(8, DataType.DOUBLE, Activation.RELU, true, 3, 6),
                        new long[] {7, 3}, 1e-12),
                Arguments.of("LeakyReLU 0.2, no bias", LayerNormNetworks.oneLayer(9, DataType.DOUBLE,
                        Activation.LEAKYRELU, false, 3, 6), new long[] {7, 3}, 1e-8),
                Arguments.of("two layer-norm layers, tanh and softplus", LayerNormNetworks.twoLayers(10,
                        DataType.DOUBLE, new Sgd(0.1), Activation.TANH, Activation.SOFTPLUS, 3), new long[] {7, 3},
                        1e-12),
                Arguments.of("after a convolution and reshape", LayerNormNetworks.afterConvolution(11,
                        DataType.DOUBLE), new long[] {5, 2, 5, 5}, 1e-12),
                // float32 ReLU takes the SIMD loops for bias, activation and s'(z) * delta around the normalisation
                Arguments.of("two layers, ReLU and LeakyReLU, float32", LayerNormNetworks.twoLayers(12,
                        DataType.FLOAT, new Sgd(0.1), Activation.RELU, Activation.LEAKYRELU, 3), new long[] {16, 3},
                        1e-5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("critics")
    void forwardBackpropAndInputGradientMatchDl4j(String name, MultiLayerNetwork network, long[] inputShape,
            double tolerance) {
        NetworkEngine engine = new NetworkEngine(network, "critic");
        assertThat(engine.usesOwnBackprop()).isTrue();
        INDArray x = TestArrays.uniform(new Random(3), inputShape).muli(1.5).castTo(engine.dataType());
        INDArray outputGradient = TestArrays.uniform(new Random(4), inputShape[0], 1).castTo(engine.dataType());
        Dl4jBackprop reference = TestNetworks.dl4jBackprop(network, x, outputGradient);
        Dl4jBackprop ones = TestNetworks.dl4jBackprop(network, x, Nd4j.ones(engine.dataType(), inputShape[0], 1));

        // twice, so the second round runs on reused buffers
        for (int round = 0; round < 2; round++) {
            assertClose(engine.forward(x), reference.output(), tolerance);
            assertClose(engine.backward(outputGradient), reference.inputGradient(), tolerance);
            assertClose(engine.gradient(), reference.parameterGradient(), tolerance);
            assertClose(engine.output(x), reference.output(), tolerance);
            InputGradient inputGradient = engine.inputGradient(x);
            assertClose(inputGradient.scores(), reference.output(), tolerance);
            assertClose(inputGradient.value(), ones.inputGradient(), tolerance);
        }
        for (ParameterBlock gain : engine.blocks().stream().filter(b -> b.name().equals("g")).toList()) {
            assertThat(gain.sliceOf(engine.gradient()).amaxNumber().doubleValue()).as("gain gradient")
                    .isGreaterThan(1e-3);
        }
    }

    @Test
    void aRowOfEqualFeaturesGivesTheBiasAsDl4jDoesAndFiniteGradients() {
        // y = 0 W = 0: libnd4j's 0 / 0 becomes 0, and the engine's 1 / sigma is 0 there, so J and the adjoint vanish
        MultiLayerNetwork network = LayerNormNetworks.oneLayer(13, DataType.DOUBLE, Activation.TANH, true, 3, 6);
        NetworkEngine engine = new NetworkEngine(network, "critic");
        INDArray x = Nd4j.vstack(Nd4j.zeros(DataType.DOUBLE, 1, 3), TestArrays.uniform(new Random(7), 1, 3));

        assertClose(engine.forward(x), network.output(x), 1e-12);
        INDArray inputGradient = engine.backward(Nd4j.ones(DataType.DOUBLE, 2, 1));
        assertThat(inputGradient.getRow(0).amaxNumber().doubleValue()).isZero();
        assertThat(inputGradient.getRow(1).amaxNumber().doubleValue()).isPositive();
        INDArray penaltyGradient = Nd4j.zeros(DataType.DOUBLE, network.numParams());
        engine.inputGradient(x).addParameterGradient(Nd4j.ones(DataType.DOUBLE, 2, 3), penaltyGradient);
        assertThat(penaltyGradient.isNaN().any() || penaltyGradient.isInfinite().any()).isFalse();
        assertThat(engine.gradient().isNaN().any() || engine.gradient().isInfinite().any()).isFalse();
    }

    static Stream<Arguments> smoothCritics() {
        return critics().filter(arguments -> arguments.get()[3].equals(1e-12));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smoothCritics")
    void inputGradientMatchesCentralDifferences(String name, MultiLayerNetwork network, long[] inputShape,
            double tolerance) {
        MultiLayerCritic critic = MultiLayerCritic.of(network);
        INDArray x = TestArrays.uniform(new Random(6), inputShape).muli(1.5);
        INDArray analytic = critic.inputGradient(x).value().dup();

        assertCentralDifferences(x, analytic, () -> critic.score(x).sumNumber().doubleValue());
    }

    /**
     * Central differences (h = 1e-6) of {@code f} over every element of {@code array}: error below 1e-6 relative to
     * the element's magnitude, or to 1e-3 of the largest where the element is smaller (where the differences' own
     * rounding, ~1e-10, dominates).
     */
    private static void assertCentralDifferences(INDArray array, INDArray analytic,
            java.util.function.DoubleSupplier f) {
        double worst = 0;
        double floor = 1e-3 * analytic.amaxNumber().doubleValue();
        for (long i = 0; i < array.length(); i++) {
            double numeric = TestArrays.centralDifference(array, i, 1e-6, f);
            double exact = analytic.getDouble(i);
            worst = Math.max(worst, Math.abs(numeric - exact) / Math.max(floor, Math.abs(numeric) + Math.abs(exact)));
        }
        assertThat(worst).as("worst relative error over %d elements", array.length()).isLessThan(1e-6);
    }
}
