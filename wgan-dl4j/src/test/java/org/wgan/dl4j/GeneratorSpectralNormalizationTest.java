package org.wgan.dl4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.assertMatchesCentralDifferences;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.largestSingularValue;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.matrix;
import static org.wgan.dl4j.fixtures.SpectralNormalizationChecks.weights;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.Generator;
import org.wgan.core.ParameterBlock;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointMismatchException;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.training.RestoreMode;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.fixtures.GraphNetworks;
import org.wgan.dl4j.fixtures.ResamplingNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;

/**
 * Spectral normalisation of generators (Miyato et al. 2018): sigma against an SVD of every dense and deconvolution
 * weight, the samples against a plain copy with every weight divided by its sigma, the raw-weight gradient against
 * float64 central differences through sigma, checkpoints and the EMA's vectors.
 */
class GeneratorSpectralNormalizationTest {

    private static final String VECTOR_PREFIX = "generator.spectralNormalization.u.layer";
    private static final double LEARNING_RATE = 0.1;

    @TempDir
    Path folder;

    private static INDArray gaussian(long seed, long... shape) {
        Random random = new Random(seed);
        INDArray out = Nd4j.create(DataType.DOUBLE, shape);
        for (long i = 0; i < out.length(); i++) {
            out.putScalar(i, random.nextGaussian());
        }
        return out;
    }

    /** The DCGAN-like generator (dense, then two 4x4 stride-2 deconvolutions) in float64, SGD 0.1. */
    private static MultiLayerNetwork deconvolutionGenerator() {
        return ResamplingNetworks.dcganGenerator(DataType.DOUBLE);
    }

    /** One update with a zero gradient: the parameters stay, the power iteration advances. */
    private static void zeroUpdate(Generator generator, INDArray latent) {
        INDArray samples = generator.forward(latent);
        generator.backward(Nd4j.zerosLike(samples));
        generator.applyGradient();
    }

    @Test
    void sigmaConvergesToTheLargestSingularValueOfEveryDenseAndDeconvolutionWeight() {
        MultiLayerGenerator generator = MultiLayerGenerator.withSpectralNormalization(deconvolutionGenerator());
        INDArray latent = gaussian(1, 4, 5);
        List<ParameterBlock> blocks = weights(generator);
        assertThat(blocks).extracting(b -> b.view().rank()).containsExactly(2, 4, 4);
        for (ParameterBlock block : blocks) {
            assertThat(generator.spectralNorms().get(block.layerIndex())).as("layer %d", block.layerIndex())
                    .isCloseTo(largestSingularValue(matrix(block.view())), Percentage.withPercentage(5));
        }
        for (int i = 0; i < 300; i++) {
            zeroUpdate(generator, latent);
        }
        for (ParameterBlock block : blocks) {
            double exact = largestSingularValue(matrix(block.view()));
            assertThat(generator.spectralNorms().get(block.layerIndex())).as("layer %d", block.layerIndex())
                    .isCloseTo(exact, Offset.offset(1e-9 * exact));
        }
    }

    @Test
    void samplesAreThoseOfTheSameNetworkWithEveryWeightDividedByItsSigma() {
        MultiLayerNetwork network = deconvolutionGenerator();
        MultiLayerNetwork plain = network.clone();
        MultiLayerGenerator generator = MultiLayerGenerator.withSpectralNormalization(network);
        Map<Integer, Double> sigmas = generator.spectralNorms();
        for (ParameterBlock block : weights(generator)) {
            plain.getLayer(block.layerIndex()).getParam("W").divi(sigmas.get(block.layerIndex()));
        }
        INDArray latent = gaussian(2, 6, 5);

        INDArray expected = plain.output(latent, false);
        assertThat(generator.generate(latent).equalsWithEps(expected, 1e-12)).isTrue();
        assertThat(generator.forward(latent).equalsWithEps(expected, 1e-12)).isTrue();
        // the network keeps the raw weights
        assertThat(network.output(latent, false).equalsWithEps(expected, 1e-3)).isFalse();
        assertThat(generator).hasToString("MultiLayerGenerator[latentSize=5, parameters=" + network.numParams()
                + ", spectral normalisation]");
    }

    /**
     * The function the raw-weight gradient differentiates: {@code sum(R * G(z))} of a plain generator over a copy of
     * the network whose weights are {@code W / ||M(W) v||}, v the power iteration's right vector of the first pass
     * (held fixed, as the gradient holds it).
     */
    private static final class NormalisedCopy {
        private final Generator plain;
        private final Map<Integer, INDArray> rightVectors = new HashMap<>();

        NormalisedCopy(GeneratorAdapter generator, Generator plain) {
            this.plain = plain;
            Map<String, INDArray> vectors = generator.checkpointArrays();
            for (ParameterBlock block : weights(generator)) {
                INDArray v = matrix(block.view()).transpose().mmul(vectors.get(VECTOR_PREFIX + block.layerIndex()));
                rightVectors.put(block.layerIndex(), v.divi(v.norm2Number()));
            }
        }

        double value(INDArray rawParameters, INDArray latent, INDArray weights) {
            plain.parameters().assign(rawParameters);
            for (ParameterBlock block : weights(plain)) {
                INDArray w = block.view();
                w.divi(matrix(w).mmul(rightVectors.get(block.layerIndex())).norm2Number().doubleValue());
            }
            return plain.generate(latent).mul(weights).sumNumber().doubleValue();
        }
    }

    /**
     * Checks the gradient one SGD step applies (the change of the raw parameters over the learning rate) against
     * central differences (h = 1e-6) of {@code sum(R * G(z))} through sigma: 1e-6 relative at every parameter.
     */
    private static void assertGradientMatchesCentralDifferences(GeneratorAdapter generator, Generator plain,
            long latentSize) {
        INDArray latent = gaussian(3, 5, latentSize);
        NormalisedCopy copy = new NormalisedCopy(generator, plain);
        INDArray raw = generator.parameters().dup();
        INDArray outputWeights = gaussian(4, generator.generate(latent).shape());

        generator.forward(latent);
        generator.backward(outputWeights);
        generator.applyGradient();
        INDArray analytic = raw.sub(generator.parameters()).divi(LEARNING_RATE);

        assertMatchesCentralDifferences(analytic, raw, point -> copy.value(point, latent, outputWeights));
    }

    @Test
    void theGradientWithRespectToTheRawWeightsMatchesCentralDifferencesThroughSigma() {
        MultiLayerNetwork network = deconvolutionGenerator();
        // biases away from DL4J's 0: a deconvolution output that reads only dead ReLU units is its bias, and at 0
        // the central difference would straddle the next ReLU's kink
        for (int layer = 0; layer < network.getnLayers(); layer++) {
            INDArray bias = network.getLayer(layer).getParam("b");
            bias.assign(gaussian(20 + layer, bias.shape()).muli(0.1));
        }
        assertGradientMatchesCentralDifferences(MultiLayerGenerator.withSpectralNormalization(network),
                MultiLayerGenerator.of(network.clone()), 5);
    }

    @Test
    void aGraphGeneratorsGradientMatchesCentralDifferencesThroughSigma() {
        var graph = GraphNetworks.generator(5, DataType.DOUBLE, new Sgd(LEARNING_RATE), 3);
        GraphGenerator generator = GraphGenerator.withSpectralNormalization(graph);
        assertThat(weights(generator)).hasSize(3);
        assertGradientMatchesCentralDifferences(generator, GraphGenerator.of(graph.clone()), 3);
    }

    /** A toy WGAN-GP run whose 2-16-2 generator is spectrally normalised, checkpointing in {@code store}. */
    private WganTrainer.Builder trainer(long networkSeed, String store) {
        Supplier<MultiLayerNetwork> network = () -> TestNetworks.mlp(networkSeed, DataType.FLOAT,
                Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 16, 2);
        return WganTrainer.builder()
                .generator(MultiLayerGenerator.withSpectralNormalization(network.get(), networkSeed))
                .critic(MultiLayerCritic.of(TestNetworks.mlp(networkSeed + 1, DataType.FLOAT,
                        Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 16, 1)))
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.gradientPenalty(10))
                .realSamples(ToyDatasets.eightGaussians())
                .batchSize(8).criticStepsPerGeneratorStep(2).seed(7)
                .checkpoints(CheckpointStore.in(folder.resolve(store)), 100);
    }

    @Test
    void checkpointsHoldTheVectorsAndAResumedRunIsBitIdentical() {
        WganTrainer uninterrupted = trainer(1, "a").maxGeneratorSteps(6).build();
        uninterrupted.fit();
        trainer(1, "b").maxGeneratorSteps(3).build().fit();
        // other weights and vectors: everything must come from the checkpoint
        WganTrainer resumed = trainer(50, "b").maxGeneratorSteps(6).build();
        assertThat(resumed.resumeFromLatest(RestoreMode.REQUIRE_SAME_SETTINGS)).hasValue(3);
        resumed.fit();

        Checkpoint expected = uninterrupted.checkpoint();
        Checkpoint actual = resumed.checkpoint();
        assertThat(expected.arrays()).containsOnlyKeys(VECTOR_PREFIX + 0, VECTOR_PREFIX + 1);
        expected.arrays().forEach((name, u) ->
                assertThat(actual.arrays().get(name).equalsWithEps(u, 0)).as(name).isTrue());
        assertThat(actual.generator().parameters().equalsWithEps(expected.generator().parameters(), 0)).isTrue();
        assertThat(actual.critic().parameters().equalsWithEps(expected.critic().parameters(), 0)).isTrue();
    }

    @Test
    void aPlainGeneratorRefusesTheVectorsOfASpectrallyNormalisedOneAndKeepsItsWeights() {
        MultiLayerGenerator normalised = MultiLayerGenerator.withSpectralNormalization(deconvolutionGenerator());
        MultiLayerGenerator plain = MultiLayerGenerator.of(deconvolutionGenerator());

        assertThat(plain.checkpointMismatches(normalised.checkpointArrays()))
                .containsExactly(
                        "checkpoint holds array '" + VECTOR_PREFIX + "0' of a spectrally normalised generator, which "
                                + plain + " is not",
                        "checkpoint holds array '" + VECTOR_PREFIX + "1' of a spectrally normalised generator, which "
                                + plain + " is not",
                        "checkpoint holds array '" + VECTOR_PREFIX + "2' of a spectrally normalised generator, which "
                                + plain + " is not");
        assertThatThrownBy(() -> plain.restoreCheckpointArrays(normalised.checkpointArrays()))
                .isInstanceOf(CheckpointMismatchException.class).hasMessageContaining("nothing was restored");
        assertThat(normalised.checkpointMismatches(normalised.checkpointArrays())).isEmpty();
        assertThat(normalised.checkpointMismatches(Map.of())).hasSize(3);
    }

    @Test
    void theEmaNormalisesItsAverageWithTheTrainedGeneratorsVectors() {
        MultiLayerGenerator generator = MultiLayerGenerator.withSpectralNormalization(deconvolutionGenerator());
        // decay 0: the average is the latest weights, so with the trained vectors it is the trained generator
        GeneratorEma ema = GeneratorEma.of(generator, 0.0);
        INDArray latent = gaussian(5, 4, 5);
        for (int i = 0; i < 3; i++) {
            INDArray samples = generator.forward(latent);
            generator.backward(gaussian(6 + i, samples.shape()));
            generator.applyGradient();
            ema.update();
        }

        MultiLayerGenerator averaged = (MultiLayerGenerator) ema.averaged();
        assertThat(averaged.spectralNorms()).isNotEmpty();
        assertThat(averaged.generate(latent).equalsWithEps(generator.generate(latent), 1e-12)).isTrue();
        generator.checkpointArrays().forEach((name, u) ->
                assertThat(averaged.checkpointArrays().get(name).equalsWithEps(u, 0)).as(name).isTrue());
    }
}
