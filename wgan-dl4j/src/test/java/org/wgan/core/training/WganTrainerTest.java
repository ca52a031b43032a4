package org.wgan.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.constraint.Penalty;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.listener.TrainingDivergedException;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.Objective;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

class WganTrainerTest {

    private static final double CLIP = 0.01;

    private static WganTrainer.Builder toyTrainer(long seed) {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                TestNetworks.mlp(seed, DataType.FLOAT, Optimizers.rmsProp(1e-3), Activation.RELU, 2, 16, 2));
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(seed + 1, DataType.FLOAT, Optimizers.rmsProp(1e-3), Activation.RELU, 2, 16, 1));
        return WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.weightClipping(CLIP))
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(16)
                .seed(seed);
    }

    @Test
    void runsExactlyTheScheduledCriticUpdatesPerGeneratorStep() {
        List<Integer> perStep = new ArrayList<>();
        int[] counter = {0};
        TrainerListener counting = new TrainerListener() {
            @Override
            public void onCriticStep(CriticStepEvent event, StopHandle stop) {
                assertThat(event.criticStep()).isEqualTo(counter[0]);
                counter[0]++;
            }

            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                perStep.add(counter[0]);
                assertThat(event.criticSteps()).isEqualTo(counter[0]);
                counter[0] = 0;
            }
        };
        WganTrainer trainer = toyTrainer(1)
                .criticSchedule(new CriticSchedule(2, 7, 3, 4))
                .maxGeneratorSteps(10)
                .listener(counting)
                .build();

        TrainingSummary summary = trainer.fit();

        // warm-up while g < 3 and at every multiple of 4: g = 0, 1, 2, 4, 8
        assertThat(perStep).containsExactly(7, 7, 7, 2, 7, 2, 2, 2, 7, 2);
        assertThat(summary.generatorSteps()).isEqualTo(10);
        assertThat(summary.criticUpdates()).isEqualTo(5 * 7 + 5 * 2);
        assertThat(trainer.config().critic().updateCount()).isEqualTo(45);
        assertThat(trainer.config().generator().updateCount()).isEqualTo(10);
    }

    @Test
    void criticStepRunsOneCriticUpdateOutsideTheSchedule() {
        WganTrainer trainer = toyTrainer(12).build();
        INDArray generatorBefore = trainer.config().generator().parameters().dup();

        CriticStepEvent event = trainer.criticStep();

        assertThat(event.totalCriticUpdates()).isEqualTo(1);
        assertThat(trainer.config().critic().updateCount()).isEqualTo(1);
        assertThat(trainer.generatorStep()).isZero();
        assertThat(trainer.config().generator().parameters()).isEqualTo(generatorBefore);
    }

    @Test
    void defaultScheduleIsFiveCriticUpdatesPerGeneratorStep() {
        WganTrainer trainer = toyTrainer(2).maxGeneratorSteps(3).build();

        TrainingSummary summary = trainer.fit();

        assertThat(summary.criticUpdates()).isEqualTo(15);
    }

    @Test
    void clippingKeepsEveryCriticParameterWithinBoundsAfterEachCriticUpdate() {
        List<Double> maxAbs = new ArrayList<>();
        WganTrainer[] holder = new WganTrainer[1];
        TrainerListener probe = new TrainerListener() {
            @Override
            public void onCriticStep(CriticStepEvent event, StopHandle stop) {
                maxAbs.add(holder[0].config().critic().parameters().amaxNumber().doubleValue());
            }
        };
        holder[0] = toyTrainer(3).maxGeneratorSteps(4).listener(probe).build();
        // before training the Xavier weights are far outside [-c, c]
        assertThat(holder[0].config().critic().parameters().amaxNumber().doubleValue()).isGreaterThan(10 * CLIP);

        holder[0].fit();

        assertThat(maxAbs).hasSize(20).allSatisfy(m -> assertThat(m).isLessThanOrEqualTo(CLIP));
    }

    @Test
    void criticStepsLeaveTheGeneratorUntouchedAndGeneratorStepsLeaveTheCriticUntouched() {
        WganTrainer[] holder = new WganTrainer[1];
        INDArray[] generatorBefore = new INDArray[1];
        INDArray[] criticAfterLastCriticStep = new INDArray[2];
        List<String> checks = new ArrayList<>();
        TrainerListener probe = new TrainerListener() {
            @Override
            public void onCriticStep(CriticStepEvent event, StopHandle stop) {
                Generator generator = holder[0].config().generator();
                assertThat(generator.parameters()).isEqualTo(generatorBefore[0]);
                Critic critic = holder[0].config().critic();
                criticAfterLastCriticStep[0] = critic.parameters().dup();
                criticAfterLastCriticStep[1] = critic.optimizerState().dup();
                checks.add("critic step");
            }

            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                Critic critic = holder[0].config().critic();
                assertThat(critic.parameters()).isEqualTo(criticAfterLastCriticStep[0]);
                assertThat(critic.optimizerState()).isEqualTo(criticAfterLastCriticStep[1]);
                Generator generator = holder[0].config().generator();
                assertThat(generator.parameters()).isNotEqualTo(generatorBefore[0]);
                generatorBefore[0] = generator.parameters().dup();
                checks.add("generator step");
            }
        };
        holder[0] = toyTrainer(4).maxGeneratorSteps(3).listener(probe).build();
        generatorBefore[0] = holder[0].config().generator().parameters().dup();
        INDArray criticStart = holder[0].config().critic().parameters().dup();

        holder[0].fit();

        assertThat(checks).hasSize(18);
        assertThat(holder[0].config().critic().parameters()).isNotEqualTo(criticStart);
    }

    @Test
    void sameSeedGivesIdenticalTrainingAndAnotherSeedDoesNot() {
        INDArray first = trainedGeneratorParameters(5, 5);
        INDArray again = trainedGeneratorParameters(5, 5);
        INDArray otherSeed = trainedGeneratorParameters(5, 6);

        assertThat(again).isEqualTo(first);
        assertThat(otherSeed).isNotEqualTo(first);
    }

    private static INDArray trainedGeneratorParameters(long networkSeed, long trainerSeed) {
        WganTrainer trainer = toyTrainer(networkSeed).seed(trainerSeed).maxGeneratorSteps(3).build();
        trainer.fit();
        return trainer.config().generator().parameters().dup();
    }

    @Test
    void listenerCanStopTrainingAfterTheCurrentGeneratorStep() {
        TrainerListener stopAtTwo = new TrainerListener() {
            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                if (event.generatorStep() == 1) {
                    stop.requestStop("enough");
                }
            }
        };
        WganTrainer trainer = toyTrainer(6).maxGeneratorSteps(100).listener(stopAtTwo).build();

        TrainingSummary summary = trainer.fit();

        assertThat(summary.generatorSteps()).isEqualTo(2);
        assertThat(summary.stopReason()).isEqualTo("enough");
        assertThat(trainer.generatorStep()).isEqualTo(2);
    }

    @Test
    void nonFiniteLossStopsWithAnExceptionNamingTheStepAndSettings() {
        Objective nanAfterFirstStep = new MeanDifferenceObjective() {
            private int calls;

            @Override
            public CriticLoss criticLoss(INDArray realScores, INDArray fakeScores) {
                CriticLoss loss = super.criticLoss(realScores, fakeScores);
                return ++calls > 5 ? new CriticLoss(Double.NaN, loss.realGradient(), loss.fakeGradient()) : loss;
            }
        };
        WganTrainer trainer = toyTrainer(7).objective(nanAfterFirstStep).maxGeneratorSteps(10).build();

        assertThatThrownBy(trainer::fit)
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("generator step 1")
                .hasMessageContaining("critic loss at critic step 0 is NaN")
                .hasMessageContaining("batchSize=16")
                .hasMessageContaining("WeightClipping[clipValue=0.01");
    }

    @Test
    void penaltyGradientIsAddedToTheObjectiveGradientInTheSameUpdate() {
        // two identical trainers with SGD(lr = 1) critics: one plain, one with an L2 penalty 0.5 * k * |theta|^2,
        // whose gradient k * theta must appear in the same update: theta' = theta - grad - k * theta
        double k = 0.25;
        LipschitzConstraint l2 = new LipschitzConstraint() {
            @Override
            public boolean hasPenalty() {
                return true;
            }

            @Override
            public Penalty penalty(Critic critic, INDArray real, INDArray fake, Random random, INDArray gradient) {
                gradient.addi(critic.parameters().mul(k));
                double norm = critic.parameters().norm2Number().doubleValue();
                return new Penalty(0.5 * k * norm * norm, Double.NaN);
            }
        };
        WganTrainer plain = sgdTrainer(LipschitzConstraints.weightClipping(1e6));
        WganTrainer penalised = sgdTrainer(l2);
        INDArray before = penalised.config().critic().parameters().dup();
        List<Double> penalties = new ArrayList<>();
        WganTrainer observed = penalised.toBuilder().listener(new TrainerListener() {
            @Override
            public void onCriticStep(CriticStepEvent event, StopHandle stop) {
                penalties.add(event.penalty());
            }
        }).build();

        plain.step();
        observed.step();

        INDArray plainStep = before.sub(plain.config().critic().parameters());
        INDArray expected = before.sub(plainStep).sub(before.mul(k));
        assertThat(observed.config().critic().parameters().equalsWithEps(expected, 1e-10)).isTrue();
        double norm = before.norm2Number().doubleValue();
        assertThat(penalties).containsExactly(0.5 * k * norm * norm);
    }

    private static WganTrainer sgdTrainer(LipschitzConstraint constraint) {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                TestNetworks.mlp(8, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 2, 4, 2));
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(9, DataType.DOUBLE, new Sgd(1.0), Activation.TANH, 2, 4, 1));
        return WganTrainer.builder()
                .generator(generator).critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(constraint)
                .realSamples(ToyDatasets.eightGaussians())
                .criticStepsPerGeneratorStep(1)
                .batchSize(8)
                .build();
    }

    @Test
    void generatedSamplesOfAnotherSizeThanRealOnesAreRejectedNamingBothShapes() {
        WganTrainer trainer = toyTrainer(10)
                .generator(MultiLayerGenerator.of(
                        TestNetworks.mlp(10, DataType.FLOAT, Optimizers.rmsProp(1e-3), Activation.RELU, 2, 8, 3)))
                .build();

        assertThatThrownBy(trainer::step)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("generated samples [16, 3] do not match real samples [16, 2]");
    }
}
