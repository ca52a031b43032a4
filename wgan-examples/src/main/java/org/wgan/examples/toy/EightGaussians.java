package org.wgan.examples.toy;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.wgan.core.CriticSchedule;
import org.wgan.core.TrainingSummary;
import org.wgan.core.WganTrainer;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
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
 * WGAN with weight clipping on the 8-Gaussians toy data (Arjovsky et al. 2017 recipe on the WGAN-GP paper's
 * data): critic and generator are 2 -> 512 -> 512 -> 512 (ReLU) MLPs, RMSProp 5e-5, clip value 0.01, five
 * critic updates per generator update. Prints a progress bar, the final metrics (modes covered, good-sample
 * share, sliced W1) and writes a PNG scatter of real against generated samples.
 */
@Command(name = "eight-gaussians", mixinStandardHelpOptions = true,
        description = "Trains a weight-clipped WGAN on 8 Gaussians and reports mode coverage.")
public final class EightGaussians implements Callable<Integer> {

    @Option(names = "--steps", description = "generator steps (default: ${DEFAULT-VALUE})")
    long steps = 10_000;

    @Option(names = "--seed", description = "seed of networks, data and noise (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--batch-size", description = "samples per batch (default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--critic-steps", description = "critic updates per generator step (default: ${DEFAULT-VALUE})")
    int criticSteps = CriticSchedule.DEFAULT_CRITIC_STEPS;

    @Option(names = "--clip-value", description = "weight clipping bound (default: ${DEFAULT-VALUE})")
    double clipValue = 0.01;

    @Option(names = "--learning-rate", description = "RMSProp learning rate of both networks (default: ${DEFAULT-VALUE})")
    double learningRate = Optimizers.WGAN_LEARNING_RATE;

    @Option(names = "--output", description = "folder for the PNG (default: ${DEFAULT-VALUE})")
    Path output = Path.of("wgan-output", "eight-gaussians");

    @Option(names = "--eval-every", description = "evaluate and print metrics every N generator steps, 0 for"
            + " only at the end (default: ${DEFAULT-VALUE})")
    long evalEvery = 500;

    @Option(names = "--threads", description = "ND4J threads; 1 is fastest for these small networks on 2 cores"
            + " (default: ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--no-progress", description = "print a plain line every 100 steps instead of a progress bar")
    boolean plainProgress;

    public static void main(String[] args) {
        NativeSetup.apply();
        System.exit(new CommandLine(new EightGaussians()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Result result = train();
        System.out.printf("8 Gaussians, WGAN weight clipping, %d generator steps, seed %d: %s (%.1f s)%n",
                steps, seed, result.evaluation(), result.summary().seconds());
        Path png = output.resolve("samples.png");
        ScatterPlot.write(png, "8 Gaussians: WGAN (weight clipping), " + steps + " generator steps",
                result.evaluation().real(), result.evaluation().generated());
        System.out.println("scatter plot: " + png.toAbsolutePath());
        return 0;
    }

    /** What a run produced. */
    record Result(TrainingSummary summary, ToyEvaluation evaluation) {
    }

    Result train() {
        Nd4jThreads.set(threads);
        GaussianMixture data = ToyDatasets.eightGaussians();
        MultiLayerGenerator generator = MultiLayerGenerator.of(Mlp.builder()
                .sizes(2, 512, 512, 512, 2).updater(Optimizers.rmsProp(learningRate)).seed(seed).build());
        MultiLayerCritic critic = MultiLayerCritic.of(Mlp.builder()
                .sizes(2, 512, 512, 512, 1).updater(Optimizers.rmsProp(learningRate)).seed(seed + 1).build());
        LatentSampler latent = LatentSamplers.gaussian(generator.latentSize());
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator)
                .latentSampler(latent)
                .critic(critic)
                .objective(Objectives.wasserstein())
                .constraint(LipschitzConstraints.weightClipping(clipValue))
                .criticStepsPerGeneratorStep(criticSteps)
                .batchSize(batchSize)
                .realSamples(data)
                .seed(seed)
                .maxGeneratorSteps(steps);
        if (evalEvery > 0) {
            builder.listener(new PeriodicEvaluation(generator, latent, data));
        }
        TrainingSummary summary;
        if (plainProgress) {
            summary = builder.listener(new PlainProgress(steps)).build().fit();
        } else {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("WGAN").setInitialMax(steps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500).build()) {
                summary = builder.listener(new BarProgress(bar)).build().fit();
            }
        }
        ToyEvaluation evaluation = ToyEvaluation.of(generator, latent, data, seed + 7);
        return new Result(summary, evaluation);
    }

    private final class PeriodicEvaluation implements TrainerListener {
        private final MultiLayerGenerator generator;
        private final LatentSampler latent;
        private final GaussianMixture data;

        PeriodicEvaluation(MultiLayerGenerator generator, LatentSampler latent,
                GaussianMixture data) {
            this.generator = generator;
            this.latent = latent;
            this.data = data;
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            long done = event.generatorStep() + 1;
            if (done % evalEvery == 0 && done < steps) {
                System.out.printf("%nstep %d: %s%n", done, ToyEvaluation.of(generator, latent, data, seed + 7));
            }
        }
    }

    private static final class BarProgress implements TrainerListener {
        private final ProgressBar bar;

        BarProgress(ProgressBar bar) {
            this.bar = bar;
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            bar.step();
            bar.setExtraMessage(String.format(" W %.4f", event.wassersteinEstimate()));
        }
    }

    private static final class PlainProgress implements TrainerListener {
        private final long total;

        PlainProgress(long total) {
            this.total = total;
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            long done = event.generatorStep() + 1;
            if (done % 100 == 0 || done == total) {
                System.out.printf("step %d/%d  W estimate %.5f  %.3f s/step%n", done, total,
                        event.wassersteinEstimate(), event.seconds());
            }
        }
    }
}
