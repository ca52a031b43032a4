package org.wgan.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

/**
 * {@link SparkWganTrainer} in local mode with two workers against the single-process {@link WganTrainer} on the
 * same global batch. The tolerance of the comparisons is {@value #TOLERANCE} (absolute, float32 parameters of
 * order 0.1-1): one process sums each gradient over 16 samples in one product, the workers over 8 each and then
 * average the two sums, so the gradients differ in the last bits (~1e-7 relative), and Adam's or RMSProp's division
 * by the root of the second moment carries that into 100 critic and 20 generator updates.
 */
class SparkWganTrainerTest {

    private static final double TOLERANCE = 1e-4;
    private static final int ROWS_PER_PARTITION = 32;
    private static final int GLOBAL_BATCH = 16;
    private static final int STEPS = 20;

    private static JavaSparkContext spark;
    private static List<INDArray> partitions;
    private static JavaRDD<float[]> samples;

    @TempDir
    Path folder;

    @BeforeAll
    static void startSpark() {
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("SparkWganTrainerTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1");
        spark = new JavaSparkContext(conf);
        partitions = List.of(ToyDatasets.eightGaussians().next(ROWS_PER_PARTITION, new Random(11)),
                ToyDatasets.eightGaussians().next(ROWS_PER_PARTITION, new Random(12)));
        samples = spark.parallelize(rows(partitions), 2);
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void twoWorkersWithTheGradientPenaltyMatchOneProcessOnTheWholeBatch() {
        SparkTrainingSummary summary = penalised(folder.resolve("gp")).build().fit(samples);
        WganTrainer reference = reference(gpCritic(), gpGenerator(), LipschitzConstraints.gradientPenalty(10));
        reference.fit();

        assertThat(summary.training().generatorSteps()).isEqualTo(STEPS);
        assertThat(summary.workers()).isEqualTo(2);
        assertThat(summary.failedAttempts()).isZero();
        assertMatches(latest(folder.resolve("gp")), reference);
    }

    @Test
    void twoWorkersWithWeightClippingMatchOneProcessOnTheWholeBatch() {
        SparkTrainingSummary summary = SparkWganTrainer.builder()
                .critic(SparkWganTrainerTest::clippedCritic)
                .generator(SparkWganTrainerTest::clippedGenerator)
                .objective(Objectives::wasserstein)
                .constraint(() -> LipschitzConstraints.weightClipping(0.01))
                .batchSize(GLOBAL_BATCH).sampleShape(2).seed(3).maxGeneratorSteps(STEPS)
                .checkpoints(folder.resolve("clip"), 10)
                .build().fit(samples);
        WganTrainer reference = reference(clippedCritic(), clippedGenerator(),
                LipschitzConstraints.weightClipping(0.01));
        reference.fit();

        assertThat(summary.training().generatorSteps()).isEqualTo(STEPS);
        assertMatches(latest(folder.resolve("clip")), reference);
        assertThat(latest(folder.resolve("clip")).critic().parameters().amaxNumber().doubleValue())
                .isLessThanOrEqualTo(0.01);
    }

    @Test
    void aTaskKilledMidRunIsRetriedFromTheNewestCheckpointAndEndsWhereAnUninterruptedRunEnds() throws IOException {
        Path marker = folder.resolve("failed-once");
        String markerPath = marker.toString();
        List<GeneratorStepEvent> events = new ArrayList<>();
        SparkTrainingSummary interrupted = penalised(folder.resolve("interrupted"))
                // 6 latent draws per generator step: task 1 dies in step 11, after the checkpoint of step 10
                .latentSampler(() -> new FailingOnce(LatentSamplers.gaussian(2), markerPath, 6 * 11 - 3))
                .listener(new TrainerListener() {
                    @Override
                    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                        events.add(event);
                    }
                })
                .build().fit(samples);
        SparkTrainingSummary uninterrupted = penalised(folder.resolve("uninterrupted")).build().fit(samples);

        assertThat(Files.exists(marker)).as("the injected failure happened").isTrue();
        assertThat(interrupted.failedAttempts()).isEqualTo(1);
        assertThat(interrupted.training().generatorSteps()).isEqualTo(uninterrupted.training().generatorSteps())
                .isEqualTo(STEPS);
        Checkpoint resumed = latest(folder.resolve("interrupted"));
        Checkpoint straight = latest(folder.resolve("uninterrupted"));
        assertThat(resumed.critic().parameters()).isEqualTo(straight.critic().parameters());
        assertThat(resumed.generator().parameters()).isEqualTo(straight.generator().parameters());
        // the listener saw every step once: the failed round's events never reached the driver
        assertThat(events).extracting(GeneratorStepEvent::generatorStep)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, STEPS).boxed().toList());
        assertThat(interrupted.training().lastGeneratorLoss()).isEqualTo(uninterrupted.training().lastGeneratorLoss());
    }

    @Test
    void rejectsAGlobalBatchThatTheWorkersCannotShareEquallyBeforeTraining() throws IOException {
        Path checkpoints = folder.resolve("odd");
        assertThatThrownBy(() -> penalised(checkpoints).batchSize(15).build().fit(samples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchSize must be a multiple of the number of partitions (workers) 2, but was 15");
        assertThat(Files.exists(checkpoints)).isFalse();
    }

    @Test
    void rejectsAnEmptyPartitionBeforeTraining() {
        Path checkpoints = folder.resolve("empty");
        JavaRDD<float[]> twoRowsOnThree = spark.parallelize(rows(List.of(partitions.get(0).get(
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2)))), 3);
        assertThatThrownBy(() -> penalised(checkpoints).batchSize(3).build().fit(twoRowsOnThree))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("realSamples' partition 0 must hold at least one sample, but was empty; repartition the"
                        + " RDD");
        assertThat(Files.exists(checkpoints)).isFalse();
    }

    @Test
    void rejectsPartitionsOfUnequalSizesBeforeTraining() {
        Path checkpoints = folder.resolve("unequal");
        JavaRDD<float[]> unequal = spark.parallelize(rows(List.of(partitions.get(0))), 1)
                .union(spark.parallelize(rows(List.of(partitions.get(1))).subList(0, 20), 1));
        assertThatThrownBy(() -> penalised(checkpoints).build().fit(unequal))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("realSamples' partitions must hold about as many samples each")
                .hasMessageContaining("partitionSizeTolerance 0.1")
                .hasMessageContaining("sizes [32, 20]");
        assertThat(Files.exists(checkpoints)).isFalse();
    }

    @Test
    void rejectsSamplesOfAnotherLengthThanTheSampleShape() {
        assertThatThrownBy(() -> penalised(folder.resolve("shape")).sampleShape(3).build().fit(samples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("every sample must have 3 values (sampleShape [3]), but row 0 of partition 0"
                        + " has 2");
    }

    @Test
    void rejectsAPenaltyWhoseDrawsAShareCannotReproduce() {
        assertThatThrownBy(() -> penalised(folder.resolve("dragan")).constraint(() -> LipschitzConstraints
                .dragan(10)).build().fit(samples))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("constraint DraganPenalty")
                .hasMessageContaining("is not supported by SparkWganTrainer");
    }

    @Test
    void requiresACheckpointDirectory() {
        assertThatThrownBy(() -> SparkWganTrainer.builder().critic(SparkWganTrainerTest::gpCritic)
                .generator(SparkWganTrainerTest::gpGenerator).objective(Objectives::wasserstein).sampleShape(2)
                .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("checkpoints is required; call checkpoints(...) before build()");
    }

    @Test
    void checkpointsOnAHadoopFileSystemResumeAFailedRoundAndEndWhereALocalFolderRunEnds() throws IOException {
        Path marker = folder.resolve("hadoop-failed-once");
        String markerPath = marker.toString();
        Path remote = folder.resolve("hadoop");
        // file:// goes through Hadoop's own local file system, the code path of hdfs:// and s3a://
        SparkTrainingSummary interrupted = penalised(folder.resolve("unused")).checkpoints(remote.toUri(), 5)
                .latentSampler(() -> new FailingOnce(LatentSamplers.gaussian(2), markerPath, 6 * 11 - 3))
                .build().fit(samples);
        penalised(folder.resolve("local")).build().fit(samples);

        assertThat(Files.exists(marker)).as("the injected failure happened").isTrue();
        assertThat(interrupted.failedAttempts()).isEqualTo(1);
        Checkpoint fromHadoop = penalised(folder.resolve("reader")).checkpoints(remote.toUri(), 5).build()
                .latestCheckpoint().orElseThrow();
        Checkpoint local = latest(folder.resolve("local"));
        assertThat(fromHadoop.generatorStep()).isEqualTo(STEPS);
        assertThat(fromHadoop.critic().parameters()).isEqualTo(local.critic().parameters());
        assertThat(fromHadoop.generator().parameters()).isEqualTo(local.generator().parameters());
        // the default 3 kept, and no temporary file left (Hadoop's local file system adds .crc files beside them)
        try (var names = Files.list(remote)) {
            assertThat(names.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted())
                    .containsExactly("checkpoint-000000000010.zip", "checkpoint-000000000015.zip",
                            "checkpoint-000000000020.zip");
        }
    }

    @Test
    void aCheckpointDirectoryOfAnotherRunIsRefusedOnTheDriverBeforeTraining() {
        Path run = folder.resolve("run");
        penalised(run).maxGeneratorSteps(5).build().fit(samples);

        // one worker on the same per-task batch: the checkpoints' settings name the shares of each batch
        assertThatThrownBy(() -> penalised(run).batchSize(GLOBAL_BATCH / 2).build().fit(samples.coalesce(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the newest checkpoint in " + run + " (generator step 5) is not of this run")
                .hasMessageContaining("2 shares of each batch")
                .hasMessageContaining("1 shares of each batch");
        assertThatThrownBy(() -> penalised(run).seed(4).build().fit(samples))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not of this run");
        assertThat(latest(run).generatorStep()).isEqualTo(5);
    }

    @Test
    void aCheckpointUriWithoutASchemeIsRefused() {
        assertThatThrownBy(() -> SparkWganTrainer.builder().checkpoints(java.net.URI.create("runs/one"), 5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("checkpoints directory must be an absolute URI with a scheme (hdfs://namenode/path,"
                        + " s3a://bucket/path, file:///path), but was runs/one");
    }

    private SparkWganTrainer.Builder penalised(Path checkpoints) {
        return SparkWganTrainer.builder()
                .critic(SparkWganTrainerTest::gpCritic)
                .generator(SparkWganTrainerTest::gpGenerator)
                .objective(Objectives::wasserstein)
                .constraint(() -> LipschitzConstraints.gradientPenalty(10))
                .batchSize(GLOBAL_BATCH).sampleShape(2).seed(3).maxGeneratorSteps(STEPS)
                .checkpoints(checkpoints, 5);
    }

    private static WganTrainer reference(Critic critic, Generator generator, LipschitzConstraint constraint) {
        return WganTrainer.builder().critic(critic).generator(generator).objective(Objectives.wasserstein())
                .constraint(constraint).batchSize(GLOBAL_BATCH).realSamples(ShardedSampleSource.whole(partitions))
                .seed(3).maxGeneratorSteps(STEPS).build();
    }

    private static void assertMatches(Checkpoint distributed, WganTrainer reference) {
        INDArray critic = distributed.critic().parameters();
        INDArray generator = distributed.generator().parameters();
        double criticError = maxError(critic, reference.config().critic().parameters());
        double generatorError = maxError(generator, reference.config().generator().parameters());
        System.out.printf("largest parameter difference to one process: critic %.3g, generator %.3g%n",
                criticError, generatorError);
        assertThat(criticError).isLessThan(TOLERANCE);
        assertThat(generatorError).isLessThan(TOLERANCE);
        assertThat(distributed.critic().updateCount()).isEqualTo(reference.config().critic().updateCount());
        assertThat(distributed.generatorStep()).isEqualTo(reference.generatorStep());
        // the run moved the parameters well beyond the tolerance, so agreement is not trivial
        assertThat(maxError(generator, gpGenerator().parameters())).isGreaterThan(10 * TOLERANCE);
    }

    private static double maxError(INDArray a, INDArray b) {
        return Transforms.abs(a.castTo(b.dataType()).sub(b)).maxNumber().doubleValue();
    }

    private static Checkpoint latest(Path directory) {
        try {
            return org.wgan.core.checkpoint.CheckpointStore.in(directory).latest().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<float[]> rows(List<INDArray> shards) {
        List<float[]> out = new ArrayList<>();
        for (INDArray shard : shards) {
            for (long i = 0; i < shard.size(0); i++) {
                out.add(shard.getRow(i).toFloatVector());
            }
        }
        return out;
    }

    static Critic gpCritic() {
        return MultiLayerCritic.of(mlp(Optimizers.wganGp(), 21, 2, 32, 32, 1));
    }

    static Generator gpGenerator() {
        return MultiLayerGenerator.of(mlp(Optimizers.wganGp(), 22, 2, 32, 32, 2));
    }

    static Critic clippedCritic() {
        return MultiLayerCritic.of(mlp(Optimizers.wgan(), 23, 2, 32, 32, 1));
    }

    static Generator clippedGenerator() {
        return MultiLayerGenerator.of(mlp(Optimizers.wgan(), 24, 2, 32, 32, 2));
    }

    private static org.deeplearning4j.nn.multilayer.MultiLayerNetwork mlp(IUpdater updater, long seed,
            int... sizes) {
        return Mlp.builder().sizes(sizes).updater(updater).seed(seed).build();
    }

    /**
     * The Gaussian sampler, but task 1 throws once, at its {@code failAt}-th draw, unless the marker file says it
     * already has (the marker outlives the task, so the retried round runs through).
     */
    private static final class FailingOnce implements LatentSampler {

        /**
         * Draws of task 1 over all rounds, by marker (local mode: the tasks share this JVM; each round builds a new
         * sampler; each test has its own marker).
         */
        private static final Map<String, AtomicInteger> DRAWS = new ConcurrentHashMap<>();

        private final LatentSampler delegate;
        private final String marker;
        private final int failAt;

        FailingOnce(LatentSampler delegate, String marker, int failAt) {
            this.delegate = delegate;
            this.marker = marker;
            this.failAt = failAt;
        }

        @Override
        public int latentSize() {
            return delegate.latentSize();
        }

        @Override
        public INDArray sample(int batchSize, Random random) {
            TaskContext task = TaskContext.get();
            if (task != null && task.partitionId() == 1
                    && DRAWS.computeIfAbsent(marker, m -> new AtomicInteger()).incrementAndGet() == failAt
                    && !Files.exists(Path.of(marker))) {
                try {
                    Files.createFile(Path.of(marker));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                throw new IllegalStateException("injected failure of task 1 at draw " + failAt);
            }
            return delegate.sample(batchSize, random);
        }

        @Override
        public String toString() {
            return delegate.toString();
        }
    }
}
