package org.wgan.examples.fashion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.TreeSet;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.GraphGenerator;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetGenerator;
import org.wgan.dl4j.models.ResNetSpec;
import org.wgan.examples.support.ConsoleProgress;
import org.wgan.examples.support.GanRecipe;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.SampleGrid;
import org.wgan.examples.support.TrainingHistory;

/**
 * The training and scoring behind {@link FashionGan}: a DCGAN-style image GAN on Fashion-MNIST ({@link
 * FashionModels}), or the WGAN-GP paper's residual networks at 28x28 ({@link ResNetSpec#fashionMnist()}),
 * trained with WGAN-GP (Gulrajani et al. 2017: Adam 1e-4 / 0 / 0.9, the gradient penalty, 5 critic steps per
 * generator step) or, as the baseline, the non-saturating cross-entropy objective of Goodfellow et al.
 * (2014) with DCGAN's Adam 2e-4 / 0.5 / 0.999 and one discriminator step per generator step.
 *
 * <p>In the run's folder it writes, every {@code sampleEvery} generator steps, a PNG grid of samples from 64 fixed
 * noise vectors (and of the EMA generator) and {@code training.png}, the losses in {@code history.csv}, and every
 * {@code checkpointEvery} steps an atomic checkpoint of both networks, both optimizer states, the step counters, the
 * random state, the fixed noise (and the EMA). {@link #train} with {@code resume} continues from the newest
 * checkpoint without repeating or skipping a step; {@code run.properties} holds the settings a resumed run must
 * share. At the end it scores the generator with {@link FashionEvaluation}; {@link #evaluateCheckpoint} scores a kept
 * checkpoint.
 */
public final class FashionTraining {

    /** Samples in a grid (from fixed noise). */
    static final int GRID_SIZE = 64;

    /** The training objective, with its recipe's critic steps per generator step. */
    public enum Objective {
        /** The Wasserstein objective with the gradient penalty, 5 critic steps. */
        WGAN_GP(5),
        /** The non-saturating cross-entropy baseline, one discriminator step. */
        NON_SATURATING(1);

        private final int criticSteps;

        Objective(int criticSteps) {
            this.criticSteps = criticSteps;
        }

        /** The recipe's critic (discriminator) steps per generator step. */
        public int criticSteps() {
            return criticSteps;
        }
    }

    /** The networks: the DCGAN of {@link FashionModels} or the WGAN-GP paper's ResNet. */
    public enum Model {
        /** {@link FashionModels}' MultiLayerNetworks: strided convolutions, transposed ones in the generator. */
        DCGAN,
        /**
         * {@link ResNetGenerator} and {@link ResNetCritic} (ComputationGraphs) at 28x28x1: the generator from 7x7
         * through 2 residual up blocks, the critic's four residual blocks 28 -> 14 -> 7 -> 7 -> 7; an EMA averages
         * the generator graph as it does the DCGAN.
         */
        RESNET
    }

    /**
     * How the generator is scored at the end.
     *
     * @param samples                  generated samples scored; 0 to skip
     * @param classifierCache          the feature classifier's cache file, trained on its first use
     * @param classifierTrainingImages training images of the classifier; -1 for the whole training split
     * @param classifierEpochs         epochs of the classifier
     */
    public record Scoring(int samples, Path classifierCache, int classifierTrainingImages, int classifierEpochs) {

        /** Checks that the cache file is there. */
        public Scoring {
            Objects.requireNonNull(classifierCache, "classifierCache");
        }
    }

    /**
     * The run's settings.
     *
     * @param objective       WGAN-GP or the cross-entropy baseline
     * @param steps           generator steps in total
     * @param criticSteps     critic steps per generator step
     * @param batchSize       samples per batch
     * @param width           the models' width ({@link FashionModels}; the blocks' maps, DIM, of the ResNet)
     * @param model           the networks
     * @param penaltyWeight   the gradient penalty's weight (WGAN-GP only)
     * @param emaDecay        decay of an EMA of the generator's weights, kept and scored beside it; 0 for none
     * @param seed            seed of the networks, the data draws and the noise
     * @param data            folder of the Fashion-MNIST idx files
     * @param folder          folder of the samples, plots, history and checkpoints
     * @param checkpointEvery generator steps between checkpoints
     * @param keepCheckpoints newest checkpoints kept
     * @param sampleEvery     generator steps between sample grids and plots
     * @param scoring         how the generator is scored
     */
    public record Settings(Objective objective, long steps, int criticSteps, int batchSize, int width, Model model,
            double penaltyWeight, double emaDecay, long seed, Path data, Path folder, long checkpointEvery,
            int keepCheckpoints, long sampleEvery, Scoring scoring) {

        /** Checks that the choices and the folders are there. */
        public Settings {
            Objects.requireNonNull(objective, "objective");
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(scoring, "scoring");
        }
    }

    /**
     * What a run left; the evaluations are null when {@code scoring.samples} is 0 (and {@code emaEvaluation}
     * without an EMA).
     *
     * @param summary       the trainer's summary
     * @param generator     the trained generator
     * @param ema           its moving average, or null
     * @param resumedAt     the generator step the run resumed after; 0 for a fresh run
     * @param evaluation    the generator's scores
     * @param emaEvaluation the EMA generator's scores
     */
    public record Run(TrainingSummary summary, Generator generator, GeneratorEma ema, long resumedAt,
            FashionEvaluation evaluation, FashionEvaluation emaEvaluation) {
    }

    /** The pieces of one run, wired to a trainer. */
    private record Session(FashionMnist fashion, Generator generator, GeneratorEma ema,
            CheckpointStore store, TrainingHistory history, Outputs outputs, WganTrainer trainer) {
    }

    private final Settings settings;

    /** A run with these settings. */
    public FashionTraining(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Trains to {@code settings.steps} generator steps, from the newest checkpoint in the folder if {@code resume},
     * reporting to {@code progress} (started here and closed at the end); then scores the generator.
     *
     * @throws FileSystemException    if a fresh run finds an earlier run's checkpoints in its folder, or a resumed
     *                                one finds that run's settings differ (one line naming the folder and what to do)
     * @throws IOException            if the data cannot be loaded (one line naming the file and {@code --data})
     * @throws InvalidOptionException if {@code scoring.samples} exceeds the training images
     */
    public Run train(boolean resume, ConsoleProgress progress) throws IOException {
        Session session = open(checkedStore(resume, false), progress);
        long resumedAt = resume ? session.trainer().resumeFromLatest().orElse(0) : 0;
        if (resume) {
            Path checkpoints = session.store().directory();
            System.out.println(resumedAt > 0 ? "resuming after generator step " + resumedAt + " from "
                    + checkpoints.toAbsolutePath() : "no checkpoint in " + checkpoints + "; starting");
        }
        session.history().truncateTo(resumedAt);
        TrainingSummary summary;
        try (ConsoleProgress started = progress.start(resumedAt)) {
            summary = session.trainer().fit();
        } finally {
            session.history().flush();
        }
        session.outputs().write(summary.generatorSteps());
        return evaluate(session, summary, resumedAt);
    }

    /**
     * Trains nothing: restores the checkpoint of generator step {@code atStep} (null for the newest) and scores it.
     *
     * @throws IllegalStateException if {@code scoring.samples} is below 2
     * @throws NoSuchFileException   if there is no checkpoint (of that step), before the data is loaded
     */
    public Run evaluateCheckpoint(Long atStep) throws IOException {
        if (settings.scoring().samples() < 2) {
            throw new IllegalStateException("scoring a checkpoint needs scoring.samples >= 2, but was "
                    + settings.scoring().samples());
        }
        CheckpointStore store = checkedStore(false, true);
        Checkpoint checkpoint = read(store, atStep);
        Session session = open(store, ConsoleProgress.none());
        WganTrainer trainer = session.trainer();
        trainer.restore(checkpoint);
        TrainingSummary summary = new TrainingSummary(trainer.generatorStep(), checkpoint.criticUpdates(),
                Double.NaN, Double.NaN, Double.NaN, "evaluated only", 0);
        return evaluate(session, summary, trainer.generatorStep());
    }

    /** The run's checkpoints, once {@link #checkRunSettings} accepts the folder: before the data is loaded. */
    private CheckpointStore checkedStore(boolean resume, boolean evaluateOnly) throws IOException {
        CheckpointStore store = CheckpointStore.in(settings.folder().resolve("checkpoints"))
                .keepLast(settings.keepCheckpoints());
        checkRunSettings(store, resume, evaluateOnly);
        return store;
    }

    /** The checkpoint of generator step {@code atStep}, or the newest if null. */
    private static Checkpoint read(CheckpointStore store, Long atStep) throws IOException {
        if (atStep == null) {
            return store.latest().orElseThrow(() -> new NoSuchFileException(
                    store.directory().toAbsolutePath().toString(), null, "no checkpoint to evaluate; train first, or"
                    + " pass the --output of a run that kept checkpoints"));
        }
        Path file = store.fileFor(atStep);
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toAbsolutePath().toString(), null, "no checkpoint of generator step "
                    + atStep + "; the folder holds " + store.files().stream().map(Path::getFileName).toList()
                    + "; pass --at-step with the step of one of those");
        }
        return Checkpoint.readFrom(file);
    }

    /**
     * Fashion-MNIST from {@code settings.data}; a file that is missing or corrupt is one line naming it and saying
     * what to do.
     */
    private FashionMnist load() throws IOException {
        try {
            return FashionMnist.load(settings.data());
        } catch (NoSuchFileException e) {
            throw new IOException(Launcher.describe(e) + "; or pass --data with the folder that holds its four files",
                    e);
        } catch (IOException e) {
            throw new IOException(Launcher.describe(e) + "; pass --data with a folder of intact Fashion-MNIST files"
                    + " (apt-get install --reinstall dataset-fashion-mnist)", e);
        }
    }

    /** Loads the data, builds the models and wires the trainer with its checkpoints, history and outputs. */
    private Session open(CheckpointStore store, TrainerListener progress) throws IOException {
        FashionMnist fashion = load();
        if (settings.scoring().samples() > fashion.trainSize()) {
            // the floor scores as many training images as there are generated samples
            throw new InvalidOptionException("--evaluate-samples must be <= " + fashion.trainSize() + " (the training"
                    + " images in --data), but was " + settings.scoring().samples());
        }
        boolean wgan = settings.objective() == Objective.WGAN_GP;
        IUpdater updater = wgan ? Optimizers.wganGp() : Optimizers.adam(2e-4, 0.5, 0.999);
        Generator generator;
        Critic critic;
        GeneratorEma ema = null;
        if (settings.model() == Model.RESNET) {
            // ResNetCritic seeds itself with seed + 1, as the DCGAN's critic is seeded here
            ResNetSpec spec = ResNetSpec.fashionMnist().withWidth(settings.width())
                    .withLatentSize(FashionModels.LATENT_SIZE).withUpdater(updater).withSeed(settings.seed());
            GraphGenerator resnet = GraphGenerator.of(ResNetGenerator.of(spec));
            generator = resnet;
            critic = GraphCritic.of(ResNetCritic.of(spec));
            ema = settings.emaDecay() > 0 ? GeneratorEma.of(resnet, settings.emaDecay()) : null;
        } else {
            MultiLayerGenerator dcgan = MultiLayerGenerator.of(
                    FashionModels.generator(settings.seed(), FashionModels.LATENT_SIZE, settings.width(), updater));
            generator = dcgan;
            critic = MultiLayerCritic.of(FashionModels.critic(settings.seed() + 1, settings.width(), updater));
            ema = settings.emaDecay() > 0 ? GeneratorEma.of(dcgan, settings.emaDecay()) : null;
        }
        LatentSampler latent = LatentSamplers.gaussian(generator.latentSize());
        INDArray fixedNoise = latent.sample(GRID_SIZE, new Random(settings.seed() + 11));

        Path folder = settings.folder();
        WganTrainer.Builder builder = new GanRecipe(wgan, settings.penaltyWeight(), settings.criticSteps(),
                settings.batchSize(), settings.seed(), settings.steps()).trainer(generator, critic, latent,
                fashion.samples(FashionMnist.Split.TRAIN), store, settings.checkpointEvery(), fixedNoise, ema);
        TrainingHistory history = new TrainingHistory(folder.resolve("history.csv"));
        Outputs outputs = new Outputs(generator, ema, fixedNoise, history);
        WganTrainer trainer = builder.listener(history).listener(outputs).listener(progress).build();
        return new Session(fashion, generator, ema, store, history, outputs, trainer);
    }

    /** Scores the generator (and its EMA) if asked to, printing and saving the figures with their protocol. */
    private Run evaluate(Session session, TrainingSummary summary, long resumedAt) throws IOException {
        Scoring scoring = settings.scoring();
        Generator generator = session.generator();
        GeneratorEma ema = session.ema();
        if (scoring.samples() == 0) {
            return new Run(summary, generator, ema, resumedAt, null, null);
        }
        FashionMnist fashion = session.fashion();
        FashionClassifier classifier = FashionClassifier.loadOrTrain(fashion, scoring.classifierTrainingImages() < 0
                ? fashion.trainSize() : scoring.classifierTrainingImages(), scoring.classifierCache(),
                FashionClassifier.DEFAULT_SEED, scoring.classifierEpochs(), System.out::println);
        long step = summary.generatorSteps();
        long seed = settings.seed();
        FashionEvaluation plain = FashionEvaluation.of(generator, classifier, fashion, scoring.samples(), seed + 13);
        FashionEvaluation averaged = ema == null ? null
                : FashionEvaluation.of(ema.averaged(), classifier, fashion, scoring.samples(), seed + 13);
        double floor = FashionEvaluation.referenceFloor(classifier, fashion, scoring.samples(), seed + 17);
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%s, %s, seed %d, width %d, batch %d, %d critic steps, after %d"
                + " generator steps%n", settings.objective(), settings.model(), seed, settings.width(),
                settings.batchSize(), settings.criticSteps(), step));
        text.append("protocol: ").append(plain.protocol()).append('\n');
        text.append("generator: ").append(plain).append('\n');
        if (averaged != null) {
            text.append("EMA ").append(settings.emaDecay()).append(": ").append(averaged).append('\n');
        }
        text.append(String.format(Locale.ROOT, "floor (%,d training images against the test images): %.3f%n",
                scoring.samples(), floor));
        System.out.print(text);
        Files.writeString(settings.folder().resolve(String.format("evaluation-%06d.txt", step)), text,
                StandardCharsets.UTF_8);
        return new Run(summary, generator, ema, resumedAt, plain, averaged);
    }

    /**
     * A fresh run refuses a folder that holds another run's checkpoints (they would be overwritten step by step);
     * a resumed one (or a scored checkpoint) refuses other settings than the run it continues.
     *
     * @throws FileSystemException naming the folder, the setting and what to do
     */
    private void checkRunSettings(CheckpointStore store, boolean resume, boolean evaluateOnly) throws IOException {
        Path folder = settings.folder();
        Path file = folder.resolve("run.properties");
        Properties wanted = new Properties();
        wanted.setProperty("objective", settings.objective().name());
        wanted.setProperty("batchSize", Integer.toString(settings.batchSize()));
        wanted.setProperty("criticSteps", Integer.toString(settings.criticSteps()));
        wanted.setProperty("penaltyWeight", Double.toString(settings.penaltyWeight()));
        wanted.setProperty("seed", Long.toString(settings.seed()));
        wanted.setProperty("width", Integer.toString(settings.width()));
        wanted.setProperty("model", settings.model().name());
        wanted.setProperty("emaDecay", Double.toString(settings.emaDecay()));
        if (!store.files().isEmpty()) {
            if (!resume && !evaluateOnly) {
                throw new FileSystemException(folder.toAbsolutePath().toString(), null, "holds the checkpoints of"
                        + " an earlier run; pass --resume to continue it, or another --output");
            }
            if (Files.exists(file)) {
                Properties saved = new Properties();
                try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    saved.load(reader);
                }
                // runs from before --model existed trained the DCGAN
                saved.putIfAbsent("model", Model.DCGAN.name());
                for (String key : new TreeSet<>(wanted.stringPropertyNames())) {
                    if (!wanted.getProperty(key).equals(saved.getProperty(key))) {
                        throw new FileSystemException(folder.toAbsolutePath().toString(), null, "holds a run with "
                                + key + " " + saved.getProperty(key) + ", but this one asks for "
                                + wanted.getProperty(key) + "; pass that run's options, or another --output");
                    }
                }
            }
        }
        Files.createDirectories(folder);
        try (var writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            wanted.store(writer, "fashion-gan settings (checked by --resume)");
        }
    }

    /** Sample grids and the training plot every {@code sampleEvery} steps. */
    private final class Outputs implements TrainerListener {
        private final Generator generator;
        private final GeneratorEma ema;
        private final INDArray fixedNoise;
        private final TrainingHistory history;

        Outputs(Generator generator, GeneratorEma ema, INDArray fixedNoise, TrainingHistory history) {
            this.generator = generator;
            this.ema = ema;
            this.fixedNoise = fixedNoise;
            this.history = history;
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            long done = event.generatorStep() + 1;
            if (done % settings.sampleEvery() == 0) {
                write(done);
            }
        }

        void write(long step) {
            Path folder = settings.folder();
            try {
                history.flush();
                SampleGrid.write(folder.resolve(String.format("samples-%06d.png", step)),
                        generator.generate(fixedNoise), 8, 2);
                if (ema != null) {
                    SampleGrid.write(folder.resolve(String.format("samples-%06d-ema.png", step)),
                            ema.averaged().generate(fixedNoise), 8, 2);
                }
                history.plot(folder.resolve("training.png"), "Fashion-MNIST " + settings.objective() + ", seed "
                        + settings.seed(), settings.objective() == Objective.WGAN_GP, 101);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
