package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wgan.dl4j.fixtures.GraphNetworks;
import org.wgan.dl4j.fixtures.GraphNetworks.Case;
import org.wgan.dl4j.fixtures.TestNetworks;

/**
 * The engine's passes over ComputationGraphs against DL4J's own graph forward and backprop (float64, to 1e-10),
 * the input gradient (which DL4J does not give for graphs) and the penalty's double backprop against central
 * differences.
 */
class GraphCriticTest {

    static Stream<Case> cases() {
        return Stream.concat(GraphNetworks.smoothCases().stream(), Stream.of(
                new Case("convolution residual, ReLU", GraphNetworks.convolutionResidual(7, Activation.RELU),
                        new long[] {2, 5, 5})));
    }

    private static INDArray uniform(Random random, long... shape) {
        INDArray out = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < out.length(); i++) {
            out.putScalar(i, 2 * random.nextDouble() - 1);
        }
        return out;
    }

    private static long[] batchOf(int batch, long[] sample) {
        long[] shape = new long[sample.length + 1];
        shape[0] = batch;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        return shape;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void forwardAndParameterGradientEqualDl4js(Case c) {
        Random random = new Random(11);
        INDArray x = uniform(random, batchOf(5, c.sampleShape()));
        INDArray g = uniform(random, 5, 1);
        ComputationGraph reference = c.graph().clone();
        GraphCritic critic = GraphCritic.of(c.graph());

        INDArray expectedOutput = reference.output(x)[0];
        // DL4J's graph keeps the vertices' inputs for a backprop only with clearInputs false
        reference.feedForward(new INDArray[] {x}, true, false);
        reference.backpropGradient(g);
        INDArray expectedGradient = reference.getGradientsViewArray().reshape(reference.numParams());

        assertThat(critic.score(x).sub(expectedOutput).amaxNumber().doubleValue()).isLessThan(1e-12);
        INDArray forward = critic.forward(x);
        assertThat(forward.sub(expectedOutput).amaxNumber().doubleValue()).isLessThan(1e-12);
        critic.backward(g);
        double scale = expectedGradient.amaxNumber().doubleValue();
        assertThat(scale).isGreaterThan(1e-3);
        assertThat(critic.gradient().sub(expectedGradient).amaxNumber().doubleValue()).isLessThan(1e-10);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void inputGradientMatchesCentralDifferences(Case c) {
        Random random = new Random(12);
        INDArray x = uniform(random, batchOf(3, c.sampleShape()));
        INDArray g = uniform(random, 3, 1);
        GraphCritic critic = GraphCritic.of(c.graph());
        critic.forward(x);
        INDArray analytic = critic.backward(g).dup();
        INDArray penaltyGradient = critic.inputGradient(x).value().dup();

        double h = 1e-6;
        double worst = 0;
        INDArray ones = Nd4j.ones(DataType.DOUBLE, 3, 1);
        for (long i = 0; i < x.length(); i++) {
            double original = x.getDouble(i);
            x.putScalar(i, original + h);
            INDArray plusScores = critic.score(x);
            double plus = plusScores.mul(g).sumNumber().doubleValue();
            double plusSum = plusScores.mul(ones).sumNumber().doubleValue();
            x.putScalar(i, original - h);
            INDArray minusScores = critic.score(x);
            double minus = minusScores.mul(g).sumNumber().doubleValue();
            double minusSum = minusScores.sumNumber().doubleValue();
            x.putScalar(i, original);
            worst = Math.max(worst, Math.abs((plus - minus) / (2 * h) - analytic.getDouble(i)));
            worst = Math.max(worst, Math.abs((plusSum - minusSum) / (2 * h) - penaltyGradient.getDouble(i)));
        }
        assertThat(worst).isLessThan(1e-7);
        assertThat(analytic.amaxNumber().doubleValue()).isGreaterThan(1e-3);
    }

    static Stream<Case> smoothCases() {
        return GraphNetworks.smoothCases().stream();
    }

    /** As GradientPenaltyTest's check for MultiLayerCritic: central differences, float64, relative error 1e-6. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smoothCases")
    void penaltyParameterGradientMatchesCentralDifferences(Case c) {
        GraphCritic critic = GraphCritic.of(c.graph());
        INDArray points = uniform(new Random(5), batchOf(6, c.sampleShape())).muli(1.5);
        TestNetworks.assertPenaltyGradientMatchesCentralDifferences(critic, points);
    }

    @Test
    void parameterBlocksFollowDl4jsLayoutOfTheFlatVector() {
        ComputationGraph graph = GraphNetworks.convolutionMerge(4);
        GraphCritic critic = GraphCritic.of(graph);

        for (var block : critic.parameterBlocks()) {
            var layer = graph.getLayers()[block.layerIndex()];
            INDArray own = layer.getParam(block.name());
            // the block is the layer's own parameter: writing through the flat vector at its offset changes it
            double before = own.getDouble(0);
            critic.parameters().putScalar(block.offset(), before + 1);
            assertThat(own.getDouble(0)).isEqualTo(before + 1);
            critic.parameters().putScalar(block.offset(), before);
        }
        // in DL4J's layout a convolution keeps b before W; the vertices follow the topological order
        assertThat(critic.parameterBlocks()).extracting(b -> graph.getLayers()[b.layerIndex()].conf().getLayer()
                .getLayerName() + ":" + b.name()).containsExactly("a:b", "a:W", "b:b", "b:W", "out:W", "out:b");
    }

    private static NeuralNetConfiguration.Builder base() {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.DOUBLE).updater(new Sgd(0.1));
    }

    private static ComputationGraph init(ComputationGraph graph) {
        graph.init();
        return graph;
    }

    @Test
    void refusesProductAndMaxVerticesNamingThem() {
        for (ElementWiseVertex.Op op : new ElementWiseVertex.Op[] {ElementWiseVertex.Op.Product,
            ElementWiseVertex.Op.Max}) {
            ComputationGraph graph = init(new ComputationGraph(base().graphBuilder().addInputs("in")
                    .setInputTypes(InputType.feedForward(3))
                    .addLayer("a", new DenseLayer.Builder().nOut(3).build(), "in")
                    .addVertex("gate", new ElementWiseVertex(op), "in", "a")
                    .addLayer("out", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "gate")
                    .setOutputs("out").build()));

            assertThatThrownBy(() -> GraphCritic.of(graph)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("critic graph's vertex \"gate\" (ElementWiseVertex " + op + ")")
                    .hasMessageContaining("only the linear ops Add, Subtract and Average are supported");
            assertThatThrownBy(() -> GraphGenerator.of(graph)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("generator graph's vertex \"gate\" (ElementWiseVertex " + op + ")");
        }
    }

    @Test
    void refusesAnUnsupportedLayerNamingItsVertex() {
        ComputationGraph graph = init(new ComputationGraph(base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("noisy", new DenseLayer.Builder().nOut(2).dropOut(0.5).build(), "in")
                .addLayer("out", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "noisy")
                .setOutputs("out").build()));

        assertThatThrownBy(() -> GraphCritic.of(graph)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic graph's vertex \"noisy\" (LayerVertex, DenseLayer) cannot run"
                        + " on the engine")
                .hasMessageContaining("it applies dropout");
    }

    @Test
    void refusesWhatTheMultiLayerAdaptersRefuse() {
        ComputationGraph uninitialised = new ComputationGraph(GraphNetworks.denseMerge(1).getConfiguration());
        assertThatThrownBy(() -> GraphCritic.of(uninitialised))
                .hasMessage("critic graph must be initialised; call init() on it first");

        ComputationGraph withLoss = init(new ComputationGraph(base().graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(1)
                        .activation(Activation.IDENTITY).build(), "in")
                .setOutputs("out").build()));
        assertThatThrownBy(() -> GraphCritic.of(withLoss)).hasMessageStartingWith("critic graph's vertex \"out\""
                + " (OutputLayer) is an output layer with a built-in loss");

        ComputationGraph zeroRate = GraphNetworks.denseResidual(1, DataType.DOUBLE, new Adam(0.0), Activation.TANH, 4);
        assertThatThrownBy(() -> GraphCritic.of(zeroRate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic vertex \"d1\" (DenseLayer) Adam learningRate for W must be");
        ComputationGraph nanRate = GraphNetworks.denseResidual(1, DataType.DOUBLE, new Sgd(Double.NaN),
                Activation.TANH, 4);
        assertThatThrownBy(() -> GraphCritic.of(nanRate)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Sgd learningRate for W");
    }

    @Test
    void checksTheInputShapeNamingTheVertex() {
        GraphCritic critic = GraphCritic.of(GraphNetworks.denseMerge(1));

        assertThatThrownBy(() -> critic.score(Nd4j.ones(DataType.DOUBLE, 2, 5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("critic input [2, 5] does not fit vertex \"a\" (LayerVertex, DenseLayer): it expects"
                        + " [batch, 4], but its input is [2, 5] for this input");
        GraphCritic convolutional = GraphCritic.of(GraphNetworks.convolutionMerge(1));
        assertThatThrownBy(() -> convolutional.inputGradient(Nd4j.ones(DataType.DOUBLE, 2, 2, 5, 4)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit vertex \"flat\" (PreprocessorVertex)");
    }
}
