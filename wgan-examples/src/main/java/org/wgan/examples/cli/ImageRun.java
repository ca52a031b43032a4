package org.wgan.examples.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.IUpdater;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.GraphGenerator;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.models.ResNetCritic;
import org.wgan.dl4j.models.ResNetGenerator;
import org.wgan.dl4j.models.ResNetSpec;
import org.wgan.examples.support.ConsoleProgress;
import org.wgan.examples.support.GanRecipe;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.SampleGrid;
import org.wgan.examples.support.TrainingHistory;
import org.wgan.images.ImageFolderSource;
import org.wgan.ui.ValueSurface;

/**
 * The networks, the trainer and the outputs of one run folder, from its {@link RunSettings}: what {@code wgan train}
 * and the {@code FashionGan} preset fit, and what {@code sample}, {@code export} and {@code evaluate} restore.
 * Checkpoints in {@code checkpoints/}, {@code history.csv}, {@code training.png} and {@code samples-<step>.png} grids
 * of 64 fixed noise vectors (seed + 11, kept in the checkpoints).
 */
public final class ImageRun {

    /**
     * What {@link #train} did.
     *
     * @param summary   the trainer's summary
     * @param resumedAt the generator step the run resumed after; 0 for a fresh run
     */
    public record Trained(TrainingSummary summary, long resumedAt) {
    }

    static final int GRID_SIZE = 64;
    /** Points per axis of a 2-column CSV run's critic surface ({@code critic-<step>.csv}). */
    static final int SURFACE_POINTS = 64;
    /** Half the side of the critic surface, in standard deviations of each column about its mean. */
    static final double SURFACE_HALF_WIDTH = 3.5;

    private final RunSettings settings;
    private final Path folder;
    private final Generator generator;
    private final Critic critic;
    private final GeneratorEma ema;
    private final INDArray fixedNoise;
    private final TrainingHistory history;
    private final CheckpointStore store;
    private final WganTrainer trainer;

    /**
     * Wires a run; {@code real} may be null where nothing is trained (sampling): the trainer then has a source that
     * refuses to be read. Writes nothing.
     *
     * @param progress a listener told of every step, or null
     */
    public ImageRun(RunSettings settings, Path folder, SampleSource real, int keepCheckpoints,
            TrainerListener progress) {
        this(settings, folder, real, keepCheckpoints, progress, List.of());
    }

    /**
     * As {@link #ImageRun(RunSettings, Path, SampleSource, int, TrainerListener)}, with more listeners told of every
     * step after the run's own (a live page's).
     */
    ImageRun(RunSettings settings, Path folder, SampleSource real, int keepCheckpoints, TrainerListener progress,
            List<TrainerListener> listeners) {
        this.settings = settings;
        this.folder = folder;
        boolean wgan = settings.objective().equals("WGAN_GP");
        IUpdater updater = wgan ? Optimizers.wganGp() : Optimizers.adam(2e-4, 0.5, 0.999);
        Critic critic;
        if (settings.csv()) {
            int columns = settings.columnNames().size();
            int w = settings.width();
            MultiLayerGenerator mlp = MultiLayerGenerator.of(Mlp.builder().sizes(settings.latentSize(), w, w, w,
                    columns).updater(updater).seed(settings.seed()).build());
            generator = mlp;
            critic = MultiLayerCritic.of(Mlp.builder().sizes(columns, w, w, w, 1).updater(updater)
                    .seed(settings.seed() + 1).build());
            ema = settings.emaDecay() > 0 ? GeneratorEma.of(mlp, settings.emaDecay()) : null;
        } else if (settings.model().equals("RESNET")) {
            ResNetSpec spec = new ResNetSpec(settings.width(), settings.latentSize(), settings.channels(),
                    settings.size(), ImageModels.upsamplings(settings.size()), Activation.RELU, DataType.FLOAT,
                    updater, settings.seed());
            GraphGenerator resnet = GraphGenerator.of(ResNetGenerator.of(spec));
            generator = resnet;
            critic = GraphCritic.of(ResNetCritic.of(spec));
            ema = settings.emaDecay() > 0 ? GeneratorEma.of(resnet, settings.emaDecay()) : null;
        } else {
            MultiLayerGenerator dcgan = MultiLayerGenerator.of(ImageModels.generator(settings.size(),
                    settings.channels(), settings.latentSize(), settings.width(), settings.seed(), updater));
            generator = dcgan;
            critic = MultiLayerCritic.of(ImageModels.critic(settings.size(), settings.channels(), settings.width(),
                    settings.seed() + 1, updater));
            ema = settings.emaDecay() > 0 ? GeneratorEma.of(dcgan, settings.emaDecay()) : null;
        }
        this.critic = critic;
        LatentSampler latent = LatentSamplers.gaussian(settings.latentSize());
        fixedNoise = latent.sample(GRID_SIZE, new Random(settings.seed() + 11));
        store = CheckpointStore.in(folder.resolve("checkpoints")).keepLast(keepCheckpoints);
        history = new TrainingHistory(folder.resolve("history.csv"));
        SampleSource source = real != null ? real : (batch, random) -> {
            throw new IllegalStateException("this run was opened to sample, not to train");
        };
        WganTrainer.Builder builder = new GanRecipe(wgan, settings.penaltyWeight(), settings.criticSteps(),
                settings.batchSize(), settings.seed(), settings.steps()).trainer(generator, critic, latent, source,
                store, settings.checkpointEvery(), fixedNoise, ema);
        if (real instanceof ImageFolderSource images) {
            // a streamed set's position goes into the checkpoints, so a resumed run draws the same images
            images.checkpointParticipant().ifPresent(builder::checkpointParticipant);
        }
        builder.listener(history).listener(new Grids());
        if (progress != null) {
            builder.listener(progress);
        }
        listeners.forEach(builder::listener);
        trainer = builder.build();
    }

    /**
     * Trains to the settings' steps, from the newest checkpoint if {@code resume} (saying where it resumes), reporting
     * to {@code progress} (started here and closed at the end), then writes the last grids and the plot. The
     * history is cut back to the checkpoint's step first, so it never repeats a step.
     */
    public Trained train(boolean resume, ConsoleProgress progress) throws IOException {
        long resumedAt = 0;
        if (resume) {
            var newest = trainer.resumeFromLatest();
            resumedAt = newest.orElse(0);
            System.out.println(newest.isPresent() ? "resuming after generator step " + resumedAt + " from "
                    + store.directory().toAbsolutePath() : "no checkpoint in " + store.directory() + "; starting");
        }
        history.truncateTo(resumedAt);
        TrainingSummary summary;
        try (ConsoleProgress started = progress.start(resumedAt)) {
            summary = trainer.fit();
        } finally {
            history.flush();
        }
        writeOutputs(summary.generatorSteps());
        return new Trained(summary, resumedAt);
    }

    /**
     * The run in {@code folder} (settings from its run.json) at its newest checkpoint, to {@code purpose} (sample
     * from, export, evaluate): nothing to train, so no data is read.
     *
     * @throws NoSuchFileException when it has no checkpoint (or no run.json)
     */
    static ImageRun restored(Path folder, String purpose) throws IOException {
        return restored(RunSettings.readFrom(folder), folder, purpose);
    }

    /** {@link #restored(Path, String)} with the run's settings already read from its run.json. */
    static ImageRun restored(RunSettings settings, Path folder, String purpose) throws IOException {
        ImageRun run = new ImageRun(settings, folder, null, Integer.MAX_VALUE, null);
        Checkpoint newest = run.store.latest().orElseThrow(() -> new NoSuchFileException(
                folder.resolve("checkpoints").toString(), null, "no checkpoint to " + purpose + "; train longer"
                + " than --checkpoint-every steps"));
        run.trainer.restore(newest);
        return run;
    }

    /**
     * The generator, or with {@code ema} its moving average.
     *
     * @throws InvalidOptionException naming --ema when the run keeps no average
     */
    Generator generator(boolean ema) {
        if (ema && this.ema == null) {
            throw new InvalidOptionException("--ema: the run in " + folder + " keeps no EMA (train with"
                    + " --ema-decay)");
        }
        return ema ? this.ema.averaged() : generator;
    }

    RunSettings settings() {
        return settings;
    }

    public WganTrainer trainer() {
        return trainer;
    }

    public Generator generator() {
        return generator;
    }

    /** The EMA generator, or null when the run keeps none. */
    public GeneratorEma ema() {
        return ema;
    }

    CheckpointStore store() {
        return store;
    }

    /**
     * The sample grid(s) of generator step {@code step} (for CSV rows, {@code samples-<step>.csv} in the file's
     * units) and the training plot.
     */
    private void writeOutputs(long step) throws IOException {
        history.flush();
        if (settings.csv()) {
            CsvRows.write(folder.resolve(String.format("samples-%06d.csv", step)), settings.columnNames(),
                    rows(generator.generate(fixedNoise)));
            if (ema != null) {
                CsvRows.write(folder.resolve(String.format("samples-%06d-ema.csv", step)), settings.columnNames(),
                        rows(ema.averaged().generate(fixedNoise)));
            }
            if (settings.columnNames().size() == 2) {
                writeCriticSurface(step);
            }
            plot();
            return;
        }
        SampleGrid.write(folder.resolve(String.format("samples-%06d.png", step)), generator.generate(fixedNoise), 8,
                gridScale(settings.size()));
        if (ema != null) {
            SampleGrid.write(folder.resolve(String.format("samples-%06d-ema.png", step)),
                    ema.averaged().generate(fixedNoise), 8, gridScale(settings.size()));
        }
        plot();
    }

    /**
     * The critic's values over a square of 2-column data ({@link ValueSurface}, {@code critic-<step>.csv}), in the
     * file's units: {@value #SURFACE_HALF_WIDTH} standard deviations either side of each column's mean, where the
     * standardised data the critic reads lies.
     */
    private void writeCriticSurface(long step) throws IOException {
        double[] means = settings.means();
        double[] scales = settings.scales();
        int n = SURFACE_POINTS;
        INDArray points = Nd4j.create(critic.dataType(), (long) n * n, 2);
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                // standardised coordinates: the critic's input
                points.putScalar(new long[] {(long) j * n + i, 0}, -SURFACE_HALF_WIDTH + 2 * SURFACE_HALF_WIDTH * i
                        / (n - 1));
                points.putScalar(new long[] {(long) j * n + i, 1}, -SURFACE_HALF_WIDTH + 2 * SURFACE_HALF_WIDTH * j
                        / (n - 1));
            }
        }
        float[] values = critic.score(points).castTo(DataType.FLOAT).toFloatVector();
        ValueSurface.write(folder.resolve(ValueSurface.fileName(step)),
                means[0] - SURFACE_HALF_WIDTH * scales[0], means[0] + SURFACE_HALF_WIDTH * scales[0],
                means[1] - SURFACE_HALF_WIDTH * scales[1], means[1] + SURFACE_HALF_WIDTH * scales[1], n, values);
    }

    /** Generated rows of a CSV run in the file's units. */
    double[][] rows(INDArray generated) {
        return CsvRows.unstandardise(generated, settings.means(), settings.scales());
    }

    private void plot() throws IOException {
        String data = settings.fashionMnist() ? "Fashion-MNIST" : settings.images();
        history.plot(folder.resolve("training.png"), data + ": " + settings.objective() + ", "
                + settings.model() + ", seed " + settings.seed(), settings.objective().equals("WGAN_GP"), 101);
    }

    /** Grid cells of at least 56 pixels: 28x28 images at 2x, 64x64 at 1x. */
    static int gridScale(int size) {
        return Math.max(1, 56 / size);
    }

    /** Grids and the plot every {@code sampleEvery} generator steps. */
    private final class Grids implements TrainerListener {
        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            long done = event.generatorStep() + 1;
            if (done % settings.sampleEvery() == 0) {
                try {
                    writeOutputs(done);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
