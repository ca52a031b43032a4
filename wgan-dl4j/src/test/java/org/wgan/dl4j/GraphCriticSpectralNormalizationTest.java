package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.VECTOR_PREFIX;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.appliedGradient;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.assertMatchesCentralDifferences;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.largestSingularValue;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.matrix;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.weights;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.zeroUpdate;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.ParameterBlock;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.constraint.GradientPenalty;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.fixtures.GraphNetworks;
import org.wgan.dl4j.fixtures.GraphNetworks.Case;
import org.wgan.dl4j.fixtures.SpectralNormalizationChecks;
import org.wgan.dl4j.fixtures.SpectralNormalizationChecks.NormalisedCopy;

/**
 * Spectral normalisation of ComputationGraph critics, the checks of {@link SpectralNormalizationTest} on graphs
 * with a residual Add vertex: a dense one ({@code in + dense(tanh(dense(in)))}) and a convolution one
 * ({@code in + conv(elu(conv(in)))}), each ending in an activation and a dense layer.
 */
class GraphCriticSpectralNormalizationTest {

    /** Both graphs' SGD learning rate. */
    private static final double LEARNING_RATE = 0.1;

    @TempDir
    Path folder;

    private static Case denseResidual(long seed) {
        return new Case("dense residual", GraphNetworks.denseResidual(seed, DataType.DOUBLE, new Sgd(LEARNING_RATE),
                Activation.TANH, 4), new long[] {4});
    }

    private static Case convolutionResidual(long seed) {
        return new Case("convolution residual", GraphNetworks.convolutionResidual(seed, Activation.ELU),
                new long[] {2, 5, 5});
    }

    private static INDArray samples(Case c, long seed, long batch) {
        long[] shape = new long[c.sampleShape().length + 1];
        shape[0] = batch;
        System.arraycopy(c.sampleShape(), 0, shape, 1, c.sampleShape().length);
        Random random = new Random(seed);
        INDArray out = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < out.length(); i++) {
            out.putScalar(i, random.nextGaussian());
        }
        return out;
    }

    private static NormalisedCopy normalisedCopy(GraphCritic critic) {
        return new NormalisedCopy(critic, GraphCritic.of(critic.graph().clone()));
    }

    @Test
    void sigmaConvergesToTheLargestSingularValueOfEveryDenseAndConvolutionWeight() {
        for (Case c : List.of(denseResidual(3), convolutionResidual(4))) {
            GraphCritic critic = GraphCritic.withSpectralNormalization(c.graph());
            INDArray samples = samples(c, 1, 4);
            assertThat(weights(critic)).as(c.name()).hasSize(3);
            for (ParameterBlock block : weights(critic)) {
                double exact = largestSingularValue(matrix(block.view()));
                // after the warm-up iterations alone
                assertThat(critic.spectralNorms().get(block.layerIndex())).as("%s, layer %d", c, block.layerIndex())
                        .isCloseTo(exact, Percentage.withPercentage(5));
            }
            for (int i = 0; i < 300; i++) {
                zeroUpdate(critic, samples);
            }
            for (ParameterBlock block : weights(critic)) {
                double exact = largestSingularValue(matrix(block.view()));
                assertThat(critic.spectralNorms().get(block.layerIndex())).as("%s, layer %d", c, block.layerIndex())
                        .isCloseTo(exact, Offset.offset(1e-9 * exact));
            }
        }
    }

    @Test
    void scoresAreThoseOfTheSameGraphWithEveryWeightDividedByItsSigma() {
        for (Case c : List.of(denseResidual(5), convolutionResidual(6))) {
            ComputationGraph graph = c.graph();
            ComputationGraph plain = graph.clone();
            GraphCritic critic = GraphCritic.withSpectralNormalization(graph);
            Map<Integer, Double> sigmas = critic.spectralNorms();
            for (ParameterBlock block : weights(critic)) {
                plain.getLayers()[block.layerIndex()].getParam("W").divi(sigmas.get(block.layerIndex()));
                assertThat(sigmas.get(block.layerIndex())).isGreaterThan(0.1);
            }
            INDArray samples = samples(c, 2, 6);

            // DL4J's own inference of the plain copy: the engine's passes are not their own reference
            INDArray expected = plain.output(samples)[0];
            assertThat(critic.score(samples).equalsWithEps(expected, 1e-12)).as(c.name()).isTrue();
            assertThat(critic.forward(samples).equalsWithEps(expected, 1e-12)).as(c.name()).isTrue();
            // the graph keeps the raw weights
            assertThat(graph.output(samples)[0].equalsWithEps(expected, 1e-3)).as(c.name()).isFalse();
        }
    }

    @Test
    void theGradientWithRespectToTheRawWeightsMatchesCentralDifferencesThroughSigma() {
        for (Case c : List.of(denseResidual(7), convolutionResidual(8))) {
            GraphCritic critic = GraphCritic.withSpectralNormalization(c.graph());
            INDArray samples = samples(c, 3, 5);
            NormalisedCopy copy = normalisedCopy(critic);
            INDArray raw = critic.parameters().dup();
            INDArray meanGradient = Nd4j.valueArrayOf(new long[] {samples.size(0), 1}, 1.0 / samples.size(0),
                    DataType.DOUBLE);

            INDArray analytic = appliedGradient(critic, LEARNING_RATE, () -> {
                critic.forward(samples);
                critic.backward(meanGradient);
            });

            assertMatchesCentralDifferences(analytic, raw, copy, k -> k.score(samples).meanNumber().doubleValue());
        }
    }

    @Test
    void composesWithTheGradientPenaltyThroughSigma() {
        for (Case c : List.of(denseResidual(9), convolutionResidual(10))) {
            GraphCritic critic = GraphCritic.withSpectralNormalization(c.graph());
            GradientPenalty penalty = LipschitzConstraints.gradientPenalty(10.0);
            INDArray samples = samples(c, 4, 6).muli(1.5);
            NormalisedCopy copy = normalisedCopy(critic);
            INDArray raw = critic.parameters().dup();

            INDArray analytic = appliedGradient(critic, LEARNING_RATE, () -> {
                critic.forward(samples);
                critic.backward(Nd4j.zeros(DataType.DOUBLE, samples.size(0), 1));
                penalty.penaltyAt(samples, critic, critic.gradient());
            });

            INDArray scratch = Nd4j.create(DataType.DOUBLE, critic.numParameters());
            assertMatchesCentralDifferences(analytic, raw, copy, k -> penalty.penaltyAt(samples, k, scratch).value());
        }
    }

    @Test
    void eachUpdateAdvancesTheVectorsAndAWriteFromOutsideRenormalises() {
        Case c = denseResidual(11);
        GraphCritic critic = GraphCritic.withSpectralNormalization(c.graph());
        INDArray samples = samples(c, 5, 4);
        ParameterBlock first = weights(critic).get(0);
        INDArray u = critic.checkpointArrays().get(VECTOR_PREFIX + first.layerIndex());
        u.assign(Nd4j.create(new double[] {1, 0, 0, 0}, new long[] {4, 1}, DataType.DOUBLE));
        critic.parametersChanged();
        critic.score(samples);
        assertThat(u.getDouble(0)).as("a pass reads u, it does not advance it").isEqualTo(1.0);
        INDArray m = first.view();
        INDArray v = m.transpose().mmul(u);
        v.divi(v.norm2Number());
        INDArray expected = m.mmul(v);
        expected.divi(expected.norm2Number());

        zeroUpdate(critic, samples);

        assertThat(u.equalsWithEps(expected, 1e-12)).as("one power iteration, %s", u).isTrue();

        double sigma = critic.spectralNorms().get(first.layerIndex());
        critic.parameters().muli(2.0);
        critic.parametersChanged();
        assertThat(critic.spectralNorms().get(first.layerIndex())).isCloseTo(2 * sigma, Offset.offset(1e-9));
    }

    @Test
    void aPlainGraphCriticHasNoVectorsToCheckpoint() {
        GraphCritic plain = GraphCritic.of(denseResidual(12).graph());

        assertThat(plain.checkpointArrays()).isEmpty();
        assertThat(plain.spectralNorms()).isEmpty();
        assertThat(plain.toString()).doesNotContain("spectral");
        assertThat(GraphCritic.withSpectralNormalization(denseResidual(12).graph()).toString())
                .contains("spectral normalisation");
    }

    private WganTrainer.Builder trainer(long networkSeed, String store) {
        GraphCritic critic = GraphCritic.withSpectralNormalization(GraphNetworks.denseResidual(networkSeed + 1,
                DataType.FLOAT, Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2));
        return SpectralNormalizationChecks.resumeTrainer(networkSeed, critic, folder.resolve(store));
    }

    @Test
    void checkpointsHoldTheVectorsAndAResumedRunIsBitIdentical() {
        Checkpoint expected = SpectralNormalizationChecks.assertResumedRunIsBitIdentical(this::trainer);

        GraphCritic critic = GraphCritic.withSpectralNormalization(GraphNetworks.denseResidual(2, DataType.FLOAT,
                new Sgd(0.1), Activation.TANH, 2));
        assertThat(expected.arrays()).containsOnlyKeys(weights(critic).stream()
                .map(b -> VECTOR_PREFIX + b.layerIndex()).toList());
        assertThat(expected.arrays()).hasSize(3);
    }

    @Test
    void aGraphTheEngineCannotRunIsRefusedNamingTheVertex() {
        ComputationGraph graph = new ComputationGraph(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).graphBuilder().addInputs("in")
                .setInputTypes(InputType.feedForward(3))
                .addLayer("hidden", new DenseLayer.Builder().nOut(3).dropOut(0.5).build(), "in")
                .addVertex("skip", new ElementWiseVertex(ElementWiseVertex.Op.Add), "in", "hidden")
                .addLayer("out", new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build(), "skip")
                .setOutputs("out").build());
        graph.init();

        assertThatThrownBy(() -> GraphCritic.withSpectralNormalization(graph))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"hidden\"")
                .hasMessageContaining("dropout");
    }
}
