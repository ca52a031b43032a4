package org.wgan.examples.fashion;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetGenerator;
import org.wgan.dl4j.models.ResNetSpec;
import org.wgan.examples.cli.ImageRun;
import org.wgan.examples.cli.RunSettings;
import org.wgan.examples.support.ConsoleProgress;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.Objective;

/**
 * The training and scoring behind {@link FashionGan}: a DCGAN-style image GAN on Fashion-MNIST ({@link
 * FashionModels}), or the WGAN-GP paper's residual networks at 28x28 ({@link ResNetSpec#fashionMnist()}),
 * trained with WGAN-GP (Gulrajani et al. 2017: Adam 1e-4 / 0 / 0.9, the gradient penalty, 5 critic steps per
 * generator step) or, as the baseline, the non-saturating cross-entropy objective of Goodfellow et al.
 * (2014) with DCGAN's Adam 2e-4 / 0.5 / 0.999 and one discriminator step per generator step.
 *
 * <p>A preset of {@code wgan train}: the run is the command line's {@link ImageRun} on Fashion-MNIST's training
 * split at 28x28 (the models of {@link FashionModels} are {@code wgan train}'s DCGAN at that size), with the same
 * run folder: {@code run.json} (the settings a resumed run must share, the IDX files' fingerprint), every {@code
 * sampleEvery} generator steps a PNG grid of samples from 64 fixed noise vectors (and of the EMA generator) and
 * {@code training.png}, the losses in {@code history.csv}, and every {@code checkpointEvery} steps an atomic
 * checkpoint of both networks, both optimizer states, the step counters, the random state, the fixed noise (and the
 * EMA). {@code wgan sample}, {@code export}, {@code evaluate} and {@code info} read such a folder as they read their
 * own. {@link #train} with {@code resume} continues from the newest checkpoint without repeating or skipping a step.
 * What the preset adds: at the end it scores the generator with {@link FashionEvaluation} (features of a classifier
 * trained on Fashion-MNIST); {@link #evaluateCheckpoint} scores a kept checkpoint.
 */
public final class FashionTraining {

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

    /** The IDX files whose names and sizes make the data's fingerprint in {@code run.json}. */
    private static final List<String> IDX_FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    private final Settings settings;

    /** A run with these settings. */
    public FashionTraining(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * Trains to {@code settings.steps} generator steps, from the newest checkpoint in the folder if {@code resume},
     * reporting to {@code progress} (started here and closed at the end); then scores the generator.
     *
     * @throws FileSystemException    if a fresh run finds an earlier run in its folder, or a resumed one finds that
     *                                run's settings or data differ (one line naming the folder, the differences and
     *                                what to do)
     * @throws IOException            if the data cannot be loaded (one line naming the file and {@code --data})
     * @throws InvalidOptionException if {@code scoring.samples} exceeds the training images
     */
    public Run train(boolean resume, ConsoleProgress progress) throws IOException {
        Path folder = settings.folder();
        // the folder is checked before the data is loaded; the image count is not a setting a run must share
        String fingerprint = fingerprint(settings.data());
        RunSettings wanted = runSettings(fingerprint, 0);
        if (resume && Files.exists(folder.resolve(RunSettings.FILE))) {
            refuseOtherSettings(wanted);
        } else if (Files.exists(folder.resolve(RunSettings.FILE)) || hasCheckpoints()) {
            throw new FileSystemException(folder.toAbsolutePath().toString(), null, resume ? "holds checkpoints"
                    + " but no " + RunSettings.FILE + " (a run of an earlier version); pass another --output"
                    : "holds the checkpoints of an earlier run; pass --resume to continue it, or another --output");
        }
        FashionMnist fashion = load();
        wanted = runSettings(fingerprint, fashion.trainSize());
        ImageRun run = new ImageRun(wanted, folder, fashion.samples(FashionMnist.Split.TRAIN),
                settings.keepCheckpoints(), progress);
        wanted.writeTo(folder);
        ImageRun.Trained trained = run.train(resume, progress);
        return evaluate(run, fashion, trained.summary(), trained.resumedAt());
    }

    /**
     * Trains nothing: restores the checkpoint of generator step {@code atStep} (null for the newest) and scores it.
     *
     * @throws IllegalStateException if {@code scoring.samples} is below 2
     * @throws NoSuchFileException   if there is no run or checkpoint (of that step), before the data is loaded
     * @throws FileSystemException   if the run's settings differ from these
     */
    public Run evaluateCheckpoint(Long atStep) throws IOException {
        if (settings.scoring().samples() < 2) {
            throw new IllegalStateException("scoring a checkpoint needs scoring.samples >= 2, but was "
                    + settings.scoring().samples());
        }
        CheckpointStore store = CheckpointStore.in(settings.folder().resolve("checkpoints"));
        Checkpoint checkpoint = read(store, atStep);
        String fingerprint = fingerprint(settings.data());
        refuseOtherSettings(runSettings(fingerprint, 0));
        FashionMnist fashion = load();
        RunSettings wanted = runSettings(fingerprint, fashion.trainSize());
        ImageRun run = new ImageRun(wanted, settings.folder(), null, Integer.MAX_VALUE, null);
        WganTrainer trainer = run.trainer();
        trainer.restore(checkpoint);
        TrainingSummary summary = new TrainingSummary(trainer.generatorStep(), checkpoint.criticUpdates(),
                Double.NaN, Double.NaN, Double.NaN, "evaluated only", 0);
        return evaluate(run, fashion, summary, trainer.generatorStep());
    }

    private boolean hasCheckpoints() throws IOException {
        return !CheckpointStore.in(settings.folder().resolve("checkpoints")).files().isEmpty();
    }

    /**
     * These settings as {@code wgan train}'s, for the Fashion-MNIST IDX files in {@code settings.data} (of {@link
     * #fingerprint}) and {@code imageCount} training images.
     */
    private RunSettings runSettings(String fingerprint, int imageCount) {
        return new RunSettings(RunSettings.libraryVersion(), RunSettings.FASHION_MNIST,
                settings.data().toAbsolutePath().normalize().toString(), fingerprint,
                imageCount, FashionMnist.IMAGE_SIZE, 1, "CROP", false, settings.model().name(),
                settings.objective().name(), settings.width(), FashionModels.LATENT_SIZE, settings.batchSize(),
                settings.criticSteps(), settings.penaltyWeight(), settings.emaDecay(), settings.seed(),
                settings.steps(), settings.checkpointEvery(), settings.sampleEvery(), List.of(), new double[0],
                new double[0]);
    }

    /**
     * The IDX files' count, and a SHA-256 of their names and sizes.
     *
     * @throws IOException naming the file and what to do, when an IDX file is missing
     */
    private String fingerprint(Path data) throws IOException {
        if (!FashionMnist.isAvailable(data)) {
            load(); // says which file is missing and how to install it
        }
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String name : IDX_FILES) {
                digest.update((name + "\t" + Files.size(data.resolve(name)) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return IDX_FILES.size() + " files, sha256 " + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Refuses a run folder whose {@code run.json} holds other settings or data than {@code wanted}.
     *
     * @throws NoSuchFileException when the folder holds no run
     * @throws FileSystemException naming the folder, every difference and what to do
     */
    private void refuseOtherSettings(RunSettings wanted) throws IOException {
        Path folder = settings.folder();
        List<String> differences = wanted.differencesFrom(RunSettings.readFrom(folder));
        if (!differences.isEmpty()) {
            throw new FileSystemException(folder.toAbsolutePath().toString(), null, "holds a run with other settings"
                    + " (" + String.join("; ", differences) + "); pass that run's options, or another --output");
        }
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
     * what to do. Checks that the scored samples do not exceed the training images.
     */
    private FashionMnist load() throws IOException {
        FashionMnist fashion;
        try {
            fashion = FashionMnist.load(settings.data());
        } catch (NoSuchFileException e) {
            throw new IOException(Launcher.describe(e) + "; or pass --data with the folder that holds its four files",
                    e);
        } catch (IOException e) {
            throw new IOException(Launcher.describe(e) + "; pass --data with a folder of intact Fashion-MNIST files"
                    + " (apt-get install --reinstall dataset-fashion-mnist)", e);
        }
        if (settings.scoring().samples() > fashion.trainSize()) {
            // the floor scores as many training images as there are generated samples
            throw new InvalidOptionException("--evaluate-samples must be <= " + fashion.trainSize() + " (the training"
                    + " images in --data), but was " + settings.scoring().samples());
        }
        return fashion;
    }

    /** Scores the generator (and its EMA) if asked to, printing and saving the figures with their protocol. */
    private Run evaluate(ImageRun run, FashionMnist fashion, TrainingSummary summary, long resumedAt)
            throws IOException {
        Scoring scoring = settings.scoring();
        Generator generator = run.generator();
        GeneratorEma ema = run.ema();
        if (scoring.samples() == 0) {
            return new Run(summary, generator, ema, resumedAt, null, null);
        }
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
}
