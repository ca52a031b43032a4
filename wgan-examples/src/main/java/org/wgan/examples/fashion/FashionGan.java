package org.wgan.examples.fashion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.data.FashionMnist;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.EmaDecayOption;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.Launcher;
import org.wgan.examples.support.NativeSetup;
import org.wgan.examples.support.Objective;
import org.wgan.examples.support.OptionChecks;
import org.wgan.examples.support.PenaltyWeightOption;
import org.wgan.examples.support.TrainingOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The image example: DCGAN-style (or, with {@code --model RESNET}, the WGAN-GP paper's ResNet) WGAN-GP and its
 * cross-entropy baseline on Fashion-MNIST ({@link FashionTraining}),
 * with sample grids, a training plot, checkpoints, {@code --resume} and, at the end or for any kept checkpoint with
 * {@code --evaluate-only}, the Frechet distance and class histogram of {@link FashionEvaluation}.
 *
 * <p>The help's defaults of {@code --critic-steps} and {@code --output}, which depend on the objective, are stated
 * in the resource bundle {@code FashionGan.properties} beside this class.
 */
@Command(name = "fashion-gan", mixinStandardHelpOptions = true, resourceBundle = "org.wgan.examples.fashion.FashionGan",
        description = "Trains a DCGAN-style WGAN-GP (or the cross-entropy baseline) on Fashion-MNIST.")
public final class FashionGan implements Callable<Integer> {

    @Option(names = "--objective", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Objective objective = Objective.WGAN_GP;

    @Mixin
    private final TrainingOptions training = TrainingOptions.withRecipeCriticSteps(2_000, 64);

    @Option(names = "--width", description = "model width: maps of the DCGAN critic's first convolution, or of every"
            + " ResNet block (default: ${DEFAULT-VALUE}; the WGAN-GP paper's MNIST models use 64, its CIFAR-10 ResNet"
            + " 128)")
    private int width = FashionModels.DEFAULT_WIDTH;

    @Option(names = "--model", description = "${COMPLETION-CANDIDATES}: the DCGAN of FashionModels or the WGAN-GP"
            + " paper's ResNet at 28x28 (default: ${DEFAULT-VALUE})")
    private FashionTraining.Model model = FashionTraining.Model.DCGAN;

    @Mixin
    private final PenaltyWeightOption penaltyWeight = new PenaltyWeightOption(10);

    @Mixin
    private final EmaDecayOption emaDecay = new EmaDecayOption();

    @Mixin
    private final CommonOptions common = new CommonOptions();

    @Option(names = "--resume", description = "continue from the newest checkpoint in the output folder")
    private boolean resume;

    @Option(names = "--checkpoint-every", description = "generator steps between checkpoints (default:"
            + " ${DEFAULT-VALUE})")
    private long checkpointEvery = 250;

    @Option(names = "--keep-checkpoints", description = "newest checkpoints kept (default: ${DEFAULT-VALUE})")
    private int keepCheckpoints = CheckpointStore.DEFAULT_KEEP;

    @Option(names = "--sample-every", description = "generator steps between sample grids and plots (default:"
            + " ${DEFAULT-VALUE})")
    private long sampleEvery = 250;

    @Option(names = "--evaluate-samples", description = "generated samples scored at the end (Frechet distance and"
            + " class histogram against the 10,000 test images); 0 to skip (default: ${DEFAULT-VALUE})")
    private int evaluateSamples = FashionEvaluation.DEFAULT_SAMPLES;

    @Option(names = "--evaluate-only", description = "train nothing: score the checkpoint of --at-step (default:"
            + " the newest) in the output folder")
    private boolean evaluateOnly;

    @Option(names = "--at-step", description = "with --evaluate-only: the generator step of the checkpoint to score")
    private Long atStep;

    @Option(names = "--classifier-cache", description = "the feature classifier, trained on the first use"
            + " (default: ${DEFAULT-VALUE})")
    private Path classifierCache = FashionClassifier.DEFAULT_CACHE_FILE;

    @Option(names = "--data", description = "folder of the Fashion-MNIST idx files (default: ${DEFAULT-VALUE})")
    private Path data = FashionMnist.DEFAULT_DIRECTORY;

    /** Training images and epochs of the feature classifier: the full split by default; tests use fewer. */
    int classifierTrainingImages = -1;
    int classifierEpochs = FashionClassifier.DEFAULT_EPOCHS;

    /** Runs the example; exit code 2 for a rejected command line. */
    public static void main(String[] args) {
        NativeSetup.applyForConvolutions();
        Launcher.exit(FashionGan::new, args);
    }

    @Override
    public Integer call() throws IOException {
        FashionTraining.Run run = run();
        if (!evaluateOnly) {
            System.out.printf("%s: %d generator steps, %d critic updates, %.1f s; samples, plot and checkpoints in"
                    + " %s%n", objective, run.summary().generatorSteps(), run.summary().criticUpdates(),
                    run.summary().seconds(), settings().folder().toAbsolutePath());
        }
        return 0;
    }

    /**
     * Validates the options, checks that the output folder and its checkpoint folder can be written, sets ND4J's
     * threads, then trains (from the newest checkpoint with {@code --resume}) or, with {@code --evaluate-only},
     * scores a kept checkpoint.
     *
     * @throws InvalidOptionException naming the first option with a value it rejects
     * @throws IOException            one line naming the path: a folder that cannot be written, the data, checkpoints
     */
    FashionTraining.Run run() throws IOException {
        FashionTraining.Settings settings = settings();
        CommonOptions.requireWritable(settings.folder());
        // the first checkpoint is written only after --checkpoint-every steps
        CommonOptions.requireWritable(settings.folder().resolve("checkpoints"));
        common.applyThreads();
        FashionTraining fashion = new FashionTraining(settings);
        return evaluateOnly ? fashion.evaluateCheckpoint(atStep)
                : fashion.train(resume, training.progress(objective.name(), 50));
    }

    /**
     * The parsed options as the training's settings.
     *
     * @throws InvalidOptionException naming the first option with a value it rejects
     */
    FashionTraining.Settings settings() {
        OptionChecks.atLeast("--evaluate-samples", evaluateSamples, 0);
        if (evaluateSamples == 1) {
            throw new InvalidOptionException("--evaluate-samples must be 0 or >= 2, but was 1");
        }
        if (atStep != null && !evaluateOnly) {
            throw new InvalidOptionException("--at-step " + atStep + " needs --evaluate-only");
        }
        if (atStep != null) {
            OptionChecks.atLeast("--at-step", atStep, 1);
        }
        if (evaluateOnly && evaluateSamples == 0) {
            throw new InvalidOptionException("--evaluate-only needs --evaluate-samples >= 2, but was 0");
        }
        double decay = emaDecay.emaDecay();
        common.threads();
        return new FashionTraining.Settings(objective, training.steps(),
                training.criticStepsOr(objective.criticSteps()), training.batchSize(),
                OptionChecks.atLeast("--width", width, 1), model, penaltyWeight.penaltyWeight(), decay,
                common.seed(), data, common.folder(objective.name().toLowerCase(Locale.ROOT)),
                OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 1),
                OptionChecks.atLeast("--keep-checkpoints", keepCheckpoints, 1),
                OptionChecks.atLeast("--sample-every", sampleEvery, 1),
                new FashionTraining.Scoring(evaluateSamples, classifierCache, classifierTrainingImages,
                        classifierEpochs));
    }
}
