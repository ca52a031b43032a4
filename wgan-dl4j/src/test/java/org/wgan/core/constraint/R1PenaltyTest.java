package org.wgan.core.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.core.fixtures.TestArrays.uniform;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.fixtures.TestNetworks;

class R1PenaltyTest {

    @Test
    void linearCriticGivesHalfGammaTimesTheSquaredNormAndGammaTimesW() {
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(1.0), Activation.IDENTITY, 2, 1));
        critic.network().getLayer(0).setParam("W", Nd4j.create(new double[][] {{3}, {4}}));
        critic.network().getLayer(0).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        INDArray gradient = Nd4j.create(DataType.DOUBLE, 3);
        Random random = new Random(1);

        Penalty penalty = LipschitzConstraints.r1(2.0).penalty(critic, uniform(random, 5, 2), uniform(random, 5, 2),
                random, gradient);

        // gamma / 2 * ||w||^2 = 25; d/dw = gamma w = (6, 8)
        assertThat(penalty.value()).isCloseTo(25.0, within(1e-12));
        assertThat(penalty.meanGradientNorm()).isCloseTo(5.0, within(1e-12));
        assertThat(gradient.toDoubleVector()).containsExactly(new double[] {6, 8, 0}, within(1e-12));
    }

    @Test
    void parameterGradientMatchesCentralDifferences() {
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(2, DataType.DOUBLE, new Sgd(1.0), Activation.TANH, 3, 5, 4, 1));
        R1Penalty r1 = LipschitzConstraints.r1(3.0);
        Random random = new Random(2);
        INDArray real = uniform(random, 6, 3);
        INDArray fake = uniform(random, 6, 3);
        INDArray analytic = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        r1.penalty(critic, real, fake, random, analytic);
        INDArray scratch = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        INDArray params = critic.parameters();
        double h = 1e-6;
        double worst = 0;
        for (long p = 0; p < params.length(); p++) {
            double original = params.getDouble(p);
            params.putScalar(p, original + h);
            double plus = r1.penalty(critic, real, fake, random, scratch).value();
            params.putScalar(p, original - h);
            double minus = r1.penalty(critic, real, fake, random, scratch).value();
            params.putScalar(p, original);
            double numeric = (plus - minus) / (2 * h);
            double exact = analytic.getDouble(p);
            worst = Math.max(worst, Math.abs(numeric - exact) / Math.max(1e-8, Math.abs(numeric) + Math.abs(exact)));
        }
        assertThat(worst).isLessThan(1e-6);
    }

    @Test
    void rejectsANegativeGamma() {
        assertThatThrownBy(() -> LipschitzConstraints.r1(-0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("gamma must be finite and >= 0, but was -0.5");
    }
}
