package org.wgan.examples.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Supplier;
import org.wgan.core.data.SampleSource;
import org.wgan.core.training.TrainingSummary;
import org.wgan.examples.support.CommonOptions;
import org.wgan.examples.support.ConsoleProgress;
import org.wgan.examples.support.EmaDecayOption;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.Objective;
import org.wgan.examples.support.OptionChecks;
import org.wgan.examples.support.PenaltyWeightOption;
import org.wgan.examples.support.TrainingOptions;
import org.wgan.images.ImageFolderSource;
import org.wgan.ui.RunDashboard;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code wgan train}: a fresh run on a folder of images into {@code --output}, or {@code --resume} of a run folder,
 * which reads the run's settings from its {@code run.json}, refuses options or data that differ from them (listing
 * every difference) and may raise {@code --steps}. Nothing is written to the run folder before the images are read
 * and every option is checked.
 */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Trains a WGAN on a folder of images.")
final class TrainCommand implements Callable<Integer> {

    /** The models: two for images, one for rows of numbers. */
    enum Model { DCGAN, RESNET, MLP }

    /** Hidden units of the MLPs when --width is not given (the toy examples' 512). */
    static final int MLP_WIDTH = 512;

    @Spec
    private CommandSpec spec;

    /** The resumed run's settings; null for a fresh run. */
    private RunSettings saved;

    @ArgGroup(multiplicity = "1")
    private Target target;

    static final class Target {
        @Option(names = "--output", paramLabel = "<run folder>", required = true,
                description = "a new run folder (refused if it holds a run)")
        Path output;

        @Option(names = "--resume", paramLabel = "<run folder>", required = true,
                description = "continue the run in this folder from its newest checkpoint")
        Path resume;
    }

    @Option(names = "--images", paramLabel = "<folder>", description = "PNG, JPEG, BMP and GIF files, searched"
            + " recursively (required for a fresh run)")
    private Path images;

    @Option(names = "--data-csv", paramLabel = "<file.csv>", description = "train on rows of numbers instead"
            + " (a header row optional; --model MLP)")
    private Path csvFile;

    @Option(names = "--size", description = "image side in pixels, a multiple of 4 (default: ${DEFAULT-VALUE})")
    private int size = 64;

    @Option(names = "--rgb", description = "train on colour images (default: grey)")
    private boolean rgb;

    @Option(names = "--fit", description = "${COMPLETION-CANDIDATES}: centre-crop or pad other aspect ratios"
            + " (default: ${DEFAULT-VALUE})")
    private ImageFolderSource.Fit fit = ImageFolderSource.Fit.CROP;

    @Option(names = "--flips", description = "mirror images left-right at random")
    private boolean flips;

    @Option(names = "--strict", description = "refuse the folder if any image file cannot be used")
    private boolean strict;

    @Option(names = "--model", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}; MLP with"
            + " --data-csv)")
    private Model model = Model.DCGAN;

    @Option(names = "--objective", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    private Objective objective = Objective.WGAN_GP;

    @Option(names = "--width", description = "model width (default: ${DEFAULT-VALUE}; " + MLP_WIDTH
            + " hidden units for MLP)")
    private int width = 32;

    @Option(names = "--latent-size", description = "latent size (default: ${DEFAULT-VALUE})")
    private int latentSize = 64;

    @Mixin
    private final TrainingOptions training = TrainingOptions.withRecipeCriticSteps(10_000, 64);

    @Mixin
    private final PenaltyWeightOption penaltyWeight = new PenaltyWeightOption(10);

    @Mixin
    private final EmaDecayOption emaDecay = new EmaDecayOption();

    @Option(names = "--seed", description = "seed of the networks, the data draws and the noise (default:"
            + " ${DEFAULT-VALUE})")
    private long seed = 1;

    @Option(names = "--threads", description = "ND4J's threads (its elementwise ops and BLAS calls); the"
            + " convolutions' oneDNN threads follow OMP_NUM_THREADS only (default: ND4J's)")
    private Integer threads;

    @Option(names = "--checkpoint-every", description = "generator steps between checkpoints (default:"
            + " ${DEFAULT-VALUE})")
    private long checkpointEvery = 500;

    @Option(names = "--keep-checkpoints", description = "newest checkpoints kept (default: ${DEFAULT-VALUE})")
    private int keepCheckpoints = 5;

    @Option(names = "--sample-every", description = "generator steps between sample grids (default:"
            + " ${DEFAULT-VALUE})")
    private long sampleEvery = 500;

    @Option(names = "--ui", description = "serve a live page of the run while it trains (prints its address)")
    private boolean ui;

    @Option(names = "--ui-host", description = "address the --ui page is served on (default: ${DEFAULT-VALUE}, this"
            + " machine only; on any other the page has no authentication)")
    private String uiHost = RunDashboard.DEFAULT_HOST;

    @Option(names = "--ui-port", description = "port of the --ui page, 0 for any free one (default:"
            + " ${DEFAULT-VALUE})")
    private int uiPort = RunDashboard.DEFAULT_PORT;

    @Override
    public Integer call() throws IOException {
        for (String option : List.of("--ui-host", "--ui-port")) {
            if (given(option) && !ui) {
                throw new InvalidOptionException(option + " sets up the live page: add --ui");
            }
        }
        boolean resume = target.resume != null;
        Path folder = resume ? target.resume : target.output;
        saved = resume ? RunSettings.readFrom(folder) : null;
        if (saved != null && saved.fashionMnist()) {
            throw new InvalidOptionException("--resume " + folder + " is a run of fashion-gan (Fashion-MNIST's IDX"
                    + " files); continue it with fashion-gan --resume --output " + folder);
        }
        if (!resume) {
            refuseExistingRun(folder);
        }
        boolean csv = resume ? saved.csv() && !given("--images") : csvFile != null;
        if (!resume && images == null && csvFile == null) {
            throw new InvalidOptionException("--images is required for a fresh run (the folder of pictures), or"
                    + " --data-csv (a file of rows)");
        }
        if (images != null && csvFile != null) {
            throw new InvalidOptionException("--images and --data-csv exclude each other; give one");
        }
        Data data = csv ? csvRows(chosen("--data-csv", run -> Path.of(run.images()), () -> csvFile))
                : new Data(source(chosen("--images", run -> Path.of(run.images()), () -> images)), null);
        RunSettings settings = settings(data);
        if (resume) {
            List<String> differences = settings.differencesFrom(saved);
            if (!differences.isEmpty()) {
                throw new InvalidOptionException("--resume " + folder + " continues a run with other settings or"
                        + " data; differences: " + String.join("; ", differences));
            }
        }
        CommonOptions.requireWritable(folder);
        if (threads != null) {
            CommonOptions.applyThreads(OptionChecks.atLeast("--threads", threads, 1));
        }
        ConsoleProgress progress = training.progress(settings.objective(), 50);
        int kept = OptionChecks.atLeast("--keep-checkpoints", keepCheckpoints, 1);
        RunDashboard page = ui ? LivePage.start(folder, uiHost, "--ui-host", uiPort, "--ui-port") : null;
        try {
            ImageRun run = new ImageRun(settings, folder, data.source(), kept, progress,
                    page == null ? List.of() : List.of(page.listener()));
            settings.writeTo(folder);
            System.out.printf(Locale.ROOT, "%s%n", data.source());
            if (page != null) {
                PrintWriter out = spec.commandLine().getOut();
                out.println("open " + page.url());
                out.flush();
            }
            TrainingSummary summary = run.train(resume, progress).summary();
            System.out.printf(Locale.ROOT, "%d generator steps, %.1f s; samples, plot and checkpoints in %s%n",
                    summary.generatorSteps(), summary.seconds(), folder.toAbsolutePath());
            if (page != null) {
                spec.commandLine().getOut().println("the page closes with training; to see it again: wgan ui --run "
                        + folder);
            }
        } finally {
            if (page != null) {
                page.close();
            }
        }
        return 0;
    }

    private boolean given(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /**
     * The resumed run's value when resuming without {@code option} on the command line, else the command line's
     * (computed, and so checked, only then).
     */
    private <T> T chosen(String option, Function<RunSettings, T> fromRun, Supplier<T> fromCommandLine) {
        return saved != null && !given(option) ? fromRun.apply(saved) : fromCommandLine.get();
    }

    private static void refuseExistingRun(Path folder) throws IOException {
        if (Files.exists(folder.resolve(RunSettings.FILE)) || Files.isDirectory(folder.resolve("checkpoints"))) {
            throw new InvalidOptionException("--output " + folder + " holds a run; pass --resume " + folder
                    + " to continue it, or another --output");
        }
    }

    /** The images, with the saved run's image settings where the command line does not give them. */
    private ImageFolderSource source(Path folder) {
        int side = chosen("--size", RunSettings::size, () -> size);
        ImageModels.upsamplings(side);
        boolean colour = chosen("--rgb", run -> run.channels() == 3, () -> rgb);
        ImageFolderSource.Fit shape = chosen("--fit", run -> ImageFolderSource.Fit.valueOf(run.fit()), () -> fit);
        boolean mirror = chosen("--flips", RunSettings::flips, () -> flips);
        long order = chosen("--seed", RunSettings::seed, () -> seed);
        ImageFolderSource.Builder builder = ImageFolderSource.builder(folder).size(side).fit(shape).flips(mirror)
                .strict(strict).seed(order);
        if (colour) {
            builder.rgb();
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("--images: " + e.getMessage());
        }
    }

    /** The training data: images, or CSV rows (then {@code rows} is not null). */
    private record Data(SampleSource source, CsvRows rows) {
        ImageFolderSource images() {
            return (ImageFolderSource) source;
        }
    }

    private static Data csvRows(Path file) throws IOException {
        CsvRows rows = CsvRows.read(file);
        return new Data(rows, rows);
    }

    /** This command line's settings, the saved run's where an option is not given on resume. */
    private RunSettings settings(Data data) {
        CsvRows rows = data.rows();
        boolean csv = rows != null;
        String modelName = chosen("--model", RunSettings::model, () -> csv && !given("--model") ? Model.MLP.name()
                : model.name());
        if (csv != modelName.equals(Model.MLP.name())) {
            throw new InvalidOptionException("--model " + modelName + (csv ? " trains on images; rows of --data-csv"
                    + " take --model MLP" : " trains on rows of --data-csv; images take DCGAN or RESNET"));
        }
        int defaultWidth = csv && !given("--width") ? MLP_WIDTH : width;
        String objectiveName = chosen("--objective", RunSettings::objective, objective::name);
        return new RunSettings(RunSettings.libraryVersion(), csv ? RunSettings.CSV : RunSettings.IMAGES,
                (csv ? rows.file() : data.images().folder()).toAbsolutePath().normalize().toString(),
                csv ? rows.fingerprint() : data.images().fingerprint(),
                csv ? rows.rows() : data.images().imageCount(), csv ? 0 : data.images().size(),
                csv ? 0 : data.images().channels(),
                chosen("--fit", RunSettings::fit, fit::name),
                chosen("--flips", RunSettings::flips, () -> flips),
                modelName, objectiveName,
                chosen("--width", RunSettings::width, () -> OptionChecks.atLeast("--width", defaultWidth, 1)),
                chosen("--latent-size", RunSettings::latentSize,
                        () -> OptionChecks.atLeast("--latent-size", latentSize, 1)),
                chosen("--batch-size", RunSettings::batchSize, training::batchSize),
                chosen("--critic-steps", RunSettings::criticSteps,
                        () -> training.criticStepsOr(Objective.valueOf(objectiveName).criticSteps())),
                chosen("--penalty-weight", RunSettings::penaltyWeight, penaltyWeight::penaltyWeight),
                chosen("--ema-decay", RunSettings::emaDecay, emaDecay::emaDecay),
                chosen("--seed", RunSettings::seed, () -> seed),
                chosen("--steps", RunSettings::steps, training::steps),
                chosen("--checkpoint-every", RunSettings::checkpointEvery,
                        () -> OptionChecks.atLeast("--checkpoint-every", checkpointEvery, 1)),
                chosen("--sample-every", RunSettings::sampleEvery,
                        () -> OptionChecks.atLeast("--sample-every", sampleEvery, 1)),
                csv ? rows.names() : List.of(), csv ? rows.means() : new double[0],
                csv ? rows.scales() : new double[0]);
    }
}
