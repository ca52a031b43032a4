package org.wgan.examples.toy;

import java.util.Objects;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.ConsoleProgress;
import org.wgan.losses.Objectives;

/**
 * The training behind {@link EightGaussians}: WGAN with weight clipping on the 8-Gaussians toy data (Arjovsky et al.
 * 2017's recipe on the WGAN-GP paper's data). Critic and generator are 2 -> 512 -> 512 -> 512 (ReLU) MLPs with
 * RMSProp; the generator is seeded with the run's seed, the critic with seed + 1, the final evaluation's random source
 * with seed + 7 ({@link ToyEvaluation}). Every {@code evalEvery} generator steps before the last it prints
 * {@code step N: <figures>} through the run's {@link ConsoleProgress}.
 */
public final class EightGaussiansTraining {

    /**
     * The run's settings.
     *
     * @param steps        generator steps
     * @param criticSteps  critic steps per generator step
     * @param batchSize    samples per batch
     * @param clipValue    weight clipping bound
     * @param learningRate RMSProp learning rate of both networks
     * @param seed         seed of the networks, the data and the noise
     * @param evalEvery    generator steps between printed evaluations; 0 for none
     */
    public record Settings(long steps, int criticSteps, int batchSize, double clipValue, double learningRate,
            long seed, long evalEvery) {
    }

    /**
     * What a run produced.
     *
     * @param summary    the trainer's summary
     * @param evaluation the final evaluation
     */
    public record Result(TrainingSummary summary, ToyEvaluation evaluation) {
    }

    private final Settings settings;

    /** A run with these settings. */
    public EightGaussiansTraining(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Trains, reporting to {@code progress} (started here and closed at the end), and evaluates the generator. */
    public Result train(ConsoleProgress progress) {
        GaussianMixture data = ToyDatasets.eightGaussians();
        MultiLayerGenerator generator = MultiLayerGenerator.of(Mlp.builder().sizes(2, 512, 512, 512, 2)
                .updater(Optimizers.rmsProp(settings.learningRate())).seed(settings.seed()).build());
        MultiLayerCritic critic = MultiLayerCritic.of(Mlp.builder().sizes(2, 512, 512, 512, 1)
                .updater(Optimizers.rmsProp(settings.learningRate())).seed(settings.seed() + 1).build());
        LatentSampler latent = LatentSamplers.gaussian(generator.latentSize());
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator)
                .latentSampler(latent)
                .critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.weightClipping(settings.clipValue()))
                .criticStepsPerGeneratorStep(settings.criticSteps())
                .batchSize(settings.batchSize())
                .realSamples(data)
                .seed(settings.seed())
                .maxGeneratorSteps(settings.steps());
        if (settings.evalEvery() > 0) {
            builder.listener(new TrainerListener() {
                @Override
                public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                    long done = event.generatorStep() + 1;
                    if (done % settings.evalEvery() == 0 && done < settings.steps()) {
                        progress.println("step " + done + ": "
                                + ToyEvaluation.of(generator, latent, data, settings.seed() + 7));
                    }
                }
            });
        }
        TrainingSummary summary;
        try (ConsoleProgress started = progress.start(0)) {
            summary = builder.listener(started).build().fit();
        }
        return new Result(summary, ToyEvaluation.of(generator, latent, data, settings.seed() + 7));
    }
}
