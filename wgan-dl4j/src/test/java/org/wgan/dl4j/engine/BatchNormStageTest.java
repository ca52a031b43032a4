package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.NetworkSnapshot;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.fixtures.TestNetworks;
import org.wgan.dl4j.fixtures.TestNetworks.Dl4jBackprop;

/**
 * Batch normalisation on the engine ({@link BatchNormStage} in {@link LayerStack}) computes what DL4J 1.0.0-M2.1's
 * own layer computes: the training-mode forward pass and backprop (every parameter gradient, the running statistics'
 * entries included), the inference output from the running statistics, and the parameters after optimizer steps.
 * Gamma, beta and the running statistics start away from their initial values (1, 0, 0, 1), so a swapped or
 * ignored one shows.
 */
class BatchNormStageTest {

    @TempDir
    Path folder;

    static Stream<Arguments> networks() {
        return Stream.of(
                Arguments.of("dense + BN, float64", denseBatchNorm(DataType.DOUBLE, new BatchNormalization.Builder()),
                        new long[] {7, 3}, 1e-10),
                Arguments.of("dense + BN, float32", denseBatchNorm(DataType.FLOAT, new BatchNormalization.Builder()),
                        new long[] {16, 3}, 1e-5),
                Arguments.of("dense + BN, variance parameter, decay 0.7", denseBatchNorm(DataType.DOUBLE,
                        new BatchNormalization.Builder().useLogStd(false).decay(0.7).eps(1e-3)), new long[] {5, 3},
                        1e-10),
                Arguments.of("dense + BN, locked gamma 2 beta 0.5", denseBatchNorm(DataType.DOUBLE,
                        new BatchNormalization.Builder().lockGammaBeta(true).gamma(2.0).beta(0.5)), new long[] {6, 3},
                        1e-10),
                // DL4J's forward skips a locked gamma when beta is 0, its backward still scales by it
                Arguments.of("dense + BN, locked gamma 2 beta 0", denseBatchNorm(DataType.DOUBLE,
                        new BatchNormalization.Builder().lockGammaBeta(true).gamma(2.0).beta(0.0)), new long[] {6, 3},
                        1e-10),
                Arguments.of("conv + BN, float64", convolutionBatchNorm(DataType.DOUBLE, true), new long[] {4, 2, 5, 5},
                        1e-10),
                // enough examples and elements for the passes to be split over LoopThreads' threads
                Arguments.of("conv + BN, float64, batch 64 of 48x48", convolutionBatchNorm(DataType.DOUBLE, true, 48),
                        new long[] {64, 2, 48, 48}, 1e-10),
                Arguments.of("conv + BN, float32, variance parameter", convolutionBatchNorm(DataType.FLOAT, false),
                        new long[] {6, 2, 5, 5}, 1e-5),
                Arguments.of("BN first, on flat input reshaped to NCHW", flatInputBatchNorm(), new long[] {4, 50},
                        1e-10),
                Arguments.of("Fashion-like generator (convolutions), float32", fashionLikeGenerator(DataType.FLOAT),
                        new long[] {8, 6}, 1e-5),
                Arguments.of("Fashion-like generator (convolutions), float64", fashionLikeGenerator(DataType.DOUBLE),
                        new long[] {5, 6}, 1e-10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void forwardBackwardAndInferenceMatchDl4j(String name, MultiLayerNetwork network, long[] inputShape,
            double tolerance) {
        scrambleBatchNormParameters(network, 17);
        NetworkEngine engine = new NetworkEngine(network, "network");
        assertThat(engine.usesOwnBackprop()).isTrue();

        assertMatchesDl4j(engine, network, inputShape, tolerance);
    }

    @Test
    void theFashionGeneratorMatchesDl4jOnWhicheverPathItTakes() {
        MultiLayerNetwork network = fashionGenerator(8, 4);
        scrambleBatchNormParameters(network, 18);
        NetworkEngine engine = new NetworkEngine(network, "generator");
        // transposed convolutions come with the Deconvolution2D map; until then the whole network stays DL4J's
        assertThat(engine.usesOwnBackprop()).isEqualTo(runsOnTheEngine(lone(new Deconvolution2D.Builder(4, 4)
                .stride(2, 2).padding(1, 1).nIn(2).nOut(1).convolutionMode(ConvolutionMode.Truncate)
                .activation(Activation.IDENTITY).build())));

        assertMatchesDl4j(engine, network, new long[] {6, 8}, 1e-5);
    }

    static Stream<Arguments> trainings() {
        return Stream.of(
                Arguments.of("Adam (fused), float64", DataType.DOUBLE, new Adam(1e-2), true, true, 1e-10),
                // a bias feeding batch norm has gradient 0, which float rounding makes +-1e-9 noise that Adam scales
                // up to steps of its learning rate, different on both sides: without those biases
                Arguments.of("Adam (fused), float32", DataType.FLOAT, new Adam(1e-2), false, true, 1e-5),
                Arguments.of("Nesterovs (DL4J's updater), float64", DataType.DOUBLE, new Nesterovs(1e-2, 0.9), true,
                        false, 1e-10));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainings")
    void trainingStepsGiveDl4jsParametersIncludingTheRunningStatistics(String name, DataType dataType,
            IUpdater updater, boolean biasesBeforeNorm, boolean fused, double tolerance) {
        MultiLayerNetwork network = fashionLikeGenerator(dataType, updater, biasesBeforeNorm);
        scrambleBatchNormParameters(network, 19);
        MultiLayerNetwork reference = network.clone();
        NetworkEngine engine = new NetworkEngine(network, "generator");
        assertThat(engine.usesOwnBackprop()).isTrue();
        assertThat(engine.usesFusedOptimizerStep()).isEqualTo(fused);
        INDArray initial = network.params().dup();
        Random random = new Random(21);

        for (int step = 0; step < 4; step++) {
            INDArray x = TestArrays.uniform(random, 8, 6).subi(0.5).muli(2.0).castTo(dataType);
            INDArray outputGradient = TestArrays.uniform(random, 8, 49).subi(0.5).divi(8.0).castTo(dataType);
            engine.forward(x);
            engine.backward(outputGradient);
            engine.applyGradient();

            dl4jStep(reference, x, outputGradient, step);

            assertClose(network.params(), reference.params(), tolerance);
        }
        for (int layer : new int[] {1, 4}) {
            for (String running : List.of("mean", "log10stdev")) {
                INDArray moved = network.getLayer(layer).getParam(running)
                        .sub(initialParam(network, initial, layer, running));
                assertThat(moved.amaxNumber().doubleValue()).as("layer %d %s moved", layer, running)
                        .isGreaterThan(1e-4);
            }
        }
        INDArray sample = TestArrays.uniform(random, 5, 6).castTo(dataType);
        assertClose(engine.output(sample), reference.output(sample, false), tolerance);
    }

    @Test
    void theGradientPenaltyRefusesBatchNormalisationNamingTheLayer() {
        NetworkEngine engine = new NetworkEngine(denseBatchNorm(DataType.DOUBLE, new BatchNormalization.Builder()),
                "critic");
        assertThat(engine.usesOwnBackprop()).isTrue();

        assertThatIllegalArgumentException().isThrownBy(engine::requireTwiceDifferentiable)
                .withMessageStartingWith("critic layer 1 (BatchNormalization) cannot be differentiated twice for the"
                        + " gradient penalty: its batch statistics couple the samples")
                .withMessageContaining("no batch normalisation in a penalised critic");
        assertThatIllegalArgumentException().isThrownBy(() -> engine.inputGradient(Nd4j.rand(DataType.DOUBLE, 4, 3)))
                .withMessageStartingWith("critic layer 1 (BatchNormalization) cannot be differentiated twice");
    }

    @Test
    void aCheckpointRestoresTheRunningStatistics() throws IOException {
        MultiLayerNetwork trained = fashionLikeGenerator(DataType.FLOAT, new Adam(1e-2), true);
        MultiLayerGenerator generator = MultiLayerGenerator.of(trained);
        Random random = new Random(23);
        for (int step = 0; step < 3; step++) {
            generator.forward(TestArrays.uniform(random, 8, 6).castTo(DataType.FLOAT));
            generator.backward(TestArrays.uniform(random, 8, 49).subi(0.5).castTo(DataType.FLOAT));
            generator.applyGradient();
        }
        assertThat(trained.getLayer(1).getParam("mean").amaxNumber().doubleValue()).isGreaterThan(1e-4);
        Path file = folder.resolve("checkpoint.zip");
        NetworkSnapshot critic = NetworkSnapshot.of(MultiLayerGenerator.of(
                TestNetworks.mlp(2, DataType.FLOAT, new Sgd(0.1), Activation.TANH, 2, 3, 1)));
        new Checkpoint(3, 0, Checkpoint.serialize(new Random(1)), NetworkSnapshot.of(generator), critic, Map.of(),
                Map.of()).writeTo(file);

        MultiLayerNetwork fresh = fashionLikeGenerator(DataType.FLOAT, new Adam(1e-2), true);
        MultiLayerGenerator restored = MultiLayerGenerator.of(fresh);
        Checkpoint.readFrom(file).generator().restoreInto(restored, "generator");

        for (int layer : new int[] {1, 4}) {
            for (String running : List.of("mean", "log10stdev", "gamma", "beta")) {
                assertThat(fresh.getLayer(layer).getParam(running)).as("layer %d %s", layer, running)
                        .isEqualTo(trained.getLayer(layer).getParam(running));
            }
        }
        INDArray latent = TestArrays.uniform(random, 4, 6).castTo(DataType.FLOAT);
        assertThat(restored.generate(latent)).isEqualTo(generator.generate(latent));
    }

    private static INDArray initialParam(MultiLayerNetwork network, INDArray initial, int layer, String name) {
        long offset = 0;
        for (int i = 0; i < network.getnLayers(); i++) {
            for (Map.Entry<String, INDArray> entry : network.getLayer(i).paramTable().entrySet()) {
                if (i == layer && entry.getKey().equals(name)) {
                    return initial.reshape(initial.length()).get(NDArrayIndex.interval(offset,
                            offset + entry.getValue().length())).reshape(entry.getValue().shape());
                }
                offset += entry.getValue().length();
            }
        }
        throw new IllegalArgumentException("no " + name + " in layer " + layer);
    }

    /** DL4J's own step on {@code network}: its forward, backprop and updater, the update subtracted. */
    private static void dl4jStep(MultiLayerNetwork network, INDArray x, INDArray outputGradient, int iteration) {
        network.setInput(x);
        network.feedForward(true, false);
        Pair<Gradient, INDArray> result = network.backpropGradient(outputGradient, LayerWorkspaceMgr.noWorkspaces());
        network.getUpdater().update(network, result.getFirst(), iteration, 0, 1, LayerWorkspaceMgr.noWorkspaces());
        network.params().subi(network.getFlattenedGradients().reshape(network.params().shape()));
    }

    private static void assertMatchesDl4j(NetworkEngine engine, MultiLayerNetwork network, long[] inputShape,
            double tolerance) {
        INDArray x = TestArrays.uniform(new Random(3), inputShape).subi(0.5).muli(3.0).castTo(engine.dataType());
        INDArray outputGradient = TestArrays.uniform(new Random(4), engine.output(x).shape()).subi(0.3)
                .castTo(engine.dataType());
        Dl4jBackprop reference = TestNetworks.dl4jBackprop(network, x, outputGradient);
        INDArray inference = network.clone().output(x, false);
        INDArray inferenceOnBatchStatistics = reference.output();
        assertThat(inference.sub(inferenceOnBatchStatistics).amaxNumber().doubleValue()).isGreaterThan(1e-2);

        // twice, so the second pass runs on reused buffers
        for (int round = 0; round < 2; round++) {
            INDArray output = engine.forward(x);
            INDArray inputGradient = engine.backward(outputGradient);

            assertClose(output, reference.output(), tolerance);
            assertClose(inputGradient, reference.inputGradient(), tolerance);
            assertClose(engine.gradient(), reference.parameterGradient(), tolerance);
            assertClose(engine.output(x), inference, tolerance);
        }
    }

    /**
     * Sets every batch-norm parameter to seeded values away from DL4J's initial ones: gamma in [0.5, 1.5), beta and
     * the running mean in [-0.5, 0.5), the running variance in [0.75, 1.75), log10 of the running std in [-0.3, 0.3).
     */
    private static void scrambleBatchNormParameters(MultiLayerNetwork network, long seed) {
        Random random = new Random(seed);
        for (Layer layer : network.getLayers()) {
            if (!(layer.conf().getLayer() instanceof BatchNormalization)) {
                continue;
            }
            for (Map.Entry<String, INDArray> entry : layer.paramTable().entrySet()) {
                INDArray values = TestArrays.uniform(random, entry.getValue().shape());
                switch (entry.getKey()) {
                    case "gamma" -> values.muli(0.5).addi(1.0);
                    case "beta", "mean" -> values.muli(0.5);
                    case "var" -> values.muli(0.5).addi(1.25);
                    case "log10stdev" -> values.muli(0.3);
                    default -> throw new IllegalStateException(entry.getKey());
                }
                entry.getValue().assign(values.castTo(entry.getValue().dataType()));
            }
        }
    }

    private static boolean runsOnTheEngine(MultiLayerNetwork network) {
        return new NetworkEngine(network, "network").usesOwnBackprop();
    }

    private static MultiLayerNetwork lone(org.deeplearning4j.nn.conf.layers.Layer layer) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).updater(new Sgd(0.1)).list().layer(layer)
                .setInputType(InputType.convolutional(3, 3, 2)).build());
        network.init();
        return network;
    }

    /** dense 3 -> 4 tanh -> BN -> dense 2 tanh, on {@code [batch, 3]}. */
    private static MultiLayerNetwork denseBatchNorm(DataType dataType, BatchNormalization.Builder batchNorm) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(41).dataType(dataType).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                .layer(batchNorm.nOut(4).build())
                .layer(new DenseLayer.Builder().nOut(2).activation(Activation.TANH).build())
                .setInputType(InputType.feedForward(3))
                .build());
        network.init();
        return network;
    }

    /** conv 3x3 (3 maps, identity) -> BN -> tanh -> dense 2, on {@code [batch, 2, 5, 5]}. */
    private static MultiLayerNetwork convolutionBatchNorm(DataType dataType, boolean useLogStd) {
        return convolutionBatchNorm(dataType, useLogStd, 5);
    }

    /** {@link #convolutionBatchNorm(DataType, boolean)} on {@code size x size} images. */
    private static MultiLayerNetwork convolutionBatchNorm(DataType dataType, boolean useLogStd, int size) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(42).dataType(dataType).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().useLogStd(useLogStd).build())
                .layer(new ActivationLayer(Activation.TANH))
                .layer(new DenseLayer.Builder().nOut(2).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(size, size, 2))
                .build());
        network.init();
        return network;
    }

    /** BN -> conv 2x2 (2 maps, tanh) -> dense 1 on flat {@code [batch, 50]} input read as {@code [batch, 2, 5, 5]}. */
    private static MultiLayerNetwork flatInputBatchNorm() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(45).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new BatchNormalization.Builder().build())
                .layer(new ConvolutionLayer.Builder(2, 2).nOut(2).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutionalFlat(5, 5, 2))
                .build());
        network.init();
        return network;
    }

    private static MultiLayerNetwork fashionLikeGenerator(DataType dataType) {
        return fashionLikeGenerator(dataType, new Sgd(0.1), true);
    }

    /**
     * The Fashion generator's layout with same-mode convolutions in place of its transposed ones, on 7x7 maps:
     * latent 6 -> dense 2x7x7 -> BN -> ReLU -> conv 3x3 (3 maps) -> BN -> ReLU -> conv 3x3 (1 map) -> tanh,
     * output {@code [batch, 49]} (flattened for the dense-shaped output gradient); {@code biasesBeforeNorm}: whether
     * the dense and convolution layers feeding batch norm have biases (FashionModels' have).
     */
    private static MultiLayerNetwork fashionLikeGenerator(DataType dataType, IUpdater updater,
            boolean biasesBeforeNorm) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(43).dataType(dataType).updater(updater).weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(6).nOut(2 * 7 * 7).hasBias(biasesBeforeNorm)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(2 * 7 * 7).build())
                .layer(new ActivationLayer(Activation.RELU))
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(7, 7, 2))
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(2).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .hasBias(biasesBeforeNorm).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(3).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(3).nOut(1).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.TANH).weightInit(WeightInit.XAVIER).build())
                .layer(new DenseLayer.Builder().nIn(49).nOut(49).activation(Activation.IDENTITY).build())
                .inputPreProcessor(7, new CnnToFeedForwardPreProcessor(7, 7, 1))
                .build());
        network.init();
        return network;
    }

    /** FashionModels.generator's configuration (wgan-examples), float32: latent, width w. */
    private static MultiLayerNetwork fashionGenerator(int latentSize, int width) {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(44).dataType(DataType.FLOAT).updater(new Adam(2e-4, 0.5, 0.9, 1e-8))
                .weightInit(WeightInit.RELU).list()
                .layer(new DenseLayer.Builder().nIn(latentSize).nOut(2 * width * 7 * 7).activation(Activation.IDENTITY)
                        .build())
                .layer(new BatchNormalization.Builder().nOut(2 * width * 7 * 7).build())
                .layer(new ActivationLayer(Activation.RELU))
                .inputPreProcessor(3, new FeedForwardToCnnPreProcessor(7, 7, 2 * width))
                .layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(2 * width).nOut(width)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().nOut(width).build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new Deconvolution2D.Builder(4, 4).stride(2, 2).padding(1, 1).nIn(width).nOut(1)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.TANH)
                        .weightInit(WeightInit.XAVIER).build())
                .build());
        network.init();
        return network;
    }

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double difference = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        assertThat(difference).isLessThanOrEqualTo(tolerance * scale);
    }
}
