package org.wgan.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.SampleSource;
import org.wgan.core.data.SampleSources;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

/**
 * Issue #16, "nothing lost, nothing silent": every input the library used to take too late (a libnd4j "Op [matmul]
 * execution failed"), silently (DL4J's learning-rate fallbacks, a stale input gradient) or never (an iterator of
 * empty DataSets) fails at once with a message that names the part and the values.
 */
class BadInputTest {

    private static MultiLayerCritic denseCritic(int... sizes) {
        return MultiLayerCritic.of(TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, sizes));
    }

    @Nested
    class CriticInputShapes {

        private final MultiLayerCritic critic = denseCritic(3, 5, 1);

        @Test
        void aWrongWidthNamesTheCriticTheLayerAndBothSizes() {
            String message = "critic input [4, 4] does not fit layer 0 (DenseLayer): it expects [batch, 3] (nIn 3)";

            assertThatIllegalArgumentException().isThrownBy(() -> critic.forward(Nd4j.rand(DataType.DOUBLE, 4, 4)))
                    .withMessage(message);
            assertThatIllegalArgumentException().isThrownBy(() -> critic.score(Nd4j.rand(DataType.DOUBLE, 4, 4)))
                    .withMessage(message);
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> critic.inputGradient(Nd4j.rand(DataType.DOUBLE, 4, 4)))
                    .withMessage(message);
        }

        @Test
        void rankOneDataIsRefusedForItsMissingBatchAxis() {
            assertThatIllegalArgumentException().isThrownBy(() -> critic.forward(Nd4j.rand(DataType.DOUBLE, 3)))
                    .withMessage("critic input [3] does not fit layer 0 (DenseLayer): it expects [batch, 3] (nIn 3),"
                            + " but a rank-1 array has no batch axis; reshape one sample to [1, ...] and a batch of"
                            + " scalars to [batch, 1]");
        }

        @Test
        void aGoodShapeStillPassesAfterABadOneAndAtAnyBatchSize() {
            assertThatIllegalArgumentException().isThrownBy(() -> critic.forward(Nd4j.rand(DataType.DOUBLE, 4, 4)));

            assertThat(critic.forward(Nd4j.rand(DataType.DOUBLE, 4, 3)).shape()).containsExactly(4, 1);
            assertThat(critic.score(Nd4j.rand(DataType.DOUBLE, 9, 3)).shape()).containsExactly(9, 1);
        }

        @Test
        void wrongChannelsOfAConvolutionalCriticAreNamedAtItsFirstLayer() {
            MultiLayerCritic conv = MultiLayerCritic.of(TestNetworks.stridedConvolutionCritic());

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv.forward(Nd4j.rand(DataType.DOUBLE, 2, 3, 6, 6)))
                    .withMessage("critic input [2, 3, 6, 6] does not fit layer 0 (ConvolutionLayer): it expects"
                            + " [batch, 2, height, width] (NCHW, nIn 2 channels)");
        }

        @Test
        void aWrongImageSizeIsNamedWhereItStopsFittingWithWhatTheLayerBeforeGives() {
            MultiLayerCritic conv = MultiLayerCritic.of(TestNetworks.stridedConvolutionCritic());

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> conv.forward(Nd4j.rand(DataType.DOUBLE, 2, 2, 7, 7)))
                    .withMessage("critic input [2, 2, 7, 7] does not fit layer 1 (DenseLayer): it expects"
                            + " [batch, 3, 3, 3] (its CnnToFeedForwardPreProcessor: channels, height, width) or"
                            + " [batch, 27], but layer 0 (ConvolutionLayer) gives [batch, 3, 4, 4] for this input");
        }

        @Test
        void aFlatImageCriticNamesBothFormsItTakes() {
            MultiLayerCritic flat = MultiLayerCritic.of(TestNetworks.sameModeConvolutionCritic(Activation.TANH));

            assertThatIllegalArgumentException().isThrownBy(() -> flat.forward(Nd4j.rand(DataType.DOUBLE, 2, 49)))
                    .withMessage("critic input [2, 49] does not fit layer 0 (ConvolutionLayer): it expects"
                            + " [batch, 50] or [batch, 2, 5, 5] (its FeedForwardToCnnPreProcessor: channels, height,"
                            + " width)");
            assertThat(flat.forward(Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5)).shape()).containsExactly(2, 1);
        }

        @Test
        void dl4jsOwnPathGetsTheSameMessage() {
            MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(3).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).list()
                    .layer(new DenseLayer.Builder().nIn(3).nOut(4).activation(Activation.TANH).build())
                    // dropout keeps the network on DL4J's own path
                    .layer(new DenseLayer.Builder().nIn(4).nOut(4).dropOut(0.9).activation(Activation.TANH)
                            .build())
                    .layer(new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                    .build());
            network.init();
            MultiLayerCritic withDropout = MultiLayerCritic.of(network);

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> withDropout.forward(Nd4j.rand(DataType.DOUBLE, 4, 2)))
                    .withMessage("critic input [4, 2] does not fit layer 0 (DenseLayer): it expects [batch, 3]"
                            + " (nIn 3)");
        }

        @Test
        void theTrainerFailsOnTheFirstBatchWithTheCriticsMessage() {
            WganTrainer trainer = WganTrainer.builder()
                    .generator(MultiLayerGenerator.of(
                            TestNetworks.mlp(2, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 2, 4, 2)))
                    .critic(denseCritic(3, 4, 1))
                    .objective(new MeanDifferenceObjective())
                    .constraint(LipschitzConstraints.weightClipping())
                    .realSamples(ToyDatasets.eightGaussians())
                    .batchSize(8)
                    .build();

            assertThatIllegalArgumentException().isThrownBy(trainer::step)
                    .withMessage("critic input [16, 2] does not fit layer 0 (DenseLayer): it expects [batch, 3]"
                            + " (nIn 3)");
        }
    }

    @Nested
    class IteratorSources {

        @Test
        void anIteratorOfEmptyDataSetsFailsAfterOnePassInsteadOfLoopingForever() {
            DataSet empty = new DataSet(Nd4j.create(DataType.FLOAT, 0, 2), Nd4j.create(DataType.FLOAT, 0, 1));
            SampleSource source = SampleSources.of(new FixedIterator("three empty DataSets", empty, empty, empty));

            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatIllegalStateException()
                    .isThrownBy(() -> source.next(4, new Random(1)))
                    .withMessage("data set iterator three empty DataSets yields no rows: a whole pass after reset()"
                            + " gave only DataSets with 0 examples"));
        }

        @Test
        void emptyDataSetsBetweenFullOnesAreSkipped() {
            DataSet empty = new DataSet(Nd4j.create(DataType.FLOAT, 0, 2), Nd4j.create(DataType.FLOAT, 0, 1));
            DataSet rows = new DataSet(Nd4j.create(new float[] {1, 2, 3, 4}, new long[] {2, 2}, 'c'), null);
            SampleSource source = SampleSources.of(new FixedIterator("mixed", empty, rows, empty));

            assertThat(source.next(3, new Random(1)).toDoubleMatrix())
                    .isDeepEqualTo(new double[][] {{1, 2}, {3, 4}, {1, 2}});
        }

        @Test
        void aLabelsOnlyDataSetIsNamedInsteadOfAnNpe() {
            DataSet labelsOnly = new DataSet(null, Nd4j.create(DataType.FLOAT, 4, 1));
            SampleSource source = SampleSources.of(new FixedIterator("labels only", labelsOnly));

            assertThatIllegalStateException().isThrownBy(() -> source.next(4, new Random(1)))
                    .withMessage("data set iterator labels only gave a DataSet without features (labels [4, 1]);"
                            + " the real samples are its features");
        }
    }

    @Nested
    class TrainerSources {

        private WganTrainer trainerOn(String name, SampleSource source, int nIn) {
            SampleSource named = new SampleSource() {
                @Override
                public INDArray next(int batchSize, Random random) {
                    return source.next(batchSize, random);
                }

                @Override
                public String toString() {
                    return name;
                }
            };
            return WganTrainer.builder()
                    .generator(MultiLayerGenerator.of(
                            TestNetworks.mlp(2, DataType.DOUBLE, new Sgd(0.1), Activation.TANH, 2, 4, nIn)))
                    .critic(denseCritic(nIn, 4, 1))
                    .objective(new MeanDifferenceObjective())
                    .constraint(LipschitzConstraints.weightClipping())
                    .realSamples(named)
                    .batchSize(8)
                    .build();
        }

        @Test
        void aSourceReturningNullIsNamed() {
            WganTrainer trainer = trainerOn("nullSource", (batch, random) -> null, 2);

            assertThatIllegalStateException().isThrownBy(trainer::step)
                    .withMessage("real sample source nullSource returned null from next(8, random); it must return a"
                            + " batch [8, ...]");
        }

        @Test
        void aSourceReturningZeroRowsIsNamedNotTheLatentSampler() {
            WganTrainer trainer = trainerOn("noRows", (batch, random) -> Nd4j.create(DataType.FLOAT, 0, 2), 2);

            assertThatIllegalStateException().isThrownBy(trainer::step)
                    .withMessage("real sample source noRows returned 0 rows (shape [0, 2]) from next(8, random); it"
                            + " must return a batch [8, ...]");
        }

        @Test
        void aSourceReturningRankOneDataIsNamed() {
            WganTrainer trainer = trainerOn("flat", (batch, random) -> Nd4j.rand(DataType.FLOAT, batch), 1);

            assertThatIllegalStateException().isThrownBy(trainer::step)
                    .withMessage("real sample source flat returned a rank-1 array [8] from next(8, random); it must"
                            + " return a batch [8, ...] with a batch axis; reshape 1-D data to [batch, 1]");
        }

        @Test
        void aSourceReturningAnotherBatchSizeIsNamed() {
            WganTrainer trainer = trainerOn("short", (batch, random) -> Nd4j.rand(DataType.FLOAT, 5, 2), 2);

            assertThatIllegalStateException().isThrownBy(trainer::step)
                    .withMessage("real sample source short returned 5 rows (shape [5, 2]) from next(8, random); it"
                            + " must return a batch [8, ...]");
        }

        @Test
        void anIteratorSourceNamesItsIterator() {
            assertThat(SampleSources.of(new FixedIterator("fixed"))).hasToString("SampleSources.of(fixed)");
        }
    }

    @Nested
    class LearningRates {

        private MultiLayerNetwork mlp(IUpdater updater) {
            return TestNetworks.mlp(1, DataType.DOUBLE, updater, Activation.TANH, 2, 3, 1);
        }

        @Test
        void aZeroLearningRateIsRefusedWhenTheCriticIsWrapped() {
            assertThatIllegalArgumentException().isThrownBy(() -> MultiLayerCritic.of(mlp(new Sgd(0.0))))
                    .withMessage("critic layer 0 (DenseLayer) Sgd learningRate for W must be finite and > 0, but was"
                            + " 0.0");
        }

        @Test
        void aNanLearningRateIsRefusedWhenTheGeneratorIsWrapped() {
            // DL4J's Adam would replace it by its epsilon, 1e-8, and train on without a word
            assertThatIllegalArgumentException().isThrownBy(() -> MultiLayerGenerator.of(mlp(new Adam(Double.NaN))))
                    .withMessage("generator layer 0 (DenseLayer) Adam learningRate for W must be finite and > 0, but"
                            + " was NaN");
        }

        @Test
        void aNegativeLearningRateOfALaterLayerIsNamedWithItsIndex() {
            MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                    .seed(3).dataType(DataType.DOUBLE).updater(Optimizers.wgan()).list()
                    .layer(new DenseLayer.Builder().nIn(2).nOut(3).activation(Activation.TANH).build())
                    .layer(new DenseLayer.Builder().nIn(3).nOut(1).activation(Activation.IDENTITY)
                            .updater(new RmsProp(-1e-3)).build())
                    .build());
            network.init();

            assertThatIllegalArgumentException().isThrownBy(() -> MultiLayerCritic.of(network))
                    .withMessage("critic layer 1 (DenseLayer) RmsProp learningRate for W must be finite and > 0, but"
                            + " was -0.001");
        }

        @Test
        void noOpStillFreezesANetwork() {
            MultiLayerCritic frozen = MultiLayerCritic.of(mlp(new NoOp()));

            assertThat(frozen.numParameters()).isEqualTo(13);
        }
    }

    @Nested
    class InputGradientContract {

        private final MultiLayerCritic critic = denseCritic(2, 4, 1);
        private final INDArray first = Nd4j.rand(DataType.DOUBLE, 5, 2);
        private final INDArray second = Nd4j.rand(DataType.DOUBLE, 5, 2).addi(3);
        private static final String STALE = "this InputGradient is stale: critic.inputGradient(...) or"
                + " applyGradient() ran on the same critic after it was taken, and its buffers now hold other data;"
                + " an InputGradient is valid only until the next of those calls";

        @Test
        void aSecondCallMakesTheFirstStaleInsteadOfOverwritingIt() {
            InputGradient stale = critic.inputGradient(first);
            InputGradient current = critic.inputGradient(second);
            INDArray gradient = Nd4j.create(DataType.DOUBLE, critic.numParameters());

            assertThatIllegalStateException().isThrownBy(stale::value).withMessage(STALE);
            assertThatIllegalStateException().isThrownBy(stale::scores).withMessage(STALE);
            assertThatIllegalStateException()
                    .isThrownBy(() -> stale.addParameterGradient(Nd4j.ones(DataType.DOUBLE, 5, 2), gradient))
                    .withMessage(STALE);
            current.addParameterGradient(Nd4j.ones(DataType.DOUBLE, 5, 2), gradient);
            assertThat(gradient.norm2Number().doubleValue()).isPositive();
        }

        @Test
        void aCallWithAnotherShapeMakesItStaleToo() {
            InputGradient stale = critic.inputGradient(first);
            critic.inputGradient(Nd4j.rand(DataType.DOUBLE, 3, 2));

            assertThatIllegalStateException().isThrownBy(stale::value).withMessage(STALE);
        }

        @Test
        void anOptimizerUpdateMakesItStale() {
            InputGradient stale = critic.inputGradient(first);
            critic.forward(first);
            critic.backward(Nd4j.ones(DataType.DOUBLE, 5, 1));
            critic.applyGradient();

            assertThatIllegalStateException().isThrownBy(stale::value).withMessage(STALE);
        }

        @Test
        void aParameterGradientOfAnotherTypeNamesBothTypes() {
            InputGradient gradient = critic.inputGradient(first);

            assertThatIllegalArgumentException().isThrownBy(() -> gradient.addParameterGradient(
                    Nd4j.ones(DataType.DOUBLE, 5, 2), Nd4j.create(DataType.FLOAT, critic.numParameters())))
                    .withMessage("parameterGradient must have the critic's data type DOUBLE, but was FLOAT");
        }

        @Test
        void aParameterGradientOfAnotherLengthNamesBothLengths() {
            InputGradient gradient = critic.inputGradient(first);

            assertThatIllegalArgumentException().isThrownBy(() -> gradient.addParameterGradient(
                    Nd4j.ones(DataType.DOUBLE, 5, 2), Nd4j.create(DataType.DOUBLE, 4)))
                    .withMessage("parameterGradient must have the critic's 17 elements, but had 4");
        }
    }

    /** A resettable iterator over fixed DataSets, named by {@code toString()}. */
    private static final class FixedIterator implements DataSetIterator {
        private final String name;
        private final List<DataSet> data;
        private int next;

        FixedIterator(String name, DataSet... data) {
            this.name = name;
            this.data = List.of(data);
        }

        @Override
        public DataSet next(int num) {
            return next();
        }

        @Override
        public DataSet next() {
            return data.get(next++);
        }

        @Override
        public boolean hasNext() {
            return next < data.size();
        }

        @Override
        public void reset() {
            next = 0;
        }

        @Override
        public boolean resetSupported() {
            return true;
        }

        @Override
        public boolean asyncSupported() {
            return false;
        }

        @Override
        public int inputColumns() {
            return 2;
        }

        @Override
        public int totalOutcomes() {
            return 1;
        }

        @Override
        public int batch() {
            return 1;
        }

        @Override
        public void setPreProcessor(DataSetPreProcessor preProcessor) {
            throw new UnsupportedOperationException();
        }

        @Override
        public DataSetPreProcessor getPreProcessor() {
            return null;
        }

        @Override
        public List<String> getLabels() {
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
