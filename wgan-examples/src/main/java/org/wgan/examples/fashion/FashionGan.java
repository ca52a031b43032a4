package org.wgan.examples.fashion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.core.TrainingSummary;
import org.wgan.core.WganTrainer;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.dl4j.GeneratorEma;
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
 * A DCGAN-style image GAN on Fashion-MNIST ({@link FashionModels}), trained with WGAN-GP (Gulrajani et al. 2017:
 * penalty weight 10, Adam 1e-4 / 0 / 0.9, 5 critic steps per generator step) or, as the baseline, the
 * non-saturating cross-entropy objective of Goodfellow et al. (2014) with DCGAN's Adam 2e-4 / 0.5 / 0.999 and one
 * discriminator step per generator step.
 *
 * <p>Every {@code --sample-every} steps it writes a PNG grid of samples from fixed noise and a PNG plot of the
 * Wasserstein estimate (running median) and the losses; every {@code --checkpoint-every} steps an atomic
 * checkpoint of both networks, both optimizer states, the step counters, the random state, the fixed noise (and
 * the EMA). {@code --resume} continues from the newest checkpoint in the output folder without repeating or
 * skipping a step. At the end it scores the generator with {@link FashionEvaluation}.
 */
@Command(name = "fashion-gan", mixinStandardHelpOptions = true,
        description = "Trains a DCGAN-style WGAN-GP (or the cross-entropy baseline) on Fashion-MNIST.")
public final class FashionGan implements Callable<Integer> {

    /** The training objective. */
    enum Objective {
        WGAN_GP, NON_SATURATING
    }

    static final int GRID_SIZE = 64;

    @Option(names = "--objective", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Objective objective = Objective.WGAN_GP;

    @Option(names = "--steps", description = "generator steps in total (default: ${DEFAULT-VALUE})")
    long steps = 2_000;

    @Option(names = "--batch-size", description = "samples per batch (default: ${DEFAULT-VALUE})")
    int batchSize = 64;

    @Option(names = "--critic-steps", description = "critic updates per generator step (default: 5 for WGAN_GP,"
            + " 1 for NON_SATURATING)")
    Integer criticSteps;

    @Option(names = "--width", description = "model width: maps of the critic's first convolution (default:"
            + " ${DEFAULT-VALUE}; the WGAN-GP paper's MNIST models use 64)")
    int width = FashionModels.DEFAULT_WIDTH;

    @Option(names = "--penalty-weight", description = "gradient penalty weight (default: ${DEFAULT-VALUE})")
    double penaltyWeight = 10;

    @Option(names = "--seed", description = "seed of networks, data draws and noise (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--output", description = "folder for samples, plots, checkpoints (default:"
            + " wgan-output/fashion-gan/<objective>)")
    Path output;

    @Option(names = "--resume", description = "continue from the newest checkpoint in the output folder")
    boolean resume;

    @Option(names = "--checkpoint-every", description = "generator steps between checkpoints (default:"
            + " ${DEFAULT-VALUE})")
    long checkpointEvery = 250;

    @Option(names = "--keep-checkpoints", description = "newest checkpoints kept (default: ${DEFAULT-VALUE})")
    int keepCheckpoints = CheckpointStore.DEFAULT_KEEP;

    @Option(names = "--sample-every", description = "generator steps between sample grids and plots (default:"
            + " ${DEFAULT-VALUE})")
    long sampleEvery = 250;

    @Option(names = "--ema-decay", description = "also keep (and evaluate) an EMA of the generator's weights with"
            + " this decay; 0 for none (default: ${DEFAULT-VALUE})")
    double emaDecay = 0;

    @Option(names = "--evaluate-samples", description = "generated samples scored at the end (Frechet distance and"
            + " class histogram against the 10,000 test images); 0 to skip (default: ${DEFAULT-VALUE})")
    int evaluateSamples = FashionEvaluation.DEFAULT_SAMPLES;

    @Option(names = "--evaluate-only", description = "train nothing: score the checkpoint of --at-step (default:"
            + " the newest) in the output folder")
    boolean evaluateOnly;

    @Option(names = "--at-step", description = "with --evaluate-only: the generator step of the checkpoint to score")
    Long atStep;

    @Option(names = "--classifier-cache", description = "the feature classifier, trained on the first use"
            + " (default: ${DEFAULT-VALUE})")
    Path classifierCache = FashionClassifier.DEFAULT_CACHE_FILE;

    /** Training images and epochs of the feature classifier: the full split by default; tests use fewer. */
    int classifierTrainingImages = -1;
    int classifierEpochs = FashionClassifier.DEFAULT_EPOCHS;

    @Option(names = "--data", description = "folder of the Fashion-MNIST idx files (default: ${DEFAULT-VALUE})")
    Path data = FashionMnist.DEFAULT_DIRECTORY;

    @Option(names = "--threads", description = "ND4J threads (default: ${DEFAULT-VALUE})")
    int threads = 1;

    @Option(names = "--no-progress", description = "print a plain line every 50 steps instead of a progress bar")
    boolean plainProgress;

    public static void main(String[] args) {
        NativeSetup.applyForConvolutions();
        System.exit(new CommandLine(new FashionGan()).execute(args));
    }

    @Override
    public Integer call() throws IOException {
        Run run = train();
        System.out.printf("%s: %d generator steps, %d critic updates, %.1f s; samples, plot and checkpoints in %s%n",
                objective, run.summary().generatorSteps(), run.summary().criticUpdates(), run.summary().seconds(),
                folder().toAbsolutePath());
        return 0;
    }

    /**
     * What a call to {@link #train()} left; the evaluations are null when {@code --evaluate-samples} is 0 (and
     * {@code emaEvaluation} without an EMA).
     */
    record Run(TrainingSummary summary, MultiLayerGenerator generator, GeneratorEma ema, long resumedAt,
            FashionEvaluation evaluation, FashionEvaluation emaEvaluation) {
    }

    Path folder() {
        return output != null ? output
                : Path.of("wgan-output", "fashion-gan", objective.name().toLowerCase(Locale.ROOT));
    }

    int criticStepsPerGeneratorStep() {
        return criticSteps != null ? criticSteps : objective == Objective.WGAN_GP ? 5 : 1;
    }

    Run train() throws IOException {
        validate();
        Nd4jThreads.set(threads);
        FashionMnist fashion = FashionMnist.load(data);
        boolean wgan = objective == Objective.WGAN_GP;
        IUpdater updater = wgan ? Optimizers.wganGp() : Optimizers.adam(2e-4, 0.5, 0.999);
        MultiLayerGenerator generator = MultiLayerGenerator.of(
                FashionModels.generator(seed, FashionModels.LATENT_SIZE, width, updater));
        MultiLayerCritic critic = MultiLayerCritic.of(FashionModels.critic(seed + 1, width, updater));
        LatentSampler latent = LatentSamplers.gaussian(generator.latentSize());
        INDArray fixedNoise = latent.sample(GRID_SIZE, new Random(seed + 11));
        GeneratorEma ema = emaDecay > 0 ? GeneratorEma.of(generator, emaDecay) : null;

        Path folder = folder();
        CheckpointStore store = CheckpointStore.in(folder.resolve("checkpoints")).keepLast(keepCheckpoints);
        checkRunSettings(folder, store);
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator).critic(critic)
                .objective(wgan ? Objectives.wasserstein() : Objectives.nonSaturating())
                .constraint(wgan ? LipschitzConstraints.gradientPenalty(penaltyWeight) : LipschitzConstraints.none())
                .criticStepsPerGeneratorStep(criticStepsPerGeneratorStep())
                .batchSize(batchSize)
                .latentSampler(latent)
                .realSamples(fashion.samples(FashionMnist.Split.TRAIN))
                .seed(seed)
                .maxGeneratorSteps(steps)
                .checkpoints(store, checkpointEvery)
                .checkpointParticipant(CheckpointParticipant.fixedArray("fixedNoise", fixedNoise));
        if (ema != null) {
            builder.listener(ema).checkpointParticipant(ema);
        }
        TrainingHistory history = new TrainingHistory(folder.resolve("history.csv"));
        Outputs outputs = new Outputs(folder, generator, ema, fixedNoise, history);
        Progress progress = plainProgress ? new PlainProgress(steps) : new BarProgress(objective.name(), steps);
        WganTrainer trainer = builder.listener(history).listener(outputs).listener(progress).build();
        if (evaluateOnly) {
            Checkpoint checkpoint = atStep == null ? store.latest().orElseThrow(() -> new IllegalStateException(
                    "--evaluate-only: no checkpoint in " + store.directory().toAbsolutePath()))
                    : Checkpoint.readFrom(store.fileFor(atStep));
            trainer.restore(checkpoint);
            TrainingSummary summary = new TrainingSummary(trainer.generatorStep(), checkpoint.criticUpdates(),
                    Double.NaN, Double.NaN, Double.NaN, "evaluated only", 0);
            return evaluate(fashion, summary, generator, ema, trainer.generatorStep(), folder);
        }
        long resumedAt = resume ? trainer.resumeFromLatest().orElse(0) : 0;
        if (resume) {
            System.out.println(resumedAt > 0 ? "resuming after generator step " + resumedAt + " from "
                    + store.directory().toAbsolutePath() : "no checkpoint in " + store.directory() + "; starting");
        }
        history.truncateTo(resumedAt);
        TrainingSummary summary;
        progress.start(resumedAt);
        try {
            summary = trainer.fit();
        } finally {
            progress.close();
            history.flush();
        }
        outputs.write(summary.generatorSteps());
        return evaluate(fashion, summary, generator, ema, resumedAt, folder);
    }

    /** Scores the generator (and its EMA) if asked to, printing and saving the figures with their protocol. */
    private Run evaluate(FashionMnist fashion, TrainingSummary summary, MultiLayerGenerator generator,
            GeneratorEma ema, long resumedAt, Path folder) throws IOException {
        if (evaluateSamples == 0) {
            return new Run(summary, generator, ema, resumedAt, null, null);
        }
        FashionClassifier classifier = FashionClassifier.loadOrTrain(fashion,
                classifierTrainingImages < 0 ? fashion.trainSize() : classifierTrainingImages, classifierCache,
                FashionClassifier.DEFAULT_SEED, classifierEpochs, System.out::println);
        long step = summary.generatorSteps();
        FashionEvaluation plain = FashionEvaluation.of(generator, classifier, fashion, evaluateSamples, seed + 13);
        FashionEvaluation averaged = ema == null ? null
                : FashionEvaluation.of(ema.averaged(), classifier, fashion, evaluateSamples, seed + 13);
        double floor = FashionEvaluation.referenceFloor(classifier, fashion, evaluateSamples, seed + 17);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s, seed %d, width %d, batch %d, %d critic steps, after %d generator"
                + " steps%n", objective, seed, width, batchSize, criticStepsPerGeneratorStep(), step));
        text.append("protocol: ").append(plain.protocol()).append('\n');
        text.append("generator: ").append(plain).append('\n');
        if (averaged != null) {
            text.append("EMA ").append(emaDecay).append(": ").append(averaged).append('\n');
        }
        text.append(String.format(Locale.ROOT, "floor (%,d training images against the test images): %.3f%n",
                evaluateSamples, floor));
        System.out.print(text);
        Files.writeString(folder.resolve(String.format("evaluation-%06d.txt", step)), text, StandardCharsets.UTF_8);
        return new Run(summary, generator, ema, resumedAt, plain, averaged);
    }

    private void validate() {
        requireAtLeast("--steps", steps, 1);
        requireAtLeast("--batch-size", batchSize, 1);
        requireAtLeast("--checkpoint-every", checkpointEvery, 1);
        requireAtLeast("--sample-every", sampleEvery, 1);
        requireAtLeast("--keep-checkpoints", keepCheckpoints, 1);
        requireAtLeast("--evaluate-samples", evaluateSamples, 0);
        if (evaluateSamples == 1) {
            throw new IllegalArgumentException("--evaluate-samples must be 0 or >= 2, but was 1");
        }
        if (atStep != null && !evaluateOnly) {
            throw new IllegalArgumentException("--at-step " + atStep + " needs --evaluate-only");
        }
        if (evaluateOnly && evaluateSamples == 0) {
            throw new IllegalArgumentException("--evaluate-only needs --evaluate-samples >= 2, but was 0");
        }
        requireAtLeast("--threads", threads, 1);
        requireAtLeast("--width", width, 1);
        if (criticSteps != null) {
            requireAtLeast("--critic-steps", criticSteps, 1);
        }
        if (!(penaltyWeight >= 0)) {
            throw new IllegalArgumentException("--penalty-weight must be >= 0, but was " + penaltyWeight);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new IllegalArgumentException("--ema-decay must be in [0, 1), but was " + emaDecay);
        }
    }

    private static void requireAtLeast(String option, long value, long minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(option + " must be >= " + minimum + ", but was " + value);
        }
    }

    /**
     * A fresh run refuses a folder that holds another run's checkpoints (they would be overwritten step by step);
     * a resumed one refuses other settings than the run it continues.
     */
    private void checkRunSettings(Path folder, CheckpointStore store) throws IOException {
        Path file = folder.resolve("run.properties");
        Properties settings = new Properties();
        settings.setProperty("objective", objective.name());
        settings.setProperty("batchSize", Integer.toString(batchSize));
        settings.setProperty("criticSteps", Integer.toString(criticStepsPerGeneratorStep()));
        settings.setProperty("penaltyWeight", Double.toString(penaltyWeight));
        settings.setProperty("seed", Long.toString(seed));
        settings.setProperty("width", Integer.toString(width));
        settings.setProperty("emaDecay", Double.toString(emaDecay));
        if (!store.files().isEmpty()) {
            if (!resume && !evaluateOnly) {
                throw new IllegalStateException(folder.toAbsolutePath() + " already holds checkpoints of a run; pass"
                        + " --resume to continue it or choose another --output");
            }
            if (Files.exists(file)) {
                Properties saved = new Properties();
                try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    saved.load(reader);
                }
                for (String key : settings.stringPropertyNames()) {
                    if (!settings.getProperty(key).equals(saved.getProperty(key))) {
                        throw new IllegalStateException("--resume: the run in " + folder.toAbsolutePath() + " used "
                                + key + " " + saved.getProperty(key) + ", but this one asks for "
                                + settings.getProperty(key));
                    }
                }
            }
        }
        Files.createDirectories(folder);
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            settings.store(writer, "fashion-gan settings (checked by --resume)");
        }
    }

    /** Sample grids and the training plot every {@code --sample-every} steps. */
    private final class Outputs implements TrainerListener {
        private final Path folder;
        private final MultiLayerGenerator generator;
        private final GeneratorEma ema;
        private final INDArray fixedNoise;
        private final TrainingHistory history;

        Outputs(Path folder, MultiLayerGenerator generator, GeneratorEma ema, INDArray fixedNoise,
                TrainingHistory history) {
            this.folder = folder;
            this.generator = generator;
            this.ema = ema;
            this.fixedNoise = fixedNoise;
            this.history = history;
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            long done = event.generatorStep() + 1;
            if (done % sampleEvery == 0) {
                write(done);
            }
        }

        void write(long step) {
            try {
                history.flush();
                SampleGrid.write(folder.resolve(String.format("samples-%06d.png", step)),
                        generator.generate(fixedNoise), 8, 2);
                if (ema != null) {
                    SampleGrid.write(folder.resolve(String.format("samples-%06d-ema.png", step)),
                            ema.averaged().generate(fixedNoise), 8, 2);
                }
                history.plot(folder.resolve("training.png"), "Fashion-MNIST " + objective + ", seed " + seed,
                        objective == Objective.WGAN_GP, 101);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Progress with an ETA. */
    private interface Progress extends TrainerListener, AutoCloseable {
        void start(long resumedAt);

        @Override
        void close();
    }

    private static final class BarProgress implements Progress {
        private final String name;
        private final long total;
        private ProgressBar bar;

        BarProgress(String name, long total) {
            this.name = name;
            this.total = total;
        }

        @Override
        public void start(long resumedAt) {
            bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total)
                    .startsFrom(resumedAt, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1000).build();
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            bar.stepTo(event.generatorStep() + 1);
            bar.setExtraMessage(String.format(" W %.3f", event.wassersteinEstimate()));
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
        }
    }

    private static final class PlainProgress implements Progress {
        private final long total;
        private long startNanos;
        private long startStep;

        PlainProgress(long total) {
            this.total = total;
        }

        @Override
        public void start(long resumedAt) {
            startNanos = System.nanoTime();
            startStep = resumedAt;
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            long done = event.generatorStep() + 1;
            if (done % 50 == 0 || done == total) {
                double perStep = (System.nanoTime() - startNanos) / 1e9 / (done - startStep);
                System.out.printf("step %d/%d  W estimate %.4f  %.2f s/step  ETA %s%n", done, total,
                        event.wassersteinEstimate(), perStep,
                        Duration.ofSeconds(Math.round(perStep * (total - done))));
            }
        }

        @Override
        public void close() {
        }
    }
}
