package org.wgan.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.listener.NonFiniteGuard;
import org.wgan.core.objective.Objective;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

class WganTrainerBuilderTest {

    private final MultiLayerGenerator generator = MultiLayerGenerator.of(
            TestNetworks.mlp(1, DataType.FLOAT, Optimizers.wgan(), Activation.RELU, 3, 8, 2));
    private final MultiLayerCritic critic = MultiLayerCritic.of(
            TestNetworks.mlp(2, DataType.FLOAT, Optimizers.wgan(), Activation.RELU, 2, 8, 1));

    private WganTrainer.Builder complete() {
        return WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.weightClipping())
                .realSamples(ToyDatasets.eightGaussians());
    }

    @Test
    void rejectsZeroCriticSteps() {
        assertThatThrownBy(() -> complete().criticStepsPerGeneratorStep(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("criticStepsPerGeneratorStep must be >= 1, but was 0");
    }

    @Test
    void rejectsNegativeCriticSteps() {
        assertThatThrownBy(() -> complete().criticStepsPerGeneratorStep(-3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("criticStepsPerGeneratorStep must be >= 1, but was -3");
    }

    @Test
    void rejectsZeroBatchSize() {
        assertThatThrownBy(() -> complete().batchSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1, but was 0");
    }

    @Test
    void rejectsZeroOrNegativeMaxGeneratorSteps() {
        assertThatThrownBy(() -> complete().maxGeneratorSteps(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxGeneratorSteps must be >= 1, but was 0");
        assertThatThrownBy(() -> complete().maxGeneratorSteps(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxGeneratorSteps must be >= 1, but was -1");
    }

    @Test
    void rejectsBadScheduleValues() {
        assertThatThrownBy(() -> new CriticSchedule(5, 0, 25, 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("warmUpCriticSteps must be >= 1, but was 0");
        assertThatThrownBy(() -> new CriticSchedule(5, 100, -1, 500))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("warmUpUntil must be >= 0, but was -1");
        assertThatThrownBy(() -> CriticSchedule.constant(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("criticSteps must be >= 1, but was 0");
    }

    @Test
    void rejectsNaNAndNonPositiveClipValues() {
        assertThatThrownBy(() -> LipschitzConstraints.weightClipping(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clipValue must be finite and > 0, but was NaN");
        assertThatThrownBy(() -> LipschitzConstraints.weightClipping(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clipValue must be finite and > 0, but was 0.0");
        assertThatThrownBy(() -> LipschitzConstraints.weightClipping(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clipValue must be finite and > 0, but was Infinity");
    }

    @Test
    void rejectsNaNAndNonPositiveLearningRates() {
        assertThatThrownBy(() -> Optimizers.rmsProp(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("learningRate must be finite and > 0, but was NaN");
        assertThatThrownBy(() -> Optimizers.adam(-1e-4, 0, 0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("learningRate must be finite and > 0, but was -1.0E-4");
        assertThatThrownBy(() -> Optimizers.adam(1e-4, 1.0, 0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("beta1 must be in [0, 1), but was 1.0");
        assertThatThrownBy(() -> Optimizers.adam(1e-4, 0.5, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("beta2 must be in [0, 1), but was NaN");
    }

    @Test
    void rejectsNullsNamingTheField() {
        assertThatThrownBy(() -> complete().critic(null))
                .isInstanceOf(NullPointerException.class).hasMessage("critic");
        assertThatThrownBy(() -> complete().generator(null))
                .isInstanceOf(NullPointerException.class).hasMessage("generator");
        assertThatThrownBy(() -> complete().objective(null))
                .isInstanceOf(NullPointerException.class).hasMessage("objective");
        assertThatThrownBy(() -> complete().listener(null))
                .isInstanceOf(NullPointerException.class).hasMessage("listener");
    }

    @Test
    void rejectsMissingCritic() {
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator)
                .objective(new MeanDifferenceObjective())
                .realSamples(ToyDatasets.eightGaussians());

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("critic is required; call critic(...) before build()");
    }

    @Test
    void rejectsMissingGeneratorObjectiveAndRealSamples() {
        assertThatThrownBy(() -> WganTrainer.builder().critic(critic).build())
                .hasMessage("generator is required; call generator(...) before build()");
        assertThatThrownBy(() -> WganTrainer.builder().critic(critic).generator(generator).build())
                .hasMessage("objective is required; call objective(...) before build()");
        assertThatThrownBy(() -> WganTrainer.builder().critic(critic).generator(generator)
                .objective(new MeanDifferenceObjective()).build())
                .hasMessage("realSamples is required; call realSamples(...) before build()");
    }

    @Test
    void rejectsAWassersteinObjectiveWithoutALipschitzConstraint() {
        assertThatThrownBy(() -> complete().constraint(LipschitzConstraints.none()).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the mean-difference objective needs a Lipschitz constraint on the critic");
    }

    @Test
    void rejectsALatentSamplerOfTheWrongSize() {
        assertThatThrownBy(() -> complete().latentSampler(LatentSamplers.gaussian(5)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("latentSampler gives vectors of size 5, but the generator expects 3");
    }

    @Test
    void rejectsTheSameNetworkAsGeneratorAndCritic() {
        org.deeplearning4j.nn.multilayer.MultiLayerNetwork shared =
                TestNetworks.mlp(3, DataType.FLOAT, Optimizers.wgan(), Activation.RELU, 2, 4, 1);
        assertThatThrownBy(() -> complete().generator(MultiLayerGenerator.of(shared))
                .critic(MultiLayerCritic.of(shared)).latentSampler(LatentSamplers.gaussian(2)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("generator and critic must be different networks, but share their parameters");
    }

    @Test
    void buildsAnImmutableConfigWithTheDocumentedDefaults() {
        WganTrainer trainer = complete().build();

        TrainerConfig config = trainer.config();
        assertThat(config.criticSchedule()).isEqualTo(CriticSchedule.constant(5));
        assertThat(config.batchSize()).isEqualTo(64);
        assertThat(config.seed()).isZero();
        assertThat(config.maxGeneratorSteps()).isEqualTo(10_000);
        assertThat(config.latentSampler().latentSize()).isEqualTo(3);
        assertThatThrownBy(() -> config.listeners().add(new org.wgan.core.listener.LoggingListener(1)))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void toBuilderDerivesAVariantWithoutChangingTheOriginal() {
        WganTrainer original = complete().batchSize(32).seed(9).build();

        WganTrainer variant = original.toBuilder().batchSize(128).build();

        assertThat(original.config().batchSize()).isEqualTo(32);
        assertThat(variant.config().batchSize()).isEqualTo(128);
        assertThat(variant.config().seed()).isEqualTo(9);
        assertThat(variant.config().critic()).isSameAs(original.config().critic());
    }

    @Test
    void toBuilderKeepsTheGuardSettingAndTheListenersAsGiven() {
        WganTrainer guarded = complete().build();
        WganTrainer unguardedWithOwnGuard = complete().withoutNonFiniteGuard().listener(new NonFiniteGuard()).build();

        assertThat(guarded.config().stopOnNonFinite()).isTrue();
        assertThat(guarded.config().listeners()).isEmpty();
        TrainerConfig roundTrip = unguardedWithOwnGuard.toBuilder().build().config();
        assertThat(roundTrip.stopOnNonFinite()).isFalse();
        assertThat(roundTrip.listeners()).hasSize(1).allMatch(NonFiniteGuard.class::isInstance);
        assertThat(roundTrip).isEqualTo(unguardedWithOwnGuard.config());
        assertThat(guarded.toBuilder().build().config().stopOnNonFinite()).isTrue();
    }

    @Test
    void configRejectsWhatTheBuilderRejectsWhenConstructedDirectly() {
        TrainerConfig valid = complete().build().config();

        assertThatThrownBy(() -> withBatchSize(valid, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be >= 1, but was 0");
        assertThatThrownBy(() -> new TrainerConfig(valid.generator(), valid.critic(), valid.objective(),
                valid.constraint(), valid.criticSchedule(), 8, valid.realSamples(), valid.latentSampler(), 1, 0,
                valid.listeners(), true, valid.checkpoints()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxGeneratorSteps must be >= 1, but was 0");
        assertThatThrownBy(() -> new TrainerConfig(valid.generator(), valid.critic(), valid.objective(),
                LipschitzConstraints.none(), valid.criticSchedule(), 8, valid.realSamples(), valid.latentSampler(),
                1, 1, valid.listeners(), true, valid.checkpoints()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("the mean-difference objective needs a Lipschitz constraint on the critic");
        assertThatThrownBy(() -> new TrainerConfig(valid.generator(), valid.critic(), valid.objective(),
                valid.constraint(), valid.criticSchedule(), 8, valid.realSamples(), LatentSamplers.gaussian(5), 1, 1,
                valid.listeners(), true, valid.checkpoints()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("latentSampler gives vectors of size 5, but the generator expects 3");
        assertThat(withBatchSize(valid, 8).batchSize()).isEqualTo(8);
    }

    private static TrainerConfig withBatchSize(TrainerConfig c, int batchSize) {
        return new TrainerConfig(c.generator(), c.critic(), c.objective(), c.constraint(), c.criticSchedule(),
                batchSize, c.realSamples(), c.latentSampler(), c.seed(), c.maxGeneratorSteps(), c.listeners(),
                c.stopOnNonFinite(), c.checkpoints());
    }

    @Test
    void resumeFromLatestIsPartOfTheTrainerInterface() {
        Trainer trainer = complete().build();

        assertThatThrownBy(trainer::resumeFromLatest)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("no checkpoint store; call checkpoints(store, everyGeneratorSteps)");
    }

    @Test
    void buildCanBeCalledAgainForAnIndependentTrainer() {
        WganTrainer.Builder builder = complete().maxGeneratorSteps(3);

        WganTrainer first = builder.build();
        WganTrainer second = builder.build();

        assertThat(second).isNotSameAs(first);
        assertThat(second.config()).isEqualTo(first.config());
    }

    @Test
    void objectiveSpiDefaultsToNotRequiringAConstraint() {
        Objective plain = new Objective() {
            @Override
            public org.wgan.core.objective.CriticLoss criticLoss(org.nd4j.linalg.api.ndarray.INDArray r,
                    org.nd4j.linalg.api.ndarray.INDArray f) {
                throw new UnsupportedOperationException();
            }

            @Override
            public org.wgan.core.objective.GeneratorLoss generatorLoss(org.nd4j.linalg.api.ndarray.INDArray f) {
                throw new UnsupportedOperationException();
            }

            @Override
            public String name() {
                return "plain";
            }
        };

        assertThat(complete().objective(plain).constraint(LipschitzConstraints.none()).build().config().objective())
                .isSameAs(plain);
    }
}
