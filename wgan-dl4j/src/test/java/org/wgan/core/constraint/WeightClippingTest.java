package org.wgan.core.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.ParameterBlock;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.LayerNormNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;

class WeightClippingTest {

    private final MultiLayerCritic critic = MultiLayerCritic.of(
            TestNetworks.mlp(1, DataType.FLOAT, Optimizers.wgan(), Activation.RELU, 2, 6, 5, 1));

    private void fillUniform(double scale) {
        fillUniform(critic.parameters(), scale, 2);
    }

    private static void fillUniform(INDArray params, double scale, long seed) {
        Random random = new Random(seed);
        for (long i = 0; i < params.length(); i++) {
            params.putScalar(i, scale * (2 * random.nextDouble() - 1));
        }
    }

    @Test
    void clampsEveryParameterToTheClipValueAndLeavesInnerValuesAlone() {
        fillUniform(1.0);
        INDArray before = critic.parameters().dup();

        LipschitzConstraints.weightClipping(0.3).afterCriticUpdate(critic);

        INDArray after = critic.parameters();
        for (long i = 0; i < before.length(); i++) {
            double expected = Math.max(-0.3, Math.min(0.3, before.getDouble(i)));
            assertThat(after.getDouble(i)).isEqualTo((float) expected);
        }
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void clampsExactlyInFloatAndDouble(DataType dataType) {
        MultiLayerCritic typed = MultiLayerCritic.of(
                TestNetworks.mlp(1, dataType, Optimizers.wgan(), Activation.RELU, 2, 6, 5, 1));
        double clipValue = 0.01;
        double bound = dataType == DataType.FLOAT ? (float) clipValue : clipValue;
        double[] edges = {bound, -bound, Math.nextUp(bound), Math.nextDown(-bound), Math.nextDown(bound),
            Math.nextUp(-bound), 0.0, -0.0, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1e-30};
        INDArray params = typed.parameters();
        Random random = new Random(3);
        for (long i = 0; i < params.length(); i++) {
            params.putScalar(i, i < edges.length ? edges[(int) i] : 3 * clipValue * (2 * random.nextDouble() - 1));
        }
        INDArray before = params.dup();

        WeightClipping clipping = LipschitzConstraints.weightClipping(clipValue);
        clipping.afterCriticUpdate(typed);

        for (long i = 0; i < params.length(); i++) {
            assertThat(bits(params, i)).as("parameter %d, was %s", i, before.getDouble(i))
                    .isEqualTo(bits(expectedClamp(before, i, bound), dataType));
        }
        assertThat(params.getDouble(10)).as("NaN").isEqualTo(-bound);
    }

    private static double expectedClamp(INDArray before, long i, double bound) {
        double value = before.getDouble(i);
        return Double.isNaN(value) || value < -bound ? -bound : value > bound ? bound : value;
    }

    private static long bits(INDArray array, long i) {
        return bits(array.getDouble(i), array.dataType());
    }

    private static long bits(double value, DataType dataType) {
        return dataType == DataType.FLOAT ? Float.floatToRawIntBits((float) value) : Double.doubleToRawLongBits(value);
    }

    @Test
    void clampsAgainAfterEveryUpdateAndFollowsANewCritic() {
        MultiLayerCritic other = MultiLayerCritic.of(
                TestNetworks.mlp(2, DataType.FLOAT, Optimizers.wgan(), Activation.RELU, 2, 4, 1));
        WeightClipping all = LipschitzConstraints.weightClipping(0.2);
        WeightClipping weightsOnly = all.weightsOnly();
        for (int round = 0; round < 3; round++) {
            fillUniform(critic.parameters(), 1.0, round);
            fillUniform(other.parameters(), 1.0, 10 + round);
            INDArray otherBefore = other.parameters().dup();

            all.afterCriticUpdate(round == 1 ? other : critic);
            all.afterCriticUpdate(round == 1 ? critic : other);
            assertThat(critic.parameters().amaxNumber().doubleValue()).isEqualTo(0.2f);
            assertThat(other.parameters().amaxNumber().doubleValue()).isEqualTo(0.2f);

            other.parameters().assign(otherBefore);
            weightsOnly.afterCriticUpdate(other);
            for (ParameterBlock block : other.parameterBlocks()) {
                double largest = Nd4j.toFlattened(block.view()).amaxNumber().doubleValue();
                if (block.kind() == ParameterBlock.Kind.BIAS) {
                    assertThat(Nd4j.toFlattened(block.view())).isEqualTo(block.sliceOf(otherBefore));
                } else {
                    assertThat(largest).isEqualTo(0.2f);
                }
            }
        }
    }

    @Test
    void defaultClipValueIsThePapers() {
        fillUniform(1.0);

        LipschitzConstraints.weightClipping().afterCriticUpdate(critic);

        assertThat(critic.parameters().amaxNumber().doubleValue())
                .isEqualTo(0.01f, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(critic.parameters().minNumber().doubleValue())
                .isEqualTo(-0.01f, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void weightsOnlyLeavesBiasesUnclipped() {
        fillUniform(1.0);
        INDArray before = critic.parameters().dup();

        WeightClipping clipping = LipschitzConstraints.weightClipping(0.1).weightsOnly();
        clipping.afterCriticUpdate(critic);

        assertThat(clipping.scope()).isEqualTo(WeightClipping.Scope.WEIGHTS_ONLY);
        for (ParameterBlock block : critic.parameterBlocks()) {
            INDArray original = block.sliceOf(before);
            INDArray now = Nd4j.toFlattened(block.view());
            if (block.kind() == ParameterBlock.Kind.BIAS) {
                assertThat(now).isEqualTo(original.reshape(now.shape()));
            } else {
                assertThat(now.amaxNumber().doubleValue()).isLessThanOrEqualTo(0.1f);
            }
        }
        assertThat(before.amaxNumber().doubleValue()).isGreaterThan(0.5);
    }

    @Test
    void weightsOnlyLeavesLayerNormGainsAsItLeavesBiases() {
        MultiLayerCritic normalised = MultiLayerCritic.of(LayerNormNetworks.oneLayer(3, DataType.DOUBLE,
                Activation.TANH, true, 3, 4));
        normalised.parameters().assign(Nd4j.linspace(DataType.DOUBLE, 0.5, 2.0, normalised.numParameters()));
        INDArray before = normalised.parameters().dup();

        LipschitzConstraints.weightClipping(0.1).weightsOnly().afterCriticUpdate(normalised);

        ParameterBlock gain = normalised.parameterBlocks().stream().filter(b -> b.name().equals("g")).findFirst()
                .orElseThrow();
        assertThat(gain.kind()).isEqualTo(ParameterBlock.Kind.OTHER);
        assertThat(Nd4j.toFlattened(gain.view())).isEqualTo(gain.sliceOf(before).reshape(gain.view().length()));
        ParameterBlock weight = normalised.parameterBlocks().get(0);
        assertThat(weight.kind()).isEqualTo(ParameterBlock.Kind.WEIGHT);
        assertThat(weight.view().amaxNumber().doubleValue()).isLessThanOrEqualTo(0.1);
    }
}
