package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.fixtures.TestNetworks;

class MultiLayerGeneratorTest {

    private static final double H = 1e-6;

    private final MultiLayerCritic critic = MultiLayerCritic.of(
            TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.5), Activation.TANH, 3, 5, 4, 1));
    private final MultiLayerGenerator generator = MultiLayerGenerator.of(
            TestNetworks.mlp(2, DataType.DOUBLE, new Sgd(0.5), Activation.SOFTPLUS, 2, 6, 3));

    /** A weighted sum of scores, so every sample's gradient differs. */
    private final INDArray weights = Nd4j.linspace(-1.0, 2.0, 7, DataType.DOUBLE).reshape(7, 1);

    private double weightedScore(INDArray x) {
        return critic.score(x).mul(weights).sumNumber().doubleValue();
    }

    @Test
    void generatorGradientThroughTheCriticMatchesCentralDifferences() {
        INDArray latent = TestArrays.unitUniform(new Random(4), 7, 2);
        INDArray fake = generator.forward(latent);
        critic.forward(fake);
        generator.backward(critic.backward(weights));
        INDArray gradient = generator.gradient().dup();
        INDArray params = generator.parameters();

        for (long p = 0; p < params.length(); p++) {
            double numeric = TestArrays.centralDifference(params, p, H,
                    () -> weightedScore(generator.generate(latent)));
            assertThat(gradient.getDouble(p)).isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-8));
        }
    }

    @Test
    void generatorRejectsLatentOfTheWrongSize() {
        assertThatThrownBy(() -> generator.generate(Nd4j.zeros(DataType.DOUBLE, 4, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("latent must have shape [batch, 2], but was [4, 5]");
        assertThat(generator.latentSize()).isEqualTo(2);
    }
}
