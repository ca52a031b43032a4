package org.wgan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.losses.Objectives;

/**
 * The figures of wgan-spark/README.md's performance section (tag {@code slow}; {@code mvn -B test -Pslow -pl
 * wgan-spark -Dtest=SparkScalingMeasurement}): the toy MLP recipe (2-512-512-512, 527,361 critic and 527,874
 * generator parameters, the gradient penalty, 5 critic steps, global batch 256) at 1 and 2 local workers, printing
 * the time per generator step, the share spent exchanging gradients and the bytes task 0 sent. It asserts the bytes:
 * with 2 workers, every update sends each gradient once from the hub (4 bytes a parameter); with 1, nothing.
 */
@Tag("slow")
class SparkScalingMeasurement {

    private static final int STEPS = 40;
    private static final int BATCH = 256;
    private static final long CRITIC_PARAMETERS = 527_361;
    private static final long GENERATOR_PARAMETERS = 527_874;

    private static JavaSparkContext spark;

    @TempDir
    Path folder;

    @BeforeAll
    static void startSpark() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkScalingMeasurement")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    static Critic critic() {
        return MultiLayerCritic.of(Mlp.builder().sizes(2, 512, 512, 512, 1).updater(Optimizers.wganGp()).seed(1)
                .build());
    }

    static Generator generator() {
        return MultiLayerGenerator.of(Mlp.builder().sizes(2, 512, 512, 512, 2).updater(Optimizers.wganGp()).seed(2)
                .build());
    }

    private SparkTrainingSummary run(int workers, String name) {
        List<float[]> rows = new ArrayList<>();
        INDArray points = ToyDatasets.eightGaussians().next(4096, new Random(5));
        for (long i = 0; i < points.size(0); i++) {
            rows.add(points.getRow(i).toFloatVector());
        }
        JavaRDD<float[]> samples = spark.parallelize(rows, workers);
        return SparkWganTrainer.builder()
                .critic(SparkScalingMeasurement::critic)
                .generator(SparkScalingMeasurement::generator)
                .objective(Objectives::wasserstein)
                .constraint(() -> LipschitzConstraints.gradientPenalty(0.1))
                .batchSize(BATCH).sampleShape(2).seed(3).maxGeneratorSteps(STEPS)
                // one round: one barrier stage, so the figures are the steps' and not the stages' start-up
                .checkpoints(folder.resolve(name), STEPS)
                .build().fit(samples);
    }

    @Test
    void toyMlpAtOneAndTwoWorkers() {
        run(1, "warm-up");
        for (int workers : new int[] {1, 2}) {
            SparkTrainingSummary summary = run(workers, "w" + workers);
            System.out.printf(Locale.ROOT, "toy MLP, %d worker(s), global batch %d: %.1f ms per generator step"
                    + " (5 critic updates + 1 generator update), %.1f%% of it exchanging gradients, %,d bytes sent"
                    + " by task 0 per step%n", workers, BATCH, 1e3 * summary.trainSeconds() / STEPS,
                    100 * summary.exchangeSeconds() / summary.trainSeconds(), summary.bytesSentPerTask() / STEPS);
            long perStep = (workers - 1) * 4L * (5 * CRITIC_PARAMETERS + GENERATOR_PARAMETERS);
            assertThat(summary.bytesSentPerTask()).isEqualTo(STEPS * perStep);
        }
    }
}
