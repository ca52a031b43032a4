package org.wgan.dl4j.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.fixtures.TestArrays;
import org.wgan.dl4j.GraphCritic;
import org.wgan.dl4j.GraphGenerator;

/**
 * Batch normalisation in ComputationGraphs on the engine ({@link BatchNormStage} in {@link GraphStack}) against
 * DL4J 1.0.0-M2.1's own graph: the training-mode forward pass and backprop (every parameter gradient, the running
 * statistics' entries included), the inference output from the running statistics, and the parameters after
 * optimizer steps. The graphs put batch norm on dense and NCHW inputs, behind a preprocessor, with its input and its
 * output each read by two vertices; its parameters start away from their initial values, so a swapped or ignored
 * one shows.
 */
class GraphBatchNormTest {

    /**
     * latent [6] -> dense 32 -> BN -> ReLU -> reshape [2, 4, 4] -> conv 3x3 (3) -> BN -> tanh -> conv 3x3 (2)
     * -> skip = reshaped + that -> BN -> sum = BN + conv 1x1 tanh(BN) + skip -> dense {@code out}; the skip feeds
     * BN and the sum, the last BN feeds the 1x1 convolution and the sum.
     */
    static ComputationGraph generatorLike(DataType dataType, IUpdater updater, int out, boolean useLogStd) {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(51)
                .dataType(dataType).updater(updater).weightInit(WeightInit.XAVIER)
                // DL4J's own graph backprop through batch norm reads an array of a closed workspace otherwise
                .trainingWorkspaceMode(WorkspaceMode.NONE).inferenceWorkspaceMode(WorkspaceMode.NONE).graphBuilder()
                .addInputs("z").setInputTypes(InputType.feedForward(6))
                .addLayer("d", new DenseLayer.Builder().nOut(32).activation(Activation.IDENTITY).build(), "z")
                .addLayer("bn0", new BatchNormalization.Builder().useLogStd(useLogStd).build(), "d")
                .addLayer("r0", new ActivationLayer(Activation.RELU), "bn0")
                .addVertex("img", new PreprocessorVertex(new FeedForwardToCnnPreProcessor(4, 4, 2)), "r0")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(3).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "img")
                .addLayer("bn1", new BatchNormalization.Builder().useLogStd(useLogStd).decay(0.7).build(), "c1")
                .addLayer("a1", new ActivationLayer(Activation.TANH), "bn1")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(2).convolutionMode(ConvolutionMode.Same)
                        .activation(Activation.IDENTITY).build(), "a1")
                .addVertex("skip", new ElementWiseVertex(ElementWiseVertex.Op.Add), "img", "c2")
                .addLayer("bn2", new BatchNormalization.Builder().useLogStd(useLogStd).build(), "skip")
                // not an ActivationLayer: DL4J's inference applies one in place on its input, which "sum" reads too
                .addLayer("a2", new ConvolutionLayer.Builder(1, 1).nOut(2).activation(Activation.TANH).build(), "bn2")
                .addVertex("sum", new ElementWiseVertex(ElementWiseVertex.Op.Add), "bn2", "a2", "skip")
                .addLayer("out", new DenseLayer.Builder().nOut(out).activation(Activation.IDENTITY).build(), "sum")
                .setOutputs("out").build());
        graph.init();
        scrambleBatchNormParameters(graph, 17);
        return graph;
    }

    static Stream<Arguments> graphs() {
        return Stream.of(
                Arguments.of("generator-like, log std, float64", generatorLike(DataType.DOUBLE, new Sgd(0.1), 5, true),
                        1e-10),
                Arguments.of("generator-like, variance, float64",
                        generatorLike(DataType.DOUBLE, new Sgd(0.1), 5, false), 1e-10),
                Arguments.of("critic-like (one score), float32", generatorLike(DataType.FLOAT, new Sgd(0.1), 1, true),
                        1e-5));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("graphs")
    void forwardBackwardAndInferenceMatchDl4jsGraph(String name, ComputationGraph graph, double tolerance) {
        ComputationGraph reference = graph.clone();
        ComputationGraph inferenceReference = graph.clone();
        NetworkEngine engine = new NetworkEngine(graph, "generator");
        DataType type = engine.dataType();
        INDArray x = TestArrays.uniform(new Random(3), 7, 6).subi(0.5).muli(3.0).castTo(type);
        INDArray outputGradient = TestArrays.uniform(new Random(4), 7, graph.getLayer("out").getParam("b").length())
                .subi(0.3).castTo(type);

        INDArray inference = inferenceReference.output(x)[0];
        INDArray expected = reference.feedForward(new INDArray[] {x}, true, false).get("out").dup();
        reference.backpropGradient(outputGradient);
        INDArray expectedGradient = reference.getGradientsViewArray().reshape(reference.numParams());
        assertThat(inference.sub(expected).amaxNumber().doubleValue()).as("batch vs running statistics")
                .isGreaterThan(1e-2);
        assertThat(flatGradientOf(reference, "mean").amaxNumber().doubleValue()).isGreaterThan(1e-3);

        // twice, so the second round runs on reused buffers
        for (int round = 0; round < 2; round++) {
            assertClose(engine.forward(x), expected, tolerance);
            engine.backward(outputGradient);
            assertClose(engine.gradient(), expectedGradient, tolerance);
            assertClose(engine.output(x), inference, tolerance);
        }
    }

    static Stream<Arguments> trainings() {
        return Stream.of(
                Arguments.of("Adam (fused), float64", new Adam(1e-2), true),
                Arguments.of("Nesterovs (DL4J's updater), float64", new Nesterovs(1e-2, 0.9), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("trainings")
    void trainingStepsGiveDl4jsParametersIncludingTheRunningStatistics(String name, IUpdater updater,
            boolean fused) {
        ComputationGraph graph = generatorLike(DataType.DOUBLE, updater, 5, true);
        ComputationGraph reference = graph.clone();
        GraphGenerator generator = GraphGenerator.of(graph);
        assertThat(new NetworkEngine(graph.clone(), "generator").usesFusedOptimizerStep()).isEqualTo(fused);
        INDArray initialMean = graph.getLayer("bn1").getParam("mean").dup();
        INDArray initialStd = graph.getLayer("bn2").getParam("log10stdev").dup();
        Random random = new Random(21);

        for (int step = 0; step < 4; step++) {
            INDArray x = TestArrays.uniform(random, 8, 6).subi(0.5).muli(2.0);
            INDArray outputGradient = TestArrays.uniform(random, 8, 5).subi(0.5).divi(8.0);
            generator.forward(x);
            generator.backward(outputGradient);
            generator.applyGradient();

            reference.feedForward(new INDArray[] {x}, true, false);
            Gradient gradient = reference.backpropGradient(outputGradient);
            reference.getUpdater().update(gradient, step, 0, 1, LayerWorkspaceMgr.noWorkspaces());
            reference.params().subi(reference.getGradientsViewArray().reshape(reference.params().shape()));

            // Adam divides by sqrt(v): the last digits of near-zero gradients show up to ~1e-10
            assertClose(graph.params(), reference.params(), 1e-9);
        }
        assertThat(graph.getLayer("bn1").getParam("mean").sub(initialMean).amaxNumber().doubleValue())
                .isGreaterThan(1e-4);
        assertThat(graph.getLayer("bn2").getParam("log10stdev").sub(initialStd).amaxNumber().doubleValue())
                .isGreaterThan(1e-4);
        INDArray latent = TestArrays.uniform(random, 5, 6);
        assertClose(generator.generate(latent), reference.output(latent)[0], 1e-10);
    }

    @Test
    void theGradientPenaltyRefusesBatchNormalisationNamingTheVertex() {
        GraphCritic critic = GraphCritic.of(generatorLike(DataType.DOUBLE, new Sgd(0.1), 1, true));
        INDArray x = TestArrays.uniform(new Random(5), 4, 6);
        assertThat(critic.forward(x).shape()).containsExactly(4, 1);

        assertThatIllegalArgumentException().isThrownBy(critic::requireTwiceDifferentiable)
                .withMessageStartingWith("critic graph's vertex \"bn0\" (LayerVertex, BatchNormalization) cannot be"
                        + " differentiated twice for the gradient penalty: its batch statistics couple the samples")
                .withMessageContaining("no batch normalisation in a penalised critic");
        assertThatIllegalArgumentException().isThrownBy(() -> critic.inputGradient(x))
                .withMessageStartingWith("critic graph's vertex \"bn0\" (LayerVertex, BatchNormalization)");
    }

    @Test
    void refusesAnInputThatDoesNotFitBatchNormalisationNamingTheVertex() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).graphBuilder().addInputs("in")
                .addLayer("norm", new BatchNormalization.Builder().nIn(3).nOut(3).build(), "in")
                .addLayer("out", new DenseLayer.Builder().nIn(3).nOut(1).activation(Activation.IDENTITY).build(),
                        "norm")
                .setOutputs("out").build());
        graph.init();
        GraphCritic critic = GraphCritic.of(graph);

        assertThatIllegalArgumentException().isThrownBy(() -> critic.score(TestArrays.uniform(new Random(1), 2, 4)))
                .withMessage("critic input [2, 4] does not fit vertex \"norm\" (LayerVertex, BatchNormalization): it"
                        + " expects [batch, 3] or [batch, 3, height, width], but its input is [2, 4] for this input");
    }

    /** The gradient view with every entry but the named batch-norm parameter's zeroed. */
    private static INDArray flatGradientOf(ComputationGraph graph, String parameter) {
        INDArray flat = graph.getGradientsViewArray().reshape(graph.numParams()).dup();
        INDArray mask = flat.ulike().assign(0);
        long offset = 0;
        for (int vertex : graph.topologicalSortOrder()) {
            var v = graph.getVertices()[vertex];
            if (!v.hasLayer()) {
                continue;
            }
            for (Map.Entry<String, INDArray> entry : v.getLayer().paramTable().entrySet()) {
                long length = entry.getValue().length();
                if (entry.getKey().equals(parameter)) {
                    for (long i = offset; i < offset + length; i++) {
                        mask.putScalar(i, 1.0);
                    }
                }
                offset += length;
            }
        }
        return flat.muli(mask);
    }

    /**
     * Sets every batch-norm parameter to seeded values away from DL4J's initial ones: gamma in [0.5, 1.5), beta and
     * the running mean in [-0.5, 0.5), the running variance in [0.75, 1.75), log10 of the running std in [-0.3, 0.3).
     */
    private static void scrambleBatchNormParameters(ComputationGraph graph, long seed) {
        Random random = new Random(seed);
        for (Layer layer : graph.getLayers()) {
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

    private static void assertClose(INDArray actual, INDArray expected, double tolerance) {
        assertThat(actual.shape()).containsExactly(expected.shape());
        double scale = Math.max(1.0, expected.amaxNumber().doubleValue());
        double difference = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber()
                .doubleValue();
        assertThat(difference).isLessThanOrEqualTo(tolerance * scale);
    }
}
