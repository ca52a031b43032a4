package org.wgan.examples.toy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.core.Generator;
import org.wgan.core.WganTrainer;
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
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.examples.support.NativeSetup;
import org.wgan.examples.support.Nd4jThreads;
import org.wgan.losses.Objectives;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The WGAN-GP authors' toy recipe ({@code gan_toy.py}): generator 2 -> 512 ReLU x3 -> 2 on N(0, I) noise of size 2,
 * critic 2 -> 512 ReLU x3 -> 1, batch 256, 5 critic steps, Adam(1e-4, 0.5, 0.9) for both networks and penalty
 * weight 0.1 (their toy setting; {@code --penalty-weight 10} for the paper's), or weight clipping (RMSProp 5e-5,
 * clip 0.01) for comparison. Every {@code --eval-every} iterations it prints iteration, seconds, modes covered,
 * good-sample share and sliced W1, writes 2,500 generated samples as CSV and the critic's value surface as PNG.
 */
@Command(name = "toy-gan", mixinStandardHelpOptions = true,
        description = "WGAN-GP (or weight clipping) on 8 Gaussians, 25 Gaussians or the Swiss roll.")
public final class ToyGan implements Callable<Integer> {

    /** The toy data sets. */
    enum Dataset {
        EIGHT_GAUSSIANS, TWENTY_FIVE_GAUSSIANS, SWISS_ROLL
    }

    /** How the critic is kept Lipschitz. */
    enum Constraint {
        GRADIENT_PENALTY, WEIGHT_CLIPPING
    }

    @Option(names = "--dataset", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Dataset dataset = Dataset.EIGHT_GAUSSIANS;

    @Option(names = "--constraint", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Constraint constraint = Constraint.GRADIENT_PENALTY;

    @Option(names = "--penalty-weight", description = "gradient penalty weight (default: ${DEFAULT-VALUE})")
    double penaltyWeight = 0.1;

    @Option(names = "--iterations", description = "generator steps (default: ${DEFAULT-VALUE})")
    long iterations = 9_000;

    @Option(names = "--eval-every", description = "evaluate, write CSV and PNG every N iterations (default: ${DEFAULT-VALUE})")
    long evalEvery = 500;

    @Option(names = "--ema-decay", description = "also evaluate an EMA of the generator's weights with this decay;"
            + " 0 for none (default: ${DEFAULT-VALUE})")
    double emaDecay = 0;

    @Option(names = "--seed", description = "seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--threads", description = "ND4J threads (default: ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--output", description = "folder for CSVs and PNGs (default: ${DEFAULT-VALUE})")
    Path output = Path.of("wgan-output", "toy-gan");

    public static void main(String[] args) {
        NativeSetup.apply();
        System.exit(new CommandLine(new ToyGan()).execute(args));
    }

    /**
     * One evaluation line; {@code mixture} and {@code emaMixture} hold the numbers on the Gaussian mixtures (null
     * on the Swiss roll, and {@code emaMixture} without an EMA).
     */
    record Evaluation(long iteration, double seconds, String figures, ToyEvaluation mixture,
            ToyEvaluation emaMixture) {
    }

    /** The figures of one evaluated generator, as text and (on a mixture) as numbers. */
    private record Scored(String figures, ToyEvaluation mixture) {
    }

    @Override
    public Integer call() {
        List<Evaluation> evaluations = train();
        System.out.printf("%d evaluations; CSVs and value surfaces in %s%n", evaluations.size(),
                output.toAbsolutePath());
        return 0;
    }

    List<Evaluation> train() {
        Nd4jThreads.set(threads);
        boolean clipping = constraint == Constraint.WEIGHT_CLIPPING;
        IUpdater updater = clipping ? Optimizers.wgan() : Optimizers.adam(1e-4, 0.5, 0.9);
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                Mlp.builder().sizes(2, 512, 512, 512, 2).updater(updater).seed(seed).build());
        MultiLayerCritic critic = MultiLayerCritic.of(
                Mlp.builder().sizes(2, 512, 512, 512, 1).updater(updater).seed(seed + 1).build());
        LipschitzConstraint lipschitz = clipping ? LipschitzConstraints.weightClipping()
                : LipschitzConstraints.gradientPenalty(penaltyWeight);
        LatentSampler latent = LatentSamplers.gaussian(2);
        SampleSource data = source();
        List<Evaluation> evaluations = new ArrayList<>();
        GeneratorEma ema = emaDecay > 0 ? GeneratorEma.of(generator, emaDecay) : null;
        long start = System.nanoTime();
        TrainerListener evaluator = new TrainerListener() {
            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                long done = event.generatorStep() + 1;
                if (done % evalEvery == 0 || done == iterations) {
                    double seconds = (System.nanoTime() - start) / 1e9;
                    Scored plain = evaluate(generator, critic, latent, done, "");
                    Scored averaged = ema == null ? null : evaluate(ema.averaged(), critic, latent, done, "-ema");
                    String figures = plain.figures() + (averaged == null ? "" : "; EMA " + averaged.figures());
                    evaluations.add(new Evaluation(done, seconds, figures, plain.mixture(),
                            averaged == null ? null : averaged.mixture()));
                    System.out.printf("iteration %d, %.1f s: %s%n", done, seconds, figures);
                }
            }
        };
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator).critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(lipschitz)
                .latentSampler(latent)
                .realSamples(data)
                .batchSize(256)
                .seed(seed)
                .maxGeneratorSteps(iterations);
        if (ema != null) {
            builder.listener(ema);
        }
        builder.listener(evaluator).build().fit();
        return evaluations;
    }

    private SampleSource source() {
        return switch (dataset) {
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
            ToyEvaluation evaluation = ToyEvaluation.of(generator, latent, mixture, seed + 7);
            figures = evaluation.toString();
            mixtureEvaluation = evaluation;
            generated = evaluation.generated();
            real = evaluation.real();
        } else {
            Random random = new Random(seed + 7);
            generated = generator.generate(latent.sample(ToyEvaluation.SAMPLES, random)).castTo(DataType.DOUBLE)
                    .toDoubleMatrix();
            real = source().next(ToyEvaluation.SAMPLES, random).castTo(DataType.DOUBLE).toDoubleMatrix();
            figures = String.format("sliced W1 %.4f", WassersteinDistances.sliced(generated, real,
                    ToyEvaluation.DIRECTIONS, random));
        }
        try {
            Files.createDirectories(output);
            writeCsv(output.resolve(String.format("samples-%06d%s.csv", iteration, suffix)), generated);
            ValueSurface.write(output.resolve(String.format("critic-%06d%s.png", iteration, suffix)), critic,
                    dataset == Dataset.SWISS_ROLL ? 2.5 : 2.0, real, generated);
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
