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
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
import org.wgan.dl4j.fixtures.SpectralNormalizationChecks;
import org.wgan.dl4j.fixtures.SpectralNormalizationChecks.NormalisedCopy;
import org.wgan.dl4j.fixtures.TestNetworks;

class SpectralNormalizationTest {

    @TempDir
    Path folder;

    private static MultiLayerNetwork denseCritic(long seed) {
        return TestNetworks.mlp(seed, DataType.DOUBLE, new Sgd(1.0), Activation.TANH, 3, 7, 5, 1);
    }

    private static INDArray points(long seed, long... shape) {
        Random random = new Random(seed);
        INDArray out = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < out.length(); i++) {
            out.putScalar(i, random.nextGaussian());
        }
        return out;
    }

    /** Samples for the dense critic ({@code [batch, 3]}) or the convolution critic ({@code [batch, 2, 6, 6]}). */
    private static INDArray samplesFor(MultiLayerNetwork network, long seed, long batch) {
        boolean convolution = network.getLayer(0).conf().getLayer() instanceof ConvolutionLayer;
        return convolution ? points(seed, batch, 2, 6, 6) : points(seed, batch, 3);
    }

    @Test
    void sigmaConvergesToTheLargestSingularValueOfEveryDenseAndConvolutionWeight() {
        for (MultiLayerNetwork network : List.of(denseCritic(3), TestNetworks.stridedConvolutionCritic())) {
            MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(network);
            INDArray samples = samplesFor(network, 1, 4);
            for (ParameterBlock block : weights(critic)) {
                double exact = largestSingularValue(matrix(block.view()));
                // after the warm-up iterations alone (close singular values converge slowly: 2% here on a 7 x 5)
                assertThat(critic.spectralNorms().get(block.layerIndex())).as("layer %d", block.layerIndex())
                        .isCloseTo(exact, org.assertj.core.data.Percentage.withPercentage(5));
            }
            for (int i = 0; i < 300; i++) {
                zeroUpdate(critic, samples);
            }
            assertThat(weights(critic)).hasSize(3);
            for (ParameterBlock block : weights(critic)) {
                double exact = largestSingularValue(matrix(block.view()));
                assertThat(critic.spectralNorms().get(block.layerIndex())).as("layer %d", block.layerIndex())
                        .isCloseTo(exact, org.assertj.core.data.Offset.offset(1e-9 * exact));
            }
        }
    }

    @Test
    void scoresAreThoseOfTheSameNetworkWithEveryWeightDividedByItsSigma() {
        MultiLayerNetwork network = denseCritic(4);
        MultiLayerNetwork plain = network.clone();
        MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(network);
        Map<Integer, Double> sigmas = critic.spectralNorms();
        for (ParameterBlock block : weights(critic)) {
            plain.getLayer(block.layerIndex()).getParam("W").divi(sigmas.get(block.layerIndex()));
            assertThat(sigmas.get(block.layerIndex())).isGreaterThan(0.1);
        }
        INDArray samples = points(2, 6, 3);

        INDArray expected = plain.output(samples, false);
        assertThat(critic.score(samples).equalsWithEps(expected, 1e-12)).isTrue();
        assertThat(critic.forward(samples).equalsWithEps(expected, 1e-12)).isTrue();
        // the network keeps the raw weights
        assertThat(network.output(samples, false).equalsWithEps(expected, 1e-3)).isFalse();
    }

    private static NormalisedCopy normalisedCopy(MultiLayerCritic critic) {
        return new NormalisedCopy(critic, MultiLayerCritic.of(critic.network().clone()));
    }

    /** The learning rate of the network's (first layer's) SGD updater. */
    private static double learningRate(MultiLayerCritic critic) {
        BaseLayer layer = (BaseLayer) critic.network().getLayer(0).conf().getLayer();
        return ((Sgd) layer.getIUpdater()).getLearningRate();
    }

    @Test
    void theGradientWithRespectToTheRawWeightsMatchesCentralDifferencesThroughSigma() {
        for (MultiLayerNetwork network : List.of(denseCritic(5), TestNetworks.stridedConvolutionCritic())) {
            MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(network);
            INDArray samples = samplesFor(network, 3, 5);
            NormalisedCopy copy = normalisedCopy(critic);
            INDArray raw = critic.parameters().dup();
            INDArray meanGradient = Nd4j.valueArrayOf(new long[] {samples.size(0), 1}, 1.0 / samples.size(0),
                    DataType.DOUBLE);

            INDArray analytic = appliedGradient(critic, learningRate(critic), () -> {
                critic.forward(samples);
                critic.backward(meanGradient);
            });

            assertMatchesCentralDifferences(analytic, raw, copy, c -> c.score(samples).meanNumber().doubleValue());
        }
    }

    @Test
    void composesWithTheGradientPenaltyThroughSigma() {
        MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(denseCritic(6));
        GradientPenalty penalty = LipschitzConstraints.gradientPenalty(10.0);
        INDArray samples = points(4, 8, 3).muli(1.5);
        NormalisedCopy copy = normalisedCopy(critic);
        INDArray raw = critic.parameters().dup();

        INDArray analytic = appliedGradient(critic, learningRate(critic), () -> {
            critic.forward(samples);
            critic.backward(Nd4j.zeros(DataType.DOUBLE, samples.size(0), 1));
            penalty.penaltyAt(samples, critic, critic.gradient());
        });

        INDArray scratch = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        assertMatchesCentralDifferences(analytic, raw, copy, c -> penalty.penaltyAt(samples, c, scratch).value());
    }

    @Test
    void eachUpdateAdvancesTheVectorsAndAWriteFromOutsideRenormalises() {
        MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(denseCritic(7));
        INDArray samples = points(5, 4, 3);
        INDArray u = critic.checkpointArrays().get(VECTOR_PREFIX + 0);
        u.assign(Nd4j.create(new double[] {1, 0, 0}, new long[] {3, 1}, DataType.DOUBLE));
        critic.parametersChanged();
        critic.score(samples);
        assertThat(u.getDouble(0)).as("a pass reads u, it does not advance it").isEqualTo(1.0);
        INDArray m = critic.parameterBlocks().get(0).view();
        INDArray v = m.transpose().mmul(u);
        v.divi(v.norm2Number());
        INDArray expected = m.mmul(v);
        expected.divi(expected.norm2Number());

        zeroUpdate(critic, samples);

        assertThat(u.equalsWithEps(expected, 1e-12)).as("one power iteration, %s", u).isTrue();

        double sigma = critic.spectralNorms().get(0);
        critic.parameters().muli(2.0);
        critic.parametersChanged();
        assertThat(critic.spectralNorms().get(0)).isCloseTo(2 * sigma, org.assertj.core.data.Offset.offset(1e-9));
    }

    private WganTrainer.Builder trainer(long networkSeed, String store) {
        MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(TestNetworks.mlp(networkSeed + 1,
                DataType.FLOAT, Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 16, 1));
        return SpectralNormalizationChecks.resumeTrainer(networkSeed, critic, folder.resolve(store));
    }

    @Test
    void checkpointsHoldTheVectorsAndAResumedRunIsBitIdentical() {
        Checkpoint expected = SpectralNormalizationChecks.assertResumedRunIsBitIdentical(this::trainer);

        assertThat(expected.arrays()).containsOnlyKeys(VECTOR_PREFIX + 0, VECTOR_PREFIX + 1);
    }

    @Test
    void aNetworkTheEnginesPassesDoNotRunIsRefusedNamingTheLayer() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().seed(1)
                .dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                .layer(new DenseLayer.Builder().nIn(3).nOut(4).build())
                .layer(new DenseLayer.Builder().nOut(4).dropOut(0.5).build())
                .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();

        assertThatThrownBy(() -> MultiLayerCritic.withSpectralNormalization(network))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("spectral normalisation")
                .hasMessageContaining("layer 1 (DenseLayer)")
                .hasMessageContaining("dropout");
    }
}
