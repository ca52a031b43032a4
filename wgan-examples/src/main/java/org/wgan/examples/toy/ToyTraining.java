package org.wgan.examples.toy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.metrics.WassersteinDistances;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.ConsoleProgress;
import org.wgan.losses.Objectives;

/**
 * The training behind {@link ToyGan}, the WGAN-GP authors' toy recipe ({@code gan_toy.py}): generator
 * 2 -> 512 ReLU x3 -> 2 on N(0, I) noise of size 2, critic 2 -> 512 ReLU x3 -> 1, Adam(1e-4, 0.5, 0.9) for both
 * networks with the gradient penalty, or RMSProp 5e-5 with weight clipping at 0.01. Every {@code evalEvery}
 * iterations (generator steps) and at the last it scores the generator (and its EMA, if kept), prints
 * {@code iteration N, S s: <figures>}, writes 2,500 generated samples as CSV ({@code samples-00000N.csv}) and the
 * critic's value surface as PNG ({@code critic-00000N.png}).
 */
public final class ToyTraining {

    /** The toy data sets. */
    public enum Dataset {
        EIGHT_GAUSSIANS, TWENTY_FIVE_GAUSSIANS, SWISS_ROLL
    }

    /** How the critic is kept Lipschitz. */
    public enum Constraint {
        GRADIENT_PENALTY, WEIGHT_CLIPPING
    }

    /**
     * The run's settings.
     *
     * @param dataset       the real data
     * @param constraint    gradient penalty or weight clipping
     * @param penaltyWeight the gradient penalty's weight
     * @param steps         generator steps (iterations)
     * @param criticSteps   critic steps per generator step
     * @param batchSize     samples per batch
     * @param evalEvery     iterations between evaluations; 0 for only at the end
     * @param emaDecay      decay of an EMA of the generator's weights, evaluated beside it; 0 for none
     * @param seed          seed of the networks, the data and the noise
     * @param output        folder of the CSVs and PNGs
     */
    public record Settings(Dataset dataset, Constraint constraint, double penaltyWeight, long steps, int criticSteps,
            int batchSize, long evalEvery, double emaDecay, long seed, Path output) {

        /** Checks that the choices and the folder are there. */
        public Settings {
            Objects.requireNonNull(dataset, "dataset");
            Objects.requireNonNull(constraint, "constraint");
            Objects.requireNonNull(output, "output");
        }
    }

    /**
     * One evaluation; {@code mixture} and {@code emaMixture} hold the numbers on the Gaussian mixtures (null on the
     * Swiss roll, and {@code emaMixture} without an EMA).
     *
     * @param iteration  generator steps done
     * @param seconds    wall time since the start of training
     * @param figures    the printed figures
     * @param mixture    the generator's scores on a mixture
     * @param emaMixture the EMA generator's scores on a mixture
     */
    public record Evaluation(long iteration, double seconds, String figures, ToyEvaluation mixture,
            ToyEvaluation emaMixture) {
    }

    /** The figures of one evaluated generator, as text and (on a mixture) as numbers. */
    private record Scored(String figures, ToyEvaluation mixture) {
    }

    private final Settings settings;

    /** A run with these settings. */
    public ToyTraining(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** Trains, reporting to {@code progress} (started here and closed at the end); returns every evaluation. */
    public List<Evaluation> train(ConsoleProgress progress) {
        boolean clipping = settings.constraint() == Constraint.WEIGHT_CLIPPING;
        IUpdater updater = clipping ? Optimizers.wgan() : Optimizers.adam(1e-4, 0.5, 0.9);
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                Mlp.builder().sizes(2, 512, 512, 512, 2).updater(updater).seed(settings.seed()).build());
        MultiLayerCritic critic = MultiLayerCritic.of(
                Mlp.builder().sizes(2, 512, 512, 512, 1).updater(updater).seed(settings.seed() + 1).build());
        LipschitzConstraint lipschitz = clipping ? LipschitzConstraints.weightClipping()
                : LipschitzConstraints.gradientPenalty(settings.penaltyWeight());
        LatentSampler latent = LatentSamplers.gaussian(2);
        List<Evaluation> evaluations = new ArrayList<>();
        GeneratorEma ema = settings.emaDecay() > 0 ? GeneratorEma.of(generator, settings.emaDecay()) : null;
        long start = System.nanoTime();
        TrainerListener evaluator = new TrainerListener() {
            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                long done = event.generatorStep() + 1;
                boolean due = settings.evalEvery() > 0 && done % settings.evalEvery() == 0;
                if (due || done == settings.steps()) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Scored plain = evaluate(generator, critic, latent, done, "");
                    Scored averaged = ema == null ? null : evaluate(ema.averaged(), critic, latent, done, "-ema");
                    String figures = plain.figures() + (averaged == null ? "" : "; EMA " + averaged.figures());
                    evaluations.add(new Evaluation(done, seconds, figures, plain.mixture(),
                            averaged == null ? null : averaged.mixture()));
                    progress.println(String.format("iteration %d, %.1f s: %s", done, seconds, figures));
                }
            }
        };
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator).critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(lipschitz)
                .latentSampler(latent)
                .realSamples(source())
                .criticStepsPerGeneratorStep(settings.criticSteps())
                .batchSize(settings.batchSize())
                .seed(settings.seed())
                .maxGeneratorSteps(settings.steps());
        if (ema != null) {
            builder.listener(ema);
        }
        try (ConsoleProgress started = progress.start(0)) {
            builder.listener(evaluator).listener(started).build().fit();
        }
        return evaluations;
    }

    private SampleSource source() {
        return switch (settings.dataset()) {
            case EIGHT_GAUSSIANS -> ToyDatasets.eightGaussians();
            case TWENTY_FIVE_GAUSSIANS -> ToyDatasets.twentyFiveGaussians();
            case SWISS_ROLL -> ToyDatasets.swissRoll();
        };
    }

    /** Scores 2,500 samples, writes them as CSV and the value surface as PNG; returns the figures. */
    private Scored evaluate(Generator generator, MultiLayerCritic critic, LatentSampler latent, long iteration,
            String suffix) {
        String figures;
        ToyEvaluation mixtureEvaluation = null;
        double[][] generated;
        double[][] real;
        if (source() instanceof GaussianMixture mixture) {
            ToyEvaluation evaluation = ToyEvaluation.of(generator, latent, mixture, settings.seed() + 7);
            figures = evaluation.toString();
            mixtureEvaluation = evaluation;
            generated = evaluation.generated();
            real = evaluation.real();
        } else {
            Random random = new Random(settings.seed() + 7);
            generated = generator.generate(latent.sample(ToyEvaluation.SAMPLES, random)).castTo(DataType.DOUBLE)
                    .toDoubleMatrix();
            real = source().next(ToyEvaluation.SAMPLES, random).castTo(DataType.DOUBLE).toDoubleMatrix();
            figures = String.format("sliced W1 %.4f", WassersteinDistances.sliced(generated, real,
                    ToyEvaluation.DIRECTIONS, random));
        }
        Path output = settings.output();
        try {
            Files.createDirectories(output);
            writeCsv(output.resolve(String.format("samples-%06d%s.csv", iteration, suffix)), generated);
            ValueSurface.write(output.resolve(String.format("critic-%06d%s.png", iteration, suffix)), critic,
                    settings.dataset() == Dataset.SWISS_ROLL ? 2.5 : 2.0, real, generated);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Scored(figures, mixtureEvaluation);
    }

    private static void writeCsv(Path file, double[][] points) throws IOException {
        StringBuilder csv = new StringBuilder("x,y\n");
        for (double[] p : points) {
            csv.append(p[0]).append(',').append(p[1]).append('\n');
        }
        Files.writeString(file, csv);
    }
}
