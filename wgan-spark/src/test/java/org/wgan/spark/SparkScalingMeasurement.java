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
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
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
 * the time per generator step, the share spent exchanging gradients and the bytes task 0 sent; the same for the
 * Fashion example's WGAN-GP at width 32 (batch 64; its generator without batch normalisation, which the trainer
 * refuses). It asserts the bytes:
 * with 2 workers, every update sends each gradient once from the hub (4 bytes a parameter); with 1, nothing.
 */
@Tag("slow")
class SparkScalingMeasurement {

    private static final int STEPS = 40;
    private static final int BATCH = 256;
    private static final long CRITIC_PARAMETERS = 527_361;
    private static final long GENERATOR_PARAMETERS = 527_874;
    private static final int FASHION_STEPS = 10;
    private static final int FASHION_BATCH = 64;

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

    /** The Fashion example's critic at width 32 ({@code FashionModels.critic}), float32, on 28x28x1. */
    static Critic fashionCritic() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.FLOAT).updater(Optimizers.wganGp()).weightInit(WeightInit.RELU).list()
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(32)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new ConvolutionLayer.Builder(4, 4).stride(2, 2).nOut(64)
                        .convolutionMode(ConvolutionMode.Same).activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY)
                        .weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(28, 28, 1))
                .build());
        network.init();
        return MultiLayerCritic.of(network);
    }

    /**
     * The Fashion example's generator at width 32 without its batch normalisation, which the trainer refuses: dense
     * 64 to 64 x 7 x 7 (ReLU), two 4x4 stride-2 deconvolutions to 32 maps (ReLU) and 1 (tanh).
     */
    static Generator fashionGenerator() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(2)
                .dataType(DataType.FLOAT).updater(Optimizers.wganGp()).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(64).nOut(64 * 7 * 7).activation(Activation.RELU).build())
                .inputPreProcessor(1, new FeedForwardToCnnPreProcessor(7, 7, 64))
                .layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(64).nOut(32)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build())
                .layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(32).nOut(1)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH).build())
                .build());
        network.init();
        return MultiLayerGenerator.of(network);
    }

    private static JavaRDD<float[]> rows(INDArray samples, int workers) {
        List<float[]> rows = new ArrayList<>();
        for (long i = 0; i < samples.size(0); i++) {
            rows.add(samples.getRow(i).toFloatVector());
        }
        return spark.parallelize(rows, workers);
    }

    private SparkTrainingSummary run(int workers, String name) {
        return SparkWganTrainer.builder()
                .critic(SparkScalingMeasurement::critic)
                .generator(SparkScalingMeasurement::generator)
                .objective(Objectives::wasserstein)
                .constraint(() -> LipschitzConstraints.gradientPenalty(0.1))
                .batchSize(BATCH).sampleShape(2).seed(3).maxGeneratorSteps(STEPS)
                // one round: one barrier stage, so the figures are the steps' and not the stages' start-up
                .checkpoints(folder.resolve(name), STEPS)
                .build().fit(rows(ToyDatasets.eightGaussians().next(4096, new Random(5)), workers));
    }

    private SparkTrainingSummary runFashion(int workers, String name) {
        INDArray images = Nd4j.rand(DataType.FLOAT, 1024, 784).muli(2).subi(1);
        return SparkWganTrainer.builder()
                .critic(SparkScalingMeasurement::fashionCritic)
                .generator(SparkScalingMeasurement::fashionGenerator)
                .objective(Objectives::wasserstein)
                .constraint(() -> LipschitzConstraints.gradientPenalty(10))
                .latentSampler(() -> LatentSamplers.gaussian(64))
                .batchSize(FASHION_BATCH).sampleShape(1, 28, 28).seed(3).maxGeneratorSteps(FASHION_STEPS)
                .checkpoints(folder.resolve(name), FASHION_STEPS)
                .build().fit(rows(images, workers));
    }

    private static void report(String model, int workers, int batch, long steps, SparkTrainingSummary summary) {
        System.out.printf(Locale.ROOT, "%s, %d worker(s), global batch %d: %.1f ms per generator step"
                + " (5 critic updates + 1 generator update), %.1f%% of it exchanging gradients, %,d bytes sent"
                + " by task 0 per step%n", model, workers, batch, 1e3 * summary.trainSeconds() / steps,
                100 * summary.exchangeSeconds() / summary.trainSeconds(), summary.bytesSentPerTask() / steps);
    }

    @Test
    void toyMlpAtOneAndTwoWorkers() {
        run(1, "warm-up");
        for (int workers : new int[] {1, 2}) {
            SparkTrainingSummary summary = run(workers, "w" + workers);
            report("toy MLP", workers, BATCH, STEPS, summary);
            long perStep = (workers - 1) * 4L * (5 * CRITIC_PARAMETERS + GENERATOR_PARAMETERS);
            assertThat(summary.bytesSentPerTask()).isEqualTo(STEPS * perStep);
        }
    }

    @Test
    void fashionDcganAtOneAndTwoWorkers() {
        runFashion(1, "fashion-warm-up");
        for (int workers : new int[] {1, 2}) {
            SparkTrainingSummary summary = runFashion(workers, "fashion-w" + workers);
            report("Fashion DCGAN (generator without batch norm)", workers, FASHION_BATCH, FASHION_STEPS, summary);
            long critic = fashionCritic().numParameters();
            long generator = fashionGenerator().numParameters();
            assertThat(summary.bytesSentPerTask()).isEqualTo(FASHION_STEPS * (workers - 1) * 4L
                    * (5 * critic + generator));
        }
    }
}
