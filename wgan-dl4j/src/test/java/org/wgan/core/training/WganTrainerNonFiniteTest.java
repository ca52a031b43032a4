package org.wgan.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.SampleSource;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.listener.TrainingDivergedException;
import org.wgan.core.simd.VectorSupport;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

/**
 * Bad numbers never train on silently: NaN in the real data or in a network's parameters or optimizer state stops
 * training with a {@link TrainingDivergedException} naming the step, what is not finite and the settings, with the
 * SIMD loops on (the build's tests run with them) as with them off, weight clipping or not.
 */
class WganTrainerNonFiniteTest {

    private static final double CLIP = 0.01;

    /** ReLU networks in float32: the critic's dense layers take the fused SIMD bias-and-activation pass. */
    private static WganTrainer.Builder reluTrainer(boolean clipping) {
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                TestNetworks.mlp(3, DataType.FLOAT, Optimizers.rmsProp(1e-3), Activation.RELU, 2, 16, 2));
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(4, DataType.FLOAT, Optimizers.rmsProp(1e-3), Activation.RELU, 2, 16, 16, 1));
        return WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(clipping ? new MeanDifferenceObjective() : new MeanDifferenceObjective() {
                    @Override
                    public boolean requiresLipschitzConstraint() {
                        return false;
                    }
                })
                .constraint(clipping ? LipschitzConstraints.weightClipping(CLIP) : LipschitzConstraints.none())
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(16)
                .maxGeneratorSteps(3)
                .seed(5);
    }

    @Test
    void theSimdLoopsAreOnSoTheseTestsRunThem() {
        assertThat(VectorSupport.available()).as("surefire's argLine adds jdk.incubator.vector").isTrue();
    }

    @ParameterizedTest(name = "weight clipping {0}")
    @ValueSource(booleans = {true, false})
    void nanInTheRealDataStopsFitWithANanCriticLoss(boolean clipping) {
        SampleSource eightGaussians = ToyDatasets.eightGaussians();
        SampleSource oneNan = (batch, random) -> {
            INDArray samples = eightGaussians.next(batch, random);
            samples.putScalar(3, 1, Double.NaN);
            return samples;
        };
        WganTrainer trainer = reluTrainer(clipping).realSamples(oneNan).build();

        assertThatThrownBy(trainer::fit)
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at generator step 0: critic loss at critic step 0 is NaN")
                .hasMessageContaining("batchSize=16");
    }

    @ParameterizedTest(name = "weight clipping {0}")
    @ValueSource(booleans = {true, false})
    void aGeneratorWhoseParametersAreAllNanStopsTraining(boolean clipping) {
        WganTrainer trainer = reluTrainer(clipping).build();
        trainer.config().generator().parameters().assign(Double.NaN);

        assertThatThrownBy(trainer::fit)
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at generator step 0: critic loss at critic step 0 is NaN");
    }

    /** A NaN running average makes every update NaN while the losses of that step are still finite. */
    @Test
    void nanGeneratorOptimizerStateStopsAtTheUpdateThatMadeItsParametersNan() {
        WganTrainer trainer = reluTrainer(true).build();
        trainer.config().generator().optimizerState().assign(Double.NaN);

        assertThatThrownBy(trainer::fit)
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at generator step 0: the generator's parameters are not"
                        + " finite after its update, with a finite generator loss ")
                .hasMessageContaining("WeightClipping[clipValue=0.01")
                .satisfies(e -> assertThat(((TrainingDivergedException) e).generatorStep()).isZero());
    }

    /** Clipping clamps the NaN parameters to -c at every update: the losses stay finite for as long as it runs. */
    @Test
    void nanCriticOptimizerStateStopsAtTheFirstCriticUpdateThoughClippingWouldHideIt() {
        WganTrainer trainer = reluTrainer(true).build();
        trainer.config().critic().optimizerState().assign(Double.NaN);

        assertThatThrownBy(trainer::fit)
                .isInstanceOf(TrainingDivergedException.class)
                .hasMessageStartingWith("training diverged at generator step 0: the critic's parameters are not"
                        + " finite after critic update 1 (critic step 0), with a finite critic loss ");
    }

    /** What the check prevents, and that it follows the guard's setting: the clamped critic trains on. */
    @Test
    void withoutTheNonFiniteGuardNoUpdateIsChecked() {
        WganTrainer trainer = reluTrainer(true).withoutNonFiniteGuard().build();
        trainer.config().critic().optimizerState().assign(Double.NaN);

        TrainingSummary summary = trainer.fit();

        assertThat(summary.generatorSteps()).isEqualTo(3);
        assertThat(summary.lastCriticLoss()).isFinite();
        INDArray parameters = trainer.config().critic().parameters();
        assertThat(parameters.minNumber().doubleValue()).isEqualTo(-CLIP, within(1e-6));
        assertThat(parameters.maxNumber().doubleValue()).isEqualTo(-CLIP, within(1e-6));
    }
}
