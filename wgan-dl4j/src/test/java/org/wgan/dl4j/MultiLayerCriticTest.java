package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wgan.core.ParameterBlock;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.fixtures.TestNetworks;

class MultiLayerCriticTest {

    private static final double H = 1e-6;

    private final MultiLayerCritic critic = MultiLayerCritic.of(
            TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.5), Activation.TANH, 3, 5, 4, 1));
    private final INDArray samples = TestArrays.unitUniform(new Random(3), 7, 3).subi(0.5);

    /** A weighted sum of scores, so every sample's gradient differs. */
    private final INDArray weights = Nd4j.linspace(-1.0, 2.0, 7, DataType.DOUBLE).reshape(7, 1);

    private double weightedScore(INDArray x) {
        return critic.score(x).mul(weights).sumNumber().doubleValue();
    }

    @Test
    void criticInputGradientMatchesCentralDifferences() {
        critic.forward(samples);
        INDArray inputGradient = critic.backward(weights).dup();

        assertThat(inputGradient.shape()).containsExactly(7, 3);
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 3; j++) {
                int row = i;
                int col = j;
                double numeric = TestArrays.centralDifference(samples, row, col, H, () -> weightedScore(samples));
                assertThat(inputGradient.getDouble(row, col))
                        .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-8));
            }
        }
    }

    @Test
    void criticParameterGradientIsTheGradientOfTheLossNotDividedByTheBatch() {
        critic.forward(samples);
        critic.backward(weights);
        INDArray gradient = critic.gradient().dup();
        INDArray params = critic.parameters();

        for (long p = 0; p < params.length(); p++) {
            double numeric = TestArrays.centralDifference(params, p, H, () -> weightedScore(samples));
            assertThat(gradient.getDouble(p)).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-8));
        }
    }

    @Test
    void applyGradientTakesOnePlainSgdStepOfTheGivenGradient() {
        INDArray before = critic.parameters().dup();
        critic.forward(samples);
        critic.backward(weights);
        INDArray gradient = critic.gradient().dup();

        critic.applyGradient();

        // SGD lr 0.5, minibatch 7: a step of exactly 0.5 * gradient (DL4J would divide by 7 by default)
        assertThat(critic.parameters().equalsWithEps(before.sub(gradient.mul(0.5)), 1e-12)).isTrue();
        assertThat(critic.updateCount()).isEqualTo(1);
    }

    @Test
    void forwardAndBackwardDoNotChangeTheCriticParameters() {
        INDArray before = critic.parameters().dup();

        critic.forward(samples);
        critic.backward(weights);

        assertThat(critic.parameters()).isEqualTo(before);
        assertThat(critic.updateCount()).isZero();
    }

    @Test
    void parameterBlocksAreLiveViewsOfTheFlattenedParametersWithTheirKinds() {
        assertThat(critic.parameterBlocks()).extracting(ParameterBlock::name, ParameterBlock::kind).containsExactly(
                org.assertj.core.groups.Tuple.tuple("W", ParameterBlock.Kind.WEIGHT),
                org.assertj.core.groups.Tuple.tuple("b", ParameterBlock.Kind.BIAS),
                org.assertj.core.groups.Tuple.tuple("W", ParameterBlock.Kind.WEIGHT),
                org.assertj.core.groups.Tuple.tuple("b", ParameterBlock.Kind.BIAS),
                org.assertj.core.groups.Tuple.tuple("W", ParameterBlock.Kind.WEIGHT),
                org.assertj.core.groups.Tuple.tuple("b", ParameterBlock.Kind.BIAS));
        long total = critic.parameterBlocks().stream().mapToLong(b -> b.view().length()).sum();
        assertThat(total).isEqualTo(critic.numParameters());

        critic.parameterBlocks().get(1).view().assign(42.0);

        assertThat(critic.parameters().getDouble(15)).isEqualTo(42.0);
    }

    @Test
    void backwardToInputGivesBackwardsInputGradientAndLeavesTheParameterGradientAlone() {
        critic.forward(samples);
        INDArray expected = critic.backward(weights).dup();
        critic.gradient().assign(7.0);

        critic.forward(samples);
        INDArray inputGradient = critic.backwardToInput(weights);

        assertThat(inputGradient.equalsWithEps(expected, 1e-12)).isTrue();
        assertThat(critic.gradient().minNumber().doubleValue()).isEqualTo(7.0);
        assertThat(critic.gradient().maxNumber().doubleValue()).isEqualTo(7.0);
        assertThatThrownBy(critic::applyGradient)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("critic.applyGradient() needs a preceding backward(...)");
    }

    @Test
    void backwardWithoutForwardIsRejected() {
        assertThatThrownBy(() -> critic.backward(weights))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("critic.backward(...) needs a preceding forward(...)");
    }

    /**
     * NaN and infinities in the samples reach the scores as DL4J's own forward pass gives them: float32 ReLU and
     * LeakyReLU layers run the fused SIMD pass (37 and 21 units leave a scalar tail after its lanes), which used to
     * map NaN to 0. Finite rows agree to float precision, relative to their size.
     */
    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "LEAKYRELU"})
    void scoresAreNanOrInfiniteExactlyWhereTheNetworksOwnOutputIs(Activation hidden) {
        MultiLayerNetwork network = TestNetworks.mlp(6, DataType.FLOAT, new Sgd(0.1), hidden, 3, 37, 21, 1);
        MultiLayerCritic floatCritic = MultiLayerCritic.of(network);
        INDArray x = TestArrays.uniform(new Random(2), 8, 3).castTo(DataType.FLOAT);
        x.putScalar(1, 0, Float.NaN);
        x.putScalar(2, 1, Float.POSITIVE_INFINITY);
        x.putScalar(3, 2, Float.NEGATIVE_INFINITY);
        x.putScalar(4, 0, -0f);
        x.putScalar(5, 1, Float.MAX_VALUE);
        x.putScalar(6, 2, Float.MIN_VALUE);
        INDArray expected = network.output(x);

        INDArray scores = floatCritic.score(x);

        assertThat(Float.isNaN(expected.getFloat(1, 0))).as("DL4J's own score of the NaN row").isTrue();
        for (int row = 0; row < 8; row++) {
            float want = expected.getFloat(row, 0);
            float got = scores.getFloat(row, 0);
            if (Float.isFinite(want)) {
                assertThat(got).as("row %d", row)
                        .isCloseTo(want, org.assertj.core.data.Offset.offset(1e-5f * Math.max(1f, Math.abs(want))));
            } else {
                assertThat(Float.floatToIntBits(got)).as("row %d: %s against %s", row, got, want)
                        .isEqualTo(Float.floatToIntBits(want));
            }
        }
    }

    @Test
    void criticWithMoreThanOneOutputIsRejectedNamingTheShapes() {
        MultiLayerCritic twoOutputs = MultiLayerCritic.of(
                TestNetworks.mlp(5, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 3, 4, 2));

        assertThatThrownBy(() -> twoOutputs.score(samples))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("critic must map samples [7, 3] to scores [7, 1], but returned [7, 2]");
    }

    @Test
    void networkEndingInAnOutputLayerIsRejectedWithAHint() {
        MultiLayerNetwork withLoss = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nIn(3).nOut(1)
                        .activation(Activation.IDENTITY).build())
                .build());
        withLoss.init();

        assertThatThrownBy(() -> MultiLayerCritic.of(withLoss))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("critic network's last layer (index 0, OutputLayer)")
                .hasMessageContaining("use a DenseLayer");
    }
}
