package org.wgan.core.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.core.fixtures.TestArrays.uniform;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.TwiceDifferentiableCritic;
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
        assertThatThrownBy(() -> LipschitzConstraints.dragan(10, -0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perturbation must be finite and >= 0, but was -0.5");
        assertThatThrownBy(() -> LipschitzConstraints.dragan(10).withPerturbation(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("perturbation must be finite and >= 0, but was NaN");
    }

    @Test
    void thePerturbationFactorIsSettableAndDefaultsToTheAuthorsHalf() {
        assertThat(LipschitzConstraints.dragan(10).perturbation()).isEqualTo(0.5);
        assertThat(LipschitzConstraints.dragan(10, 0.25).perturbation()).isEqualTo(0.25);
        assertThat(LipschitzConstraints.dragan(10).withPerturbation(2.0))
                .satisfies(d -> assertThat(d.perturbation()).isEqualTo(2.0))
                .satisfies(d -> assertThat(d.penaltyWeight()).isEqualTo(10.0));
    }

    @Test
    void theScaleIsThePopulationStandardDeviationAsNumpysStd() {
        // values 1, 2, 3, 4: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; numpy's x.std() divides
        // by N = 4 (sqrt 1.25 = 1.118...), ND4J's stdNumber() by N - 1 = 3 (sqrt 5/3 = 1.291...)
        assertThat(DraganPenalty.populationStd(new double[] {1, 2, 3, 4})).isEqualTo(Math.sqrt(1.25));
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.5, 2.0})
    void measuresAtRealPlusAlphaTimesFactorTimesPopulationStdTimesUniformNoise(double factor) {
        INDArray real = Nd4j.create(new double[][] {{1, 2}, {3, 4}});
        INDArray[] measuredAt = new INDArray[1];
        TwiceDifferentiableCritic recording = recordingPoints(MultiLayerCritic.of(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(1.0), Activation.IDENTITY, 2, 1)), measuredAt);

        LipschitzConstraints.dragan(1.0, factor).penalty(recording, real, real.dup(), new Random(7),
                Nd4j.create(DataType.DOUBLE, 3));

        // the draws in order: one u per value (row-major), then one alpha per sample
        Random random = new Random(7);
        double[] u = {random.nextDouble(), random.nextDouble(), random.nextDouble(), random.nextDouble()};
        double[] alpha = {random.nextDouble(), random.nextDouble()};
        double scale = factor * Math.sqrt(1.25);
        double[][] expected = {
            {1 + alpha[0] * scale * u[0], 2 + alpha[0] * scale * u[1]},
            {3 + alpha[1] * scale * u[2], 4 + alpha[1] * scale * u[3]}};
        assertThat(measuredAt[0].toDoubleMatrix()[0]).containsExactly(expected[0], within(1e-12));
        assertThat(measuredAt[0].toDoubleMatrix()[1]).containsExactly(expected[1], within(1e-12));
    }

    /** {@code critic}, keeping a copy of the points its input gradient is asked for in {@code measuredAt[0]}. */
    private static TwiceDifferentiableCritic recordingPoints(TwiceDifferentiableCritic critic, INDArray[] measuredAt) {
        return (TwiceDifferentiableCritic) Proxy.newProxyInstance(DraganPenaltyTest.class.getClassLoader(),
                new Class<?>[] {TwiceDifferentiableCritic.class}, (proxy, method, args) -> {
                    if (method.getName().equals("inputGradient")) {
                        measuredAt[0] = ((INDArray) args[0]).dup();
                    }
                    try {
                        return method.invoke(critic, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
