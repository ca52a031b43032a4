package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.fixtures.GraphNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;

class GeneratorEmaTest {

    @Test
    void averageFollowsTheRecurrenceAndLeavesTheTrainedGeneratorAlone() {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.5), Activation.TANH, 2, 4, 2));
        INDArray start = generator.parameters().dup();
        GeneratorEma ema = GeneratorEma.of(generator, 0.5);
        List<INDArray> weights = new ArrayList<>();
        WganTrainer.builder()
                .generator(generator)
                .critic(MultiLayerCritic.of(
                        TestNetworks.mlp(2, DataType.DOUBLE, new Sgd(0.5), Activation.TANH, 2, 4, 1)))
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.weightClipping(0.5))
                .realSamples(ToyDatasets.eightGaussians())
                .maxGeneratorSteps(3)
                .listener(ema)
                .listener(new TrainerListener() {
                    @Override
                    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                        weights.add(generator.parameters().dup());
                    }
                })
                .build()
                .fit();

        // bias-corrected weights (1 - d) d^(t - i) / (1 - d^t) with d = 0.5, t = 3: 1/7, 2/7, 4/7; no initial weights
        INDArray expected = weights.get(0).mul(1.0 / 7).add(weights.get(1).mul(2.0 / 7))
                .add(weights.get(2).mul(4.0 / 7));
        assertThat(ema.updates()).isEqualTo(3);
        assertThat(ema.averaged().parameters().equalsWithEps(expected, 1e-12)).isTrue();
        assertThat(start).isNotEqualTo(weights.get(0));
        assertThat(generator.parameters()).isEqualTo(weights.get(2));
        assertThat(ema.averaged().parameters()).isNotEqualTo(generator.parameters());
        assertThat(((MultiLayerGenerator) ema.averaged()).network()).isNotSameAs(generator.network());
    }

    @Test
    void aGraphGeneratorIsAveragedInAGraphOfItsOwn() {
        GraphGenerator generator = GraphGenerator.of(GraphNetworks.generator(3, DataType.DOUBLE, new Sgd(0.5), 3));
        GeneratorEma ema = GeneratorEma.of(generator, 0.5);
        INDArray first = generator.parameters().add(1.0);
        INDArray second = generator.parameters().add(3.0);

        generator.parameters().assign(first);
        ema.update();
        generator.parameters().assign(second);
        ema.update();

        // bias-corrected weights with d = 0.5, t = 2: 1/3 and 2/3
        Generator averaged = ema.averaged();
        assertThat(averaged).isInstanceOf(GraphGenerator.class);
        assertThat(((GraphGenerator) averaged).graph()).isNotSameAs(generator.graph());
        assertThat(averaged.parameters().equalsWithEps(first.mul(1.0 / 3).add(second.mul(2.0 / 3)), 1e-12)).isTrue();
        INDArray latent = Nd4j.rand(DataType.DOUBLE, 4, 3);
        assertThat(averaged.generate(latent).equalsWithEps(generator.generate(latent), 1e-6)).isFalse();
        assertThat(generator.parameters()).isEqualTo(second);
    }

    @Test
    void beforeAnyUpdateTheAverageIsTheGeneratorAndAfterOneItIsTheWeightsSeen() {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.5), Activation.TANH, 2, 4, 2));
        GeneratorEma ema = GeneratorEma.of(generator, 0.999);
        assertThat(ema.averaged().parameters()).isEqualTo(generator.parameters());

        generator.parameters().addi(1.0);
        ema.update();

        assertThat(ema.averaged().parameters().equalsWithEps(generator.parameters(), 1e-12)).isTrue();
    }

    @Test
    void rejectsADecayOutsideZeroToOne() {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.5), Activation.TANH, 2, 4, 2));

        assertThatThrownBy(() -> GeneratorEma.of(generator, 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("decay must be in [0, 1), but was 1.0");
        assertThatThrownBy(() -> GeneratorEma.of(generator, Double.NaN))
                .hasMessage("decay must be in [0, 1), but was NaN");
    }
}
