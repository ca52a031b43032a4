package org.wgan.core.constraint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Optimizers;
import org.wgan.core.ParameterBlock;
import org.wgan.core.dl4j.MultiLayerCritic;
import org.wgan.core.fixtures.TestNetworks;

class WeightClippingTest {

    private final MultiLayerCritic critic = MultiLayerCritic.of(
            TestNetworks.mlp(1, DataType.FLOAT, Optimizers.wgan(), Activation.RELU, 2, 6, 5, 1));

    private void fillUniform(double scale) {
        INDArray params = critic.parameters();
        Random random = new Random(2);
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

    @Test
    void defaultClipValueIsThePapers() {
        fillUniform(1.0);

        LipschitzConstraints.weightClipping().afterCriticUpdate(critic);

        assertThat(critic.parameters().amaxNumber().doubleValue()).isEqualTo(0.01f, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(critic.parameters().minNumber().doubleValue()).isEqualTo(-0.01f, org.assertj.core.data.Offset.offset(1e-9));
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
}
