package org.wgan.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.ParameterBlock;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointMismatchException;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.internal.Checks;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.listener.TrainingDivergedException;
import org.wgan.core.objective.Objective;
import org.wgan.core.training.CriticSchedule;
import org.wgan.core.training.RestoreMode;
import org.wgan.core.training.TrainerConfig;
import org.wgan.core.training.TrainingSummary;
import org.wgan.core.training.WganTrainer;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/**
 * Synchronous data-parallel {@link WganTrainer} on Apache Spark: one replica of the critic and the generator per
 * partition of a {@code JavaRDD} of real samples, in a barrier stage (one long-running task per worker, all started
 * together, as XGBoost4J-Spark trains).
 *
 * <p>Every task builds identical replicas from the {@link ReplicaFactory factories} and runs the core training loop
 * on its share {@code b = batchSize / workers} of each batch: its rows of the global batch from its own partition
 * ({@link ShardedSampleSource}), its rows of the global batch's latent noise and penalty draws (every task's random
 * source, seeded alike, stays in lockstep). Before each critic and each generator update the tasks average their
 * gradients (through task 0 over TCP, summed in task order, so the replicas stay bit-equal; the barrier's
 * all-gather only tells the tasks where task 0 listens);
 * since every loss and penalty is a mean over the shard, the mean of the shards' gradients is the global batch's.
 * Critic steps with the penalty or weight clipping, then the generator step, are therefore those of one process
 * training on batch {@code batchSize} with {@link ShardedSampleSource#whole} over the same partitions, up to
 * floating-point summation order.
 *
 * <p>Training runs in rounds of {@link Builder#checkpoints checkpointEvery} generator steps, one barrier stage each;
 * task 0 writes a checkpoint at the end of every round through the core's atomic {@link CheckpointStore}, in a
 * directory every worker and the driver see, or on a Hadoop file system. A failed task fails its stage; the driver then
 * runs the round again, every task resuming from the newest checkpoint, so at most one round's steps are lost (up to
 * {@link Builder#maxAttemptsPerRound} tries per round; a diverged run is never retried). {@link #fit} also continues
 * from a checkpoint already in the directory. The driver's listeners receive each round's events, the mean over the
 * tasks, when the round ends; a stop they request takes effect at the end of the round.
 *
 * <p>Limits: networks with batch statistics (batch normalisation's running mean and variance, parameter blocks of
 * kind {@link ParameterBlock.Kind#NOT_TRAINED}) are refused, since each shard would normalise by its own statistics;
 * the penalty must be the gradient penalty, R1 or none (others draw in ways a share cannot reproduce); each partition
 * must fit in its task's memory and carries weight {@code 1 / workers} in every batch, so partition sizes must be
 * close ({@link Builder#partitionSizeTolerance}).
 */
public final class SparkWganTrainer {

    private static final ClassTag<TaskReport> REPORT = ClassTag$.MODULE$.apply(TaskReport.class);

    private final TaskSettings settings;
    private final int maxAttempts;
    private final double partitionSizeTolerance;
    private final List<TrainerListener> listeners;

    private SparkWganTrainer(Builder builder) {
        CriticSchedule schedule = builder.criticSchedule;
        this.settings = new TaskSettings(builder.critic, builder.generator, builder.objective, builder.constraint,
                builder.latentSampler, schedule.criticSteps(), schedule.warmUpCriticSteps(), schedule.warmUpUntil(),
                schedule.warmUpEvery(), builder.batchSize, builder.seed, builder.maxGeneratorSteps,
                builder.stopOnNonFinite, builder.checkpointDirectory, builder.checkpointEvery,
                builder.checkpointsKept, builder.sampleShape.clone(), builder.exchangeTimeout.toMillis(),
                builder.hadoopCheckpoints);
        this.maxAttempts = builder.maxAttemptsPerRound;
        this.partitionSizeTolerance = builder.partitionSizeTolerance;
        this.listeners = List.copyOf(builder.listeners);
    }

    /** A builder with the defaults named in its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Trains on the RDD's partitions, one barrier task per partition, until {@code maxGeneratorSteps} or a
     * listener's stop. Everything is checked before anything trains: one small job counts each partition's rows,
     * and the driver builds one replica to check the settings as {@link WganTrainer.Builder#build()} does. The RDD
     * is persisted (memory and disk) while it runs unless it already is.
     *
     * @param realSamples the real samples, flattened to {@code sampleShape}; its partitions are the workers
     * @return the summary; the trained networks are in the newest checkpoint ({@link #latestCheckpoint()})
     * @throws IllegalArgumentException if {@code batchSize} is not a multiple of the partitions, a partition is
     *                                  empty, the partitions' sizes differ beyond the tolerance, a sample has
     *                                  another length than {@code sampleShape}, or a network or the constraint is
     *                                  unsupported
     * @throws IllegalStateException    if the settings do not fit together, or a round failed
     *                                  {@code maxAttemptsPerRound} times
     * @throws TrainingDivergedException if a loss or parameter became NaN or infinite in a task
     */
    public SparkTrainingSummary fit(JavaRDD<float[]> realSamples) {
        Objects.requireNonNull(realSamples, "realSamples");
        long startNanos = System.nanoTime();
        int workers = realSamples.getNumPartitions();
        if (settings.batchSize() % workers != 0) {
            throw new IllegalArgumentException("batchSize must be a multiple of the number of partitions (workers) "
                    + workers + ", but was " + settings.batchSize());
        }
        TrainerConfig config = validateReplica(workers);
        boolean persisted = realSamples.getStorageLevel().equals(StorageLevel.NONE());
        if (persisted) {
            realSamples.persist(StorageLevel.MEMORY_AND_DISK());
        }
        try {
            checkPartitions(realSamples);
            Optional<Checkpoint> newest = latestCheckpoint();
            newest.ifPresent(checkpoint -> requireFits(checkpoint, workers));
            return train(realSamples, workers, config, newest.map(Checkpoint::generatorStep).orElse(null),
                    startNanos);
        } finally {
            if (persisted) {
                realSamples.unpersist(false);
            }
        }
    }

    /**
     * The newest checkpoint in the checkpoint directory: restore it into networks made by the same factories
     * ({@code checkpoint.generator().restoreInto(generator, "generator")}) to use the trained networks.
     *
     * @throws UncheckedIOException if checkpoints exist but none can be read
     */
    public Optional<Checkpoint> latestCheckpoint() {
        try {
            return settings.hadoopCheckpoints() ? settings.hadoop().latest() : RoundTask.store(settings).latest();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints in " + settings.checkpointDirectory(), e);
        }
    }

    /**
     * The rounds from {@code checkpointStep}, the step of the newest checkpoint (null for a fresh run); after each
     * round the newest is the one task 0 wrote at its end.
     */
    private SparkTrainingSummary train(JavaRDD<float[]> realSamples, int workers, TrainerConfig config,
            Long checkpointStep, long startNanos) {
        long step = checkpointStep == null ? 0 : checkpointStep;
        Long saved = checkpointStep;
        String[] stop = new String[1];
        StopHandle handle = reason -> stop[0] = Objects.requireNonNullElse(reason, "stop requested");
        listeners.forEach(l -> l.onTrainingStart(config));
        int rounds = 0;
        int failed = 0;
        long exchangeNanos = 0;
        long trainNanos = 0;
        long bytes = 0;
        long criticUpdates = 0;
        StepRecord lastGenerator = null;
        while (step < settings.maxGeneratorSteps() && stop[0] == null) {
            long roundEnd = Math.min(settings.maxGeneratorSteps(),
                    (step / settings.checkpointEvery() + 1) * settings.checkpointEvery());
            // chosen once per round: a retry replays the round from its start, even where the failed attempt had
            // already written the round's own checkpoint (its events would otherwise never reach the listeners)
            String resumeFrom = saved == null ? null : checkpointFile(saved);
            List<TaskReport> reports = null;
            for (int attempt = 1; reports == null; attempt++) {
                try {
                    reports = runRound(realSamples, roundEnd, resumeFrom);
                } catch (SparkException | RuntimeException e) {
                    rethrowIfDiverged(e);
                    failed++;
                    if (attempt >= maxAttempts) {
                        throw new IllegalStateException("the round to generator step " + roundEnd + " failed "
                                + attempt + " times (maxAttemptsPerRound " + maxAttempts + "); the newest checkpoint"
                                + " is kept in " + settings.checkpointDirectory(), e);
                    }
                }
            }
            rounds++;
            lastGenerator = dispatch(reports, handle, lastGenerator);
            TaskReport first = reports.get(0);
            step = first.generatorStep();
            saved = step;
            criticUpdates = first.criticUpdates();
            exchangeNanos += first.exchangeNanos();
            trainNanos += first.trainNanos();
            bytes += first.bytesSent();
        }
        String reason = stop[0] != null ? stop[0] : "reached maxGeneratorSteps " + settings.maxGeneratorSteps();
        double criticLoss = lastGenerator != null ? lastGenerator.criticLoss() : Double.NaN;
        double generatorLoss = lastGenerator != null ? lastGenerator.generatorLoss() : Double.NaN;
        TrainingSummary summary = new TrainingSummary(step, criticUpdates, criticLoss, generatorLoss, -criticLoss,
                reason, (System.nanoTime() - startNanos) / 1e9);
        listeners.forEach(l -> l.onTrainingEnd(summary));
        return new SparkTrainingSummary(summary, workers, rounds, failed, exchangeNanos / 1e9, trainNanos / 1e9,
                bytes);
    }

    /** The checkpoint file (or URI) of this generator step, which every task of a round restores. */
    private String checkpointFile(long generatorStep) {
        return settings.hadoopCheckpoints() ? settings.hadoop().fileFor(generatorStep)
                : Path.of(settings.checkpointDirectory()).resolve(CheckpointStore.fileName(generatorStep)).toString();
    }

    private List<TaskReport> runRound(JavaRDD<float[]> realSamples, long roundEnd, String resumeFrom)
            throws SparkException {
        // the driver picks the file every task restores, so all start from the same one
        return JavaRDD.fromRDD(realSamples.rdd().barrier().mapPartitions(new RoundTask(settings, roundEnd,
                resumeFrom), false, REPORT), REPORT).collect();
    }

    /** Replays the tasks' events to the listeners, each the mean over the tasks; returns the last generator step's. */
    private StepRecord dispatch(List<TaskReport> reports, StopHandle handle, StepRecord lastGenerator) {
        StepRecord last = lastGenerator;
        List<StepRecord> first = reports.get(0).steps();
        for (int i = 0; i < first.size(); i++) {
            List<StepRecord> same = new ArrayList<>(reports.size());
            for (TaskReport report : reports) {
                same.add(report.steps().get(i));
            }
            StepRecord mean = StepRecord.mean(same);
            for (TrainerListener listener : listeners) {
                if (mean.generatorUpdate()) {
                    listener.onGeneratorStep(mean.generatorEvent(), handle);
                } else {
                    listener.onCriticStep(mean.criticEvent(), handle);
                }
            }
            if (mean.generatorUpdate()) {
                last = mean;
            }
        }
        return last;
    }

    private static void rethrowIfDiverged(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TrainingDivergedException diverged) {
                throw diverged;
            }
            String message = t.getMessage();
            if (message != null && message.contains(TrainingDivergedException.class.getName())) {
                throw new TrainingDivergedException("training diverged in a task: " + message, -1);
            }
        }
    }

    /**
     * Restores {@code checkpoint} into the trainer task 0 would build, on the driver: a checkpoint directory holding
     * another run (other networks, settings or worker count) is refused here, once, instead of failing every task of
     * every attempt.
     */
    private void requireFits(Checkpoint checkpoint, int workers) {
        long[] shape = new long[settings.sampleShape().length + 1];
        shape[0] = settings.batchSize() / workers;
        System.arraycopy(settings.sampleShape(), 0, shape, 1, settings.sampleShape().length);
        Path scratch = null;
        try {
            scratch = java.nio.file.Files.createTempDirectory("wgan-spark-check");
            WganTrainer replica = RoundTask.replica(settings, 0, workers, Nd4j.zeros(shape), GradientExchange.ALONE,
                    settings.maxGeneratorSteps(), CheckpointStore.in(scratch)).build();
            replica.restore(checkpoint, RestoreMode.REQUIRE_SAME_SETTINGS);
        } catch (CheckpointMismatchException e) {
            throw new IllegalStateException("the newest checkpoint in " + settings.checkpointDirectory() + " (generator"
                    + " step " + checkpoint.generatorStep() + ") is not of this run: " + e.getMessage()
                    + "; pass another checkpoint directory", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a scratch folder to check the newest checkpoint", e);
        } finally {
            if (scratch != null) {
                RoundTask.deleteTree(scratch);
            }
        }
    }

    /**
     * Builds one replica on the driver and the trainer a task would build, so that what the core refuses is refused
     * before any stage starts.
     */
    private TrainerConfig validateReplica(int workers) {
        Critic critic = settings.critic().create();
        Generator generator = settings.generator().create();
        refuseBatchStatistics(critic, "critic");
        refuseBatchStatistics(generator, "generator");
        LipschitzConstraint constraint = settings.constraint().create();
        ShardedConstraint.requireSupported(constraint);
        LatentSampler latent = settings.latentSampler() != null ? settings.latentSampler().create() : null;
        WganTrainer.Builder builder = WganTrainer.builder().critic(critic).generator(generator)
                .objective(settings.objective().create()).constraint(constraint)
                .criticSchedule(settings.criticSchedule()).batchSize(settings.batchSize())
                .realSamples((batch, random) -> Nd4j.zeros(batch, product(settings.sampleShape())))
                .seed(settings.seed()).maxGeneratorSteps(settings.maxGeneratorSteps());
        if (latent != null) {
            builder.latentSampler(latent);
        }
        listeners.forEach(builder::listener);
        return builder.build().config();
    }

    private static void refuseBatchStatistics(TrainableNetwork network, String role) {
        for (ParameterBlock block : network.parameterBlocks()) {
            if (block.kind() == ParameterBlock.Kind.NOT_TRAINED) {
                throw new IllegalArgumentException(role + " must not keep batch statistics for SparkWganTrainer"
                        + " (each shard would normalise by its own), but layer " + block.layerIndex() + " has "
                        + block.name() + "; use layer normalisation or none");
            }
        }
    }

    private void checkPartitions(JavaRDD<float[]> realSamples) {
        int length = Math.toIntExact(product(settings.sampleShape()));
        List<long[]> stats = realSamples.mapPartitionsWithIndex((index, rows) -> {
            long count = 0;
            long badRow = -1;
            long badLength = 0;
            while (rows.hasNext()) {
                float[] row = rows.next();
                if (badRow < 0 && (row == null || row.length != length)) {
                    badRow = count;
                    badLength = row == null ? -1 : row.length;
                }
                count++;
            }
            return List.of(new long[] {index, count, badRow, badLength}).iterator();
        }, true).collect();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (long[] s : stats) {
            if (s[1] == 0) {
                throw new IllegalArgumentException("realSamples' partition " + s[0] + " must hold at least one"
                        + " sample, but was empty; repartition the RDD");
            }
            if (s[2] >= 0) {
                throw new IllegalArgumentException("every sample must have " + length + " values (sampleShape "
                        + Arrays.toString(settings.sampleShape()) + "), but row " + s[2] + " of partition " + s[0]
                        + " has " + (s[3] < 0 ? "none (null)" : Long.toString(s[3])));
            }
            min = Math.min(min, s[1]);
            max = Math.max(max, s[1]);
        }
        if (max - min > partitionSizeTolerance * max) {
            throw new IllegalArgumentException("realSamples' partitions must hold about as many samples each (each"
                    + " carries weight 1/workers in every batch): sizes may differ by partitionSizeTolerance "
                    + partitionSizeTolerance + " of the largest, but were " + min + " to " + max + " (sizes "
                    + sizes(stats) + "); repartition the RDD");
        }
    }

    private static String sizes(List<long[]> stats) {
        List<Long> out = new ArrayList<>();
        stats.forEach(s -> out.add(s[1]));
        return out.toString();
    }

    static long product(long[] shape) {
        long product = 1;
        for (long size : shape) {
            product = Math.multiplyExact(product, size);
        }
        return product;
    }

    /**
     * Builds a {@link SparkWganTrainer}: the settings of {@link WganTrainer.Builder}, with factories in place of
     * the objects a task must build itself, plus the Spark run's own (checkpoint directory, sample shape, retries).
     * Each setter validates its argument at once; {@link #build()} checks the required parts and can be called
     * again.
     */
    public static final class Builder {

        /** Default global batch: the samples per batch of all workers together (the WGAN paper's). */
        public static final int DEFAULT_BATCH_SIZE = WganTrainer.Builder.DEFAULT_BATCH_SIZE;
        /** Default tries of one round (one barrier stage) before {@code fit} gives up. */
        public static final int DEFAULT_MAX_ATTEMPTS_PER_ROUND = 3;
        /** Default tolerance between partition sizes, as a fraction of the largest. */
        public static final double DEFAULT_PARTITION_SIZE_TOLERANCE = 0.1;
        /** Default wait for the other tasks at a round's start and at each gradient exchange. */
        public static final Duration DEFAULT_EXCHANGE_TIMEOUT = Duration.ofMinutes(30);

        private ReplicaFactory<? extends Critic> critic;
        private ReplicaFactory<? extends Generator> generator;
        private ReplicaFactory<? extends Objective> objective;
        private ReplicaFactory<? extends LipschitzConstraint> constraint = LipschitzConstraints::none;
        private ReplicaFactory<? extends LatentSampler> latentSampler;
        private CriticSchedule criticSchedule = CriticSchedule.constant(CriticSchedule.DEFAULT_CRITIC_STEPS);
        private int batchSize = DEFAULT_BATCH_SIZE;
        private long seed = WganTrainer.Builder.DEFAULT_SEED;
        private long maxGeneratorSteps = WganTrainer.Builder.DEFAULT_MAX_GENERATOR_STEPS;
        private final List<TrainerListener> listeners = new ArrayList<>();
        private boolean stopOnNonFinite = true;
        private String checkpointDirectory;
        private boolean hadoopCheckpoints;
        private long checkpointEvery;
        private int checkpointsKept = CheckpointStore.DEFAULT_KEEP;
        private long[] sampleShape;
        private int maxAttemptsPerRound = DEFAULT_MAX_ATTEMPTS_PER_ROUND;
        private Duration exchangeTimeout = DEFAULT_EXCHANGE_TIMEOUT;
        private double partitionSizeTolerance = DEFAULT_PARTITION_SIZE_TOLERANCE;

        private Builder() {
        }

        /** Makes each task's critic (required); every call must make the same network. */
        public Builder critic(ReplicaFactory<? extends Critic> critic) {
            this.critic = Objects.requireNonNull(critic, "critic");
            return this;
        }

        /** Makes each task's generator (required); every call must make the same network. */
        public Builder generator(ReplicaFactory<? extends Generator> generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** Makes the objective (required), e.g. {@code Objectives::wasserstein} from wgan-losses. */
        public Builder objective(ReplicaFactory<? extends Objective> objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * Makes the Lipschitz constraint; default {@link LipschitzConstraints#none()}. Supported: weight clipping,
         * the gradient penalty, R1, and any constraint without a penalty.
         */
        public Builder constraint(ReplicaFactory<? extends LipschitzConstraint> constraint) {
            this.constraint = Objects.requireNonNull(constraint, "constraint");
            return this;
        }

        /** Makes the latent sampler; default {@code LatentSamplers.gaussian} of the generator's latent size. */
        public Builder latentSampler(ReplicaFactory<? extends LatentSampler> latentSampler) {
            this.latentSampler = Objects.requireNonNull(latentSampler, "latentSampler");
            return this;
        }

        /**
         * Critic updates before every generator update, no warm-up; default
         * {@value CriticSchedule#DEFAULT_CRITIC_STEPS}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder criticStepsPerGeneratorStep(int criticSteps) {
            Checks.atLeast("criticStepsPerGeneratorStep", criticSteps, 1);
            this.criticSchedule = CriticSchedule.constant(criticSteps);
            return this;
        }

        /** A full critic schedule, e.g. {@link CriticSchedule#withPaperWarmUp(int)}; replaces the steps above. */
        public Builder criticSchedule(CriticSchedule schedule) {
            this.criticSchedule = Objects.requireNonNull(schedule, "criticSchedule");
            return this;
        }

        /**
         * The global batch: samples per real and per generated batch of all workers together, split equally
         * between them (so a multiple of the RDD's partitions); default {@value #DEFAULT_BATCH_SIZE}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.atLeast("batchSize", batchSize, 1);
            return this;
        }

        /**
         * The shape of one sample, e.g. {@code 2} for the toy sets or {@code 1, 28, 28} for Fashion-MNIST; each
         * RDD row holds {@code product(shape)} values in row-major order (required).
         *
         * @throws IllegalArgumentException if empty or a size is below 1
         */
        public Builder sampleShape(long... shape) {
            Objects.requireNonNull(shape, "sampleShape");
            if (shape.length == 0) {
                throw new IllegalArgumentException("sampleShape must name at least one size, but was empty");
            }
            for (long size : shape) {
                if (size < 1) {
                    throw new IllegalArgumentException("sampleShape sizes must be >= 1, but was "
                            + Arrays.toString(shape));
                }
            }
            this.sampleShape = shape.clone();
            return this;
        }

        /** Seed of every task's random source (the same on all, which keeps them in lockstep); default 0. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Generator steps after which {@code fit()} returns; default
         * {@value WganTrainer.Builder#DEFAULT_MAX_GENERATOR_STEPS}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxGeneratorSteps(long maxGeneratorSteps) {
            this.maxGeneratorSteps = Checks.atLeast("maxGeneratorSteps", maxGeneratorSteps, 1);
            return this;
        }

        /**
         * Adds a listener on the driver, notified after those added before it with each round's events (the mean
         * over the tasks) when the round ends; {@link StopHandle#requestStop} stops at the end of the round.
         */
        public Builder listener(TrainerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Where task 0 writes a checkpoint after every {@code everyGeneratorSteps} generator steps (the end of each
         * round) and at the end (this or {@link #checkpoints(URI, long)} is required): a directory the driver and
         * every worker see at the same path (a shared or network file system).
         *
         * @throws IllegalArgumentException if everyGeneratorSteps is below 1
         */
        public Builder checkpoints(Path directory, long everyGeneratorSteps) {
            Objects.requireNonNull(directory, "directory");
            this.checkpointEvery = Checks.atLeast("everyGeneratorSteps", everyGeneratorSteps, 1);
            this.checkpointDirectory = directory.toAbsolutePath().toString();
            this.hadoopCheckpoints = false;
            return this;
        }

        /**
         * As {@link #checkpoints(Path, long)}, on a Hadoop file system ({@code hdfs://namenode/runs/one},
         * {@code s3a://bucket/runs/one}; {@code file:///...} goes through Hadoop's local file system): task 0 writes
         * each checkpoint locally, then uploads it under a temporary name and renames it into place; the driver
         * and the tasks download the one they read and verify it. Configured as Hadoop's default configuration is
         * ({@code HADOOP_CONF_DIR}).
         *
         * @throws IllegalArgumentException if the URI has no scheme or is not absolute, or everyGeneratorSteps is
         *                                  below 1
         */
        public Builder checkpoints(URI directory, long everyGeneratorSteps) {
            Objects.requireNonNull(directory, "directory");
            if (directory.getScheme() == null || directory.getPath() == null || !directory.getPath().startsWith("/")) {
                throw new IllegalArgumentException("checkpoints directory must be an absolute URI with a scheme"
                        + " (hdfs://namenode/path, s3a://bucket/path, file:///path), but was " + directory);
            }
            this.checkpointEvery = Checks.atLeast("everyGeneratorSteps", everyGeneratorSteps, 1);
            this.checkpointDirectory = directory.toString();
            this.hadoopCheckpoints = true;
            return this;
        }

        /**
         * Checkpoints kept in the directory; default {@value CheckpointStore#DEFAULT_KEEP}. At least 2: a failed round
         * restarts from the checkpoint before it, which the round's own, once written, must not have replaced.
         *
         * @throws IllegalArgumentException if below 2
         */
        public Builder checkpointsKept(int count) {
            this.checkpointsKept = Checks.atLeast("checkpointsKept", count, 2);
            return this;
        }

        /**
         * Tries of one round before {@code fit} gives up; default {@value #DEFAULT_MAX_ATTEMPTS_PER_ROUND}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxAttemptsPerRound(int attempts) {
            this.maxAttemptsPerRound = Checks.atLeast("maxAttemptsPerRound", attempts, 1);
            return this;
        }

        /**
         * How long a task waits for the others at the start of a round and at each gradient exchange before it
         * fails the round (which is then retried as any failure is); default {@link #DEFAULT_EXCHANGE_TIMEOUT}.
         * Without it a task that hangs without closing its connection would stall every other task for ever. It must
         * exceed the longest step (all critic updates of a generator step and the generator's) a task can take.
         *
         * @throws IllegalArgumentException if not positive, or over {@code Integer.MAX_VALUE} milliseconds
         */
        public Builder exchangeTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "exchangeTimeout");
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("exchangeTimeout must be positive and at most "
                        + Integer.MAX_VALUE + " ms, but was " + timeout);
            }
            this.exchangeTimeout = timeout;
            return this;
        }

        /**
         * How far partition sizes may differ, as a fraction of the largest, before {@code fit} refuses the RDD;
         * default {@value #DEFAULT_PARTITION_SIZE_TOLERANCE}. Every partition carries weight {@code 1 / workers}
         * in each batch whatever its size, so uneven partitions weight their samples unevenly.
         *
         * @throws IllegalArgumentException if not in [0, 1] or NaN
         */
        public Builder partitionSizeTolerance(double tolerance) {
            if (!(tolerance >= 0 && tolerance <= 1)) {
                throw new IllegalArgumentException("partitionSizeTolerance must be in [0, 1], but was " + tolerance);
            }
            this.partitionSizeTolerance = tolerance;
            return this;
        }

        /**
         * Leaves out the non-finite guard of every task (see {@link WganTrainer.Builder#withoutNonFiniteGuard()}).
         */
        public Builder withoutNonFiniteGuard() {
            this.stopOnNonFinite = false;
            return this;
        }

        /**
         * Checks the required parts and builds a trainer. The rules between parts are checked by {@code fit}, which
         * builds one replica on the driver first.
         *
         * @throws IllegalStateException if a required part is missing
         */
        public SparkWganTrainer build() {
            requirePart(critic, "critic");
            requirePart(generator, "generator");
            requirePart(objective, "objective");
            requirePart(sampleShape, "sampleShape");
            requirePart(checkpointDirectory, "checkpoints");
            return new SparkWganTrainer(this);
        }

        private static void requirePart(Object part, String name) {
            if (part == null) {
                throw new IllegalStateException(name + " is required; call " + name + "(...) before build()");
            }
        }
    }
}
