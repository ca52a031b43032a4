package org.wgan.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.LoggingListener;
import org.wgan.core.metrics.MixtureMetrics;
import org.wgan.core.metrics.MixtureQuality;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

/** The README's quick start, verbatim but for the step budget, so it keeps compiling and running. */
class ReadmeQuickStartTest {

    @Test
    void quickStartRuns() {
        GaussianMixture data = ToyDatasets.eightGaussians();
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                Mlp.builder().sizes(2, 512, 512, 512, 2).updater(Optimizers.wgan()).seed(1).build());
        MultiLayerCritic critic = MultiLayerCritic.of(
                Mlp.builder().sizes(2, 512, 512, 512, 1).updater(Optimizers.wgan()).seed(2).build());

        WganTrainer trainer = WganTrainer.builder()
                .generator(generator)
                .critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.weightClipping(0.01))
                .criticStepsPerGeneratorStep(5)
                .realSamples(data)
                .maxGeneratorSteps(2)
                .listener(new LoggingListener(500))
                .build();
        TrainingSummary summary = trainer.fit();

        INDArray z = LatentSamplers.gaussian(2).sample(2_500, new Random(7));
        MixtureQuality quality = MixtureMetrics.evaluate(data, generator.generate(z).toDoubleMatrix());

        assertThat(summary.generatorSteps()).isEqualTo(2);
        assertThat(summary.criticUpdates()).isEqualTo(10);
        assertThat(quality.modes()).isEqualTo(8);
    }
}
