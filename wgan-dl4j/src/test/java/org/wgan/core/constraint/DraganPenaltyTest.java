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

class DraganPenaltyTest {

    @Test
    void linearCriticGivesTheGradientPenaltysSixteenWhereverItIsMeasured() {
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(1.0), Activation.IDENTITY, 2, 1));
        critic.network().getLayer(0).setParam("W", Nd4j.create(new double[][] {{3}, {4}}));
        INDArray gradient = Nd4j.create(DataType.DOUBLE, 3);
        Random random = new Random(1);

        Penalty penalty = LipschitzConstraints.dragan(1.0).penalty(critic, uniform(random, 5, 2),
                uniform(random, 5, 2), random, gradient);

        assertThat(penalty.value()).isCloseTo(16.0, within(1e-12));
        assertThat(gradient.toDoubleVector()).containsExactly(new double[] {4.8, 6.4, 0}, within(1e-12));
    }

    @Test
    void measuresAroundTheRealSamplesAndIgnoresTheGeneratedOnes() {
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(2, DataType.DOUBLE, new Sgd(1.0), Activation.TANH, 2, 6, 1));
        INDArray real = uniform(new Random(3), 8, 2);
        INDArray first = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        INDArray second = Nd4j.create(DataType.DOUBLE, critic.numParameters());

        Penalty a = LipschitzConstraints.dragan(10).penalty(critic, real, uniform(new Random(4), 8, 2),
                new Random(5), first);
        Penalty b = LipschitzConstraints.dragan(10).penalty(critic, real, uniform(new Random(6), 8, 2).muli(100),
                new Random(5), second);

        assertThat(b.value()).isEqualTo(a.value());
        assertThat(second).isEqualTo(first);
        assertThat(a.value()).isPositive();
    }

    @Test
    void rejectsANegativePerturbationOrWeight() {
        assertThatThrownBy(() -> LipschitzConstraints.dragan(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("penaltyWeight must be finite and >= 0, but was -1.0");
    }
}
