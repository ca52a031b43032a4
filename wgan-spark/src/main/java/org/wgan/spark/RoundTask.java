package org.wgan.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.BarrierTaskContext;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.RestoreMode;
import org.wgan.core.training.WganTrainer;
import scala.collection.Iterator;
import scala.collection.JavaConverters;
import scala.runtime.AbstractFunction1;

/**
 * The body of one barrier task for one round: builds the replica from the factories, restores the newest
 * checkpoint (every task reads the same file, so all replicas start identical), trains with the core
 * {@link WganTrainer} until the round's last generator step, and returns its events. Task 0 alone writes the
 * checkpoints, through the core's atomic {@link CheckpointStore}.
 */
final class RoundTask extends AbstractFunction1<Iterator<float[]>, Iterator<TaskReport>> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final TaskSettings settings;
    private final long roundEnd;
    private final String resumeFrom;

    /** A round to {@code roundEnd} from the checkpoint file {@code resumeFrom}, or from scratch when it is null. */
    RoundTask(TaskSettings settings, long roundEnd, String resumeFrom) {
        this.settings = settings;
        this.roundEnd = roundEnd;
        this.resumeFrom = resumeFrom;
    }

    @Override
    public Iterator<TaskReport> apply(Iterator<float[]> rows) {
        BarrierTaskContext context = BarrierTaskContext.get();
        int shard = context.partitionId();
        int shards = context.getTaskInfos().length;
        INDArray data = stack(JavaConverters.asJavaIterator(rows), settings.sampleShape());
        List<StepRecord> steps = new ArrayList<>();
        // task 0 writes into the run's folder, unless that is on a Hadoop file system: then it uploads its own
        Path scratch = shard == 0 && !settings.hadoopCheckpoints() ? null : createScratch();
        CheckpointStore scratchStore = scratch == null ? null : CheckpointStore.in(scratch).keepLast(1);
        try (HubExchange exchange = HubExchange.connect(context, settings.exchangeTimeoutMillis())) {
            WganTrainer trainer = replica(settings, shard, shards, data, exchange, roundEnd, scratchStore)
                    .listener(new Recorder(steps)).build();
            restoreLatest(trainer);
            long start = System.nanoTime();
            trainer.fit();
            if (shard == 0 && settings.hadoopCheckpoints()) {
                upload(scratchStore, trainer.generatorStep());
            }
            TaskReport report = new TaskReport(shard, steps, trainer.generatorStep(),
                    trainer.config().critic().updateCount(), exchange.nanos(), exchange.bytesSent(),
                    System.nanoTime() - start);
            return JavaConverters.asScalaIterator(List.of(report).iterator());
        } finally {
            if (scratch != null) {
                deleteTree(scratch);
            }
        }
    }

    /**
     * Restores the checkpoint the driver chose for this round (none for a fresh run). Only task 0 opens the store:
     * opening one removes temporary files it takes for abandoned, which could be another task's write in progress.
     */
    private void restoreLatest(WganTrainer trainer) {
        if (resumeFrom == null) {
            return;
        }
        try {
            Checkpoint checkpoint = settings.hadoopCheckpoints() ? settings.hadoop().read(resumeFrom)
                    : Checkpoint.readFrom(Path.of(resumeFrom));
            trainer.restore(checkpoint, RestoreMode.REQUIRE_SAME_SETTINGS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoint " + resumeFrom, e);
        }
    }

    /** Uploads the round's last checkpoint (the newest in task 0's scratch store) to the Hadoop file system. */
    private void upload(CheckpointStore scratchStore, long generatorStep) {
        try {
            List<Path> files = scratchStore.files();
            settings.hadoop().upload(files.get(files.size() - 1), generatorStep);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot upload the checkpoint of generator step " + generatorStep + " to "
                    + settings.checkpointDirectory(), e);
        }
    }

    private static Path createScratch() {
        try {
            return Files.createTempDirectory("wgan-spark-task");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder for the task's checkpoints", e);
        }
    }

    static void deleteTree(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a scratch folder left behind in the temporary directory is harmless
        }
    }


    /**
     * The builder of one task's trainer: synchronised networks, this shard's real samples, latent noise and
     * penalty draws, the shard's batch. Task 0 writes the checkpoints; the others write theirs to {@code scratch}, a
     * folder of their own that is deleted when the task ends (the core refuses checkpoint participants, such as a
     * spectrally normalised critic, without a store, and every replica must restore them).
     */
    static WganTrainer.Builder replica(TaskSettings settings, int shard, int shards, INDArray data,
            GradientExchange exchange, long maxGeneratorSteps, CheckpointStore scratch) {
        Critic critic = settings.critic().create();
        Generator generator = settings.generator().create();
        LatentSampler latent = settings.latentSampler() != null ? settings.latentSampler().create()
                : LatentSamplers.gaussian(generator.latentSize());
        WganTrainer.Builder builder = WganTrainer.builder()
                .critic(SyncedCritic.of(critic, exchange))
                .generator(new SyncedGenerator(generator, exchange))
                .objective(settings.objective().create())
                .constraint(ShardedConstraint.of(settings.constraint().create(), shard, shards))
                .criticSchedule(settings.criticSchedule())
                .batchSize(settings.batchSize() / shards)
                .realSamples(ShardedSampleSource.shard(data, shard, shards))
                .latentSampler(new ShardedLatentSampler(latent, shard, shards))
                .seed(settings.seed())
                .maxGeneratorSteps(maxGeneratorSteps);
        // the decorators hide the networks' own checkpoint state (a spectrally normalised critic's vectors)
        for (Object network : List.of(generator, critic)) {
            if (network instanceof CheckpointParticipant participant) {
                builder.checkpointParticipant(participant);
            }
        }
        if (!settings.stopOnNonFinite()) {
            builder.withoutNonFiniteGuard();
        }
        return builder.checkpoints(shard == 0 && !settings.hadoopCheckpoints() ? store(settings) : scratch,
                settings.checkpointEvery());
    }

    static CheckpointStore store(TaskSettings settings) {
        return CheckpointStore.in(Path.of(settings.checkpointDirectory())).keepLast(settings.checkpointsKept());
    }

    /** The partition's rows as one array {@code [rows, sampleShape...]}. */
    static INDArray stack(java.util.Iterator<float[]> rows, long[] sampleShape) {
        List<float[]> all = new ArrayList<>();
        rows.forEachRemaining(all::add);
        int length = Math.toIntExact(SparkWganTrainer.product(sampleShape));
        float[] flat = new float[Math.multiplyExact(all.size(), length)];
        for (int i = 0; i < all.size(); i++) {
            float[] row = all.get(i);
            if (row.length != length) {
                throw new IllegalArgumentException("every sample must have " + length + " values (sampleShape "
                        + java.util.Arrays.toString(sampleShape) + "), but row " + i + " has " + row.length);
            }
            System.arraycopy(row, 0, flat, i * length, length);
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = all.size();
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return Nd4j.createFromArray(flat).reshape('c', shape);
    }

    /** Keeps the task's events for the driver; never stops (a stop is the driver's, between rounds). */
    private record Recorder(List<StepRecord> steps) implements TrainerListener {

        @Override
        public void onCriticStep(CriticStepEvent event, StopHandle stop) {
            steps.add(StepRecord.of(event));
        }

        @Override
        public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
            steps.add(StepRecord.of(event));
        }
    }
}
