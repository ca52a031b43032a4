package org.wgan.core.constraint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.wgan.core.fixtures.TestArrays.uniform;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationLReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.ops.transforms.Transforms;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.LayerNormNetworks;
import org.wgan.dl4j.fixtures.ResamplingNetworks;
import org.wgan.dl4j.fixtures.TestNetworks;

class GradientPenaltyTest {

    private static MultiLayerCritic linearCritic(double w1, double w2) {
        MultiLayerNetwork network = TestNetworks.mlp(1, DataType.DOUBLE, new Sgd(1.0), Activation.IDENTITY, 2, 1);
        network.getLayer(0).setParam("W", Nd4j.create(new double[][] {{w1}, {w2}}));
        network.getLayer(0).setParam("b", Nd4j.zeros(DataType.DOUBLE, 1, 1));
        return MultiLayerCritic.of(network);
    }

    @Test
    void theReportedMeanGradientNormIsThePlainNormNotTheSmoothedOne() {
        MultiLayerCritic critic = linearCritic(3, 4);
        Random random = new Random(4);

        Penalty penalty = LipschitzConstraints.gradientPenalty(1.0).withEpsilon(24.0).penalty(critic,
                uniform(random, 3, 2), uniform(random, 3, 2), random, Nd4j.create(DataType.DOUBLE, 3));

        // ||g|| = ||(3, 4)|| = 5 at every point; the penalty uses sqrt(25 + 24) = 7: (7 - 1)^2 = 36
        assertThat(penalty.value()).isCloseTo(36.0, within(1e-12));
        assertThat(penalty.meanGradientNorm()).isCloseTo(5.0, within(1e-12));
    }

    @Test
    void linearCriticThreeFourGivesSixteenForAnyAlphaWithTheAnalyticGradient() {
        MultiLayerCritic critic = linearCritic(3, 4);
        Random random = new Random(1);
        for (int trial = 0; trial < 3; trial++) {
            INDArray gradient = Nd4j.create(DataType.DOUBLE, critic.numParameters());

            Penalty penalty = LipschitzConstraints.gradientPenalty(1.0)
                    .penalty(critic, uniform(random, 6, 2), uniform(random, 6, 2), random, gradient);

            // ||w|| = 5: (5 - 1)^2 = 16; d/dw = 2 (5 - 1) w / 5 = (4.8, 6.4); the bias gets nothing
            assertThat(penalty.value()).isCloseTo(16.0, within(1e-12));
            assertThat(penalty.meanGradientNorm()).isCloseTo(5.0, within(1e-12));
            assertThat(gradient.toDoubleVector()).containsExactly(new double[] {4.8, 6.4, 0.0},
                    within(1e-12));
            // added to the gradient already there (the objective's, in the trainer)
            LipschitzConstraints.gradientPenalty(1.0)
                    .penalty(critic, uniform(random, 6, 2), uniform(random, 6, 2), random, gradient);
            assertThat(gradient.toDoubleVector()).containsExactly(new double[] {9.6, 12.8, 0.0},
                    within(1e-12));
        }
    }

    @Test
    void aZeroInputGradientGivesTheFullPenaltyAndAFiniteZeroGradient() {
        // a critic with all weights 0 has g = 0 everywhere: P = (0 - 1)^2, and ||g|| has no gradient at 0
        MultiLayerCritic critic = linearCritic(0, 0);
        MultiLayerCritic floatCritic = MultiLayerCritic.of(
                TestNetworks.mlp(2, DataType.FLOAT, new Sgd(1.0), Activation.RELU, 2, 4, 1));
        floatCritic.parameters().assign(0.0);
        Random random = new Random(6);
        for (MultiLayerCritic c : new MultiLayerCritic[] {critic, floatCritic}) {
            INDArray gradient = Nd4j.create(c.dataType(), c.numParameters());

            Penalty penalty = LipschitzConstraints.gradientPenalty(1.0)
                    .penalty(c, uniform(random, 4, 2), uniform(random, 4, 2), random, gradient);

            assertThat(penalty.value()).isEqualTo(1.0);
            assertThat(gradient.toDoubleVector()).containsOnly(0.0);
        }
    }

    @Test
    void interpolatesEachSampleByItsOwnAlphaWhateverTheLayoutOfItsInputs() {
        // real in 'f' order, fake a column-sliced view: x + alpha (x~ - x) row by row
        INDArray real = Nd4j.create(new float[][] {{1, 2}, {3, 4}, {5, 6}}).dup('f');
        INDArray fake = Nd4j.create(new float[][] {{9, 11, 0}, {7, 8, 0}, {-5, 2, 0}})
                .get(NDArrayIndex.all(), NDArrayIndex.interval(0, 2));

        INDArray points = GradientPenalty.interpolate(real, fake, new double[] {0.0, 0.5, 1.0});

        assertThat(points.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(points.shape()).containsExactly(3, 2);
        assertThat(points.toFloatMatrix()).isDeepEqualTo(new float[][] {{1, 2}, {5, 6}, {-5, 2}});

        // rows 1-2 of bigger arrays: contiguous views at an offset, in double
        INDArray realRows = Nd4j.create(new double[][] {{0, 0}, {1, 2}, {3, 4}}).get(NDArrayIndex.interval(1, 3),
                NDArrayIndex.all());
        INDArray fakeRows = Nd4j.create(new double[][] {{9, 9}, {9, 9}, {5, 8}}).get(NDArrayIndex.interval(1, 3),
                NDArrayIndex.all());
        assertThat(realRows.offset()).isPositive();
        assertThat(GradientPenalty.interpolate(realRows, fakeRows, new double[] {0.5, 0.25}).toDoubleMatrix())
                .isDeepEqualTo(new double[][] {{5, 5.5}, {3.5, 5}});
    }

    @Test
    void aNonFiniteInputGradientGivesANonFinitePenaltyAndGradientInsteadOfHidingIt() {
        MultiLayerCritic critic = linearCritic(Double.NaN, 4);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        Random random = new Random(7);

        Penalty penalty = LipschitzConstraints.gradientPenalty(1.0)
                .penalty(critic, uniform(random, 3, 2), uniform(random, 3, 2), random, gradient);

        assertThat(penalty.value()).isNaN();
        assertThat(penalty.meanGradientNorm()).isNaN();
        assertThat(gradient.getDouble(0)).isNaN();
        assertThat(gradient.getDouble(1)).isNaN();
    }

    @Test
    void penaltyWeightScalesValueAndGradient() {
        MultiLayerCritic critic = linearCritic(3, 4);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, critic.numParameters());
        Random random = new Random(2);

        Penalty penalty = LipschitzConstraints.gradientPenalty()
                .penalty(critic, uniform(random, 4, 2), uniform(random, 4, 2), random, gradient);

        assertThat(penalty.value()).isCloseTo(160.0, within(1e-10));
        assertThat(gradient.toDoubleVector()).containsExactly(new double[] {48, 64, 0}, within(1e-10));
    }

    @Test
    void oneSidedPenaltyIsZeroBelowTheTargetNormAndTwoSidedIsNot() {
        MultiLayerCritic critic = linearCritic(0.3, 0.4);
        Random random = new Random(3);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, critic.numParameters()).assign(7.0);

        Penalty oneSided = LipschitzConstraints.gradientPenalty(1.0).oneSided()
                .penalty(critic, uniform(random, 4, 2), uniform(random, 4, 2), random, gradient);

        assertThat(oneSided.value()).isZero();
        assertThat(gradient.toDoubleVector()).as("adds a zero gradient to what was there").containsOnly(7.0);
        Penalty twoSided = LipschitzConstraints.gradientPenalty(1.0)
                .penalty(critic, uniform(random, 4, 2), uniform(random, 4, 2), random, gradient);
        assertThat(twoSided.value()).isCloseTo(0.25, within(1e-12));
    }

    @Test
    void targetNormAndEpsilonEnterTheNorm() {
        MultiLayerCritic critic = linearCritic(3, 4);
        Random random = new Random(4);
        INDArray gradient = Nd4j.create(DataType.DOUBLE, critic.numParameters());

        Penalty penalty = LipschitzConstraints.gradientPenalty(1.0).withTargetNorm(2.0).withEpsilon(11.0)
                .penalty(critic, uniform(random, 4, 2), uniform(random, 4, 2), random, gradient);

        // sqrt(25 + 11) = 6: (6 - 2)^2 = 16; d/dw = 2 (6 - 2) w / 6
        assertThat(penalty.value()).isCloseTo(16.0, within(1e-12));
        assertThat(gradient.toDoubleVector()).containsExactly(new double[] {4.0, 16.0 / 3, 0}, within(1e-12));
    }

    static Stream<Activation> activations() {
        return Stream.of(Activation.IDENTITY, Activation.RELU, Activation.LEAKYRELU, Activation.TANH,
                Activation.SIGMOID, Activation.ELU, Activation.SOFTPLUS);
    }

    @ParameterizedTest
    @MethodSource("activations")
    void parameterGradientMatchesCentralDifferencesForEveryActivation(Activation activation) {
        MultiLayerNetwork network = TestNetworks.mlp(7, DataType.DOUBLE, new Sgd(0.1), activation, 3, 6, 5, 1);

        assertPenaltyGradientMatchesFiniteDifferences(MultiLayerCritic.of(network), 3);
    }

    @Test
    void parameterGradientMatchesCentralDifferencesForAMixedStack() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(11).dataType(DataType.DOUBLE).updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(6).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(new ActivationLReLU(0.2)).build())
                .layer(new DenseLayer.Builder().nIn(6).nOut(5).activation(Activation.TANH).build())
                .layer(new DenseLayer.Builder().nIn(5).nOut(4).activation(Activation.SOFTPLUS).hasBias(false).build())
                .layer(new ActivationLayer.Builder().activation(Activation.ELU).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();

        assertPenaltyGradientMatchesFiniteDifferences(MultiLayerCritic.of(network), 4);
    }

    @Test
    void parameterGradientMatchesCentralDifferencesForAStridedConvolutionStack() {
        // conv stride 2 (truncate, padding 1) -> LeakyReLU -> dense -> tanh -> dense, on [batch, 2, 6, 6] input
        MultiLayerNetwork network = TestNetworks.stridedConvolutionCritic();

        assertPenaltyGradientMatchesFiniteDifferences(MultiLayerCritic.of(network), 2, 6, 6);
    }

    @Test
    void parameterGradientMatchesCentralDifferencesForSameModeConvolutionsOnFlatInput() {
        // flat [batch, 50] input reshaped to [batch, 2, 5, 5]; same mode, stride 2 on an odd size; softplus, ELU
        MultiLayerNetwork network = TestNetworks.sameModeConvolutionCritic(Activation.ELU);

        assertPenaltyGradientMatchesFiniteDifferences(MultiLayerCritic.of(network), 50);
    }

    static Stream<Arguments> resamplingCritics() {
        return Stream.of(
                Arguments.of("upsampling", ResamplingNetworks.upsamplingCritic(DataType.DOUBLE), new long[] {2, 3, 3}),
                Arguments.of("average pooling, pad in divisor",
                        ResamplingNetworks.averagePoolingCritic(DataType.DOUBLE, true), new long[] {2, 7, 7}),
                Arguments.of("average pooling, pad not in divisor",
                        ResamplingNetworks.averagePoolingCritic(DataType.DOUBLE, false), new long[] {2, 7, 7}),
                Arguments.of("global average pooling",
                        ResamplingNetworks.globalPoolingCritic(DataType.DOUBLE, PoolingType.AVG), new long[] {2, 5, 4}),
                Arguments.of("global sum pooling",
                        ResamplingNetworks.globalPoolingCritic(DataType.DOUBLE, PoolingType.SUM), new long[] {2, 5, 4}),
                Arguments.of("deconvolutions, truncate and same",
                        ResamplingNetworks.deconvolutionCritic(DataType.DOUBLE), new long[] {2, 3, 4}),
                Arguments.of("same-mode deconvolutions, explicit and not",
                        ResamplingNetworks.sameModeDeconvolutionCritic(DataType.DOUBLE), new long[] {2, 3, 4}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("resamplingCritics")
    void parameterGradientMatchesCentralDifferencesForUpsamplingPoolingAndDeconvolution(String name,
            MultiLayerNetwork network, long[] features) {
        assertPenaltyGradientMatchesFiniteDifferences(MultiLayerCritic.of(network), features);
    }

    @ParameterizedTest
    @MethodSource("piecewiseLinear")
    void float32PenaltyAgreesWithFloat64(Activation activation) {
        // float32 dense stacks take the SIMD loops for bias, activation and s'(z) * delta; float64 the ND4J ops
        assertFloat32PenaltyAgreesWithFloat64(
                TestNetworks.mlp(8, DataType.DOUBLE, new Sgd(0.1), activation, 3, 37, 21, 1), 10, 3);
    }

    @Test
    void float32PenaltyOfConvolutionsOnOneDnnAgreesWithFloat64() {
        // float32 convolutions run on oneDNN with the leaky rectifier and the bias inside its primitives (s'(z)
        // read from s(z)) and the bias gradient inside its weight gradient; float64 on libnd4j's ops
        assertFloat32PenaltyAgreesWithFloat64(TestNetworks.dcganStyleCritic(DataType.DOUBLE, 8, 16), 10, 64);
    }

    /** The penalty and its parameter gradient of a float32 copy of a float64 critic at points of a shape, to 1e-5. */
    private static void assertFloat32PenaltyAgreesWithFloat64(MultiLayerNetwork network64, long... pointShape) {
        MultiLayerNetwork network32 = network64.clone().convertDataType(DataType.FLOAT);
        INDArray points = uniform(new Random(6), pointShape).muli(1.5);
        GradientPenalty penalty = LipschitzConstraints.gradientPenalty(10.0);
        INDArray gradient64 = Nd4j.create(DataType.DOUBLE, network64.numParams());
        INDArray gradient32 = Nd4j.create(DataType.FLOAT, network32.numParams());

        double value64 = penalty.penaltyAt(points, MultiLayerCritic.of(network64), gradient64).value();
        double value32 = penalty.penaltyAt(points.castTo(DataType.FLOAT), MultiLayerCritic.of(network32), gradient32)
                .value();

        assertThat(value32).isCloseTo(value64, within(1e-5 * Math.abs(value64)));
        double scale = gradient64.amaxNumber().doubleValue();
        double difference = gradient32.castTo(DataType.DOUBLE).sub(gradient64).amaxNumber().doubleValue();
        assertThat(difference / scale).isLessThan(1e-5);
    }

    static Stream<Arguments> layerNormCritics() {
        return Stream.of(
                Arguments.of("tanh", LayerNormNetworks.oneLayer(41, DataType.DOUBLE, Activation.TANH, true, 3, 6),
                        new long[] {3}),
                Arguments.of("ELU", LayerNormNetworks.oneLayer(42, DataType.DOUBLE, Activation.ELU, true, 3, 6),
                        new long[] {3}),
                Arguments.of("softplus, no bias",
                        LayerNormNetworks.oneLayer(43, DataType.DOUBLE, Activation.SOFTPLUS, false, 3, 6),
                        new long[] {3}),
                // s'' = 0: only the normalisation's own second-order term reaches the earlier parameters
                Arguments.of("ReLU", LayerNormNetworks.oneLayer(44, DataType.DOUBLE, Activation.RELU, true, 3, 6),
                        new long[] {3}),
                Arguments.of("LeakyReLU, no bias",
                        LayerNormNetworks.oneLayer(45, DataType.DOUBLE, Activation.LEAKYRELU, false, 3, 6),
                        new long[] {3}),
                Arguments.of("two layer-norm layers, tanh and ELU", LayerNormNetworks.twoLayers(46, DataType.DOUBLE,
                        new Sgd(0.1), Activation.TANH, Activation.ELU, 3), new long[] {3}),
                Arguments.of("two layer-norm layers, ReLU and softplus", LayerNormNetworks.twoLayers(47,
                        DataType.DOUBLE, new Sgd(0.1), Activation.RELU, Activation.SOFTPLUS, 3), new long[] {3}),
                Arguments.of("after a convolution and reshape", LayerNormNetworks.afterConvolution(48,
                        DataType.DOUBLE), new long[] {2, 5, 5}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layerNormCritics")
    void parameterGradientMatchesCentralDifferencesWithLayerNormalisationGainsIncluded(String name,
            MultiLayerNetwork network, long[] features) {
        MultiLayerCritic critic = MultiLayerCritic.of(network);

        assertPenaltyGradientMatchesFiniteDifferences(critic, features);
    }

    @ParameterizedTest
    @MethodSource("piecewiseLinear")
    void float32PenaltyWithLayerNormalisationAgreesWithFloat64(Activation activation) {
        assertFloat32PenaltyAgreesWithFloat64(LayerNormNetworks.twoLayers(49, DataType.DOUBLE, new Sgd(0.1),
                activation, Activation.TANH, 3), 10, 3);
    }

    @Test
    void aLayerNormCriticTrainsWithThePenaltyEveryParameterMovingAndStayingFinite() {
        MultiLayerNetwork network = LayerNormNetworks.twoLayers(50, DataType.FLOAT, Optimizers.wganGp(),
                Activation.LEAKYRELU, Activation.TANH, 2);
        MultiLayerCritic critic = MultiLayerCritic.of(network);
        List<INDArray> initial = trainedBlocks(network).stream().map(INDArray::dup).toList();
        WganTrainer trainer = WganTrainer.builder()
                .generator(MultiLayerGenerator.of(
                        TestNetworks.mlp(51, DataType.FLOAT, Optimizers.wganGp(), Activation.TANH, 2, 8, 2)))
                .critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.gradientPenalty())
                .realSamples(ToyDatasets.eightGaussians())
                .criticStepsPerGeneratorStep(2)
                .batchSize(16)
                .build();

        for (int step = 0; step < 3; step++) {
            trainer.step();
        }

        INDArray after = critic.parameters();
        assertThat(after.isInfinite().any() || after.isNaN().any()).isFalse();
        // every parameter, each gain included, has moved
        List<INDArray> moved = trainedBlocks(network);
        for (int i = 0; i < moved.size(); i++) {
            assertThat(Transforms.abs(moved.get(i).sub(initial.get(i))).minNumber().doubleValue()).isPositive();
        }
    }

    /** Every parameter block but the output bias, which neither the Wasserstein loss nor the penalty depends on. */
    private static List<INDArray> trainedBlocks(MultiLayerNetwork network) {
        List<INDArray> blocks = new ArrayList<>();
        for (int i = 0; i < network.getnLayers(); i++) {
            for (var entry : network.getLayer(i).paramTable().entrySet()) {
                if (i < network.getnLayers() - 1 || !entry.getKey().equals("b")) {
                    blocks.add(entry.getValue());
                }
            }
        }
        assertThat(blocks).hasSize(6);
        return blocks;
    }

    static Stream<Activation> piecewiseLinear() {
        return Stream.of(Activation.RELU, Activation.LEAKYRELU, Activation.IDENTITY);
    }

    /** Central differences of the penalty at fixed points (alpha fixed), float64, relative error below 1e-6. */
    private static void assertPenaltyGradientMatchesFiniteDifferences(MultiLayerCritic critic, long... features) {
        GradientPenalty penalty = LipschitzConstraints.gradientPenalty(10.0);
        long[] shape = new long[features.length + 1];
        shape[0] = 8;
        System.arraycopy(features, 0, shape, 1, features.length);
        INDArray points = uniform(new Random(5), shape).muli(1.5);
        // the double backprop differentiates the same function DL4J computes
        org.wgan.core.TwiceDifferentiableCritic.InputGradient inputGradient = critic.inputGradient(points);
        INDArray ones = Nd4j.onesLike(critic.score(points));
        INDArray dl4jInputGradient = TestNetworks.dl4jBackprop(critic.network(), points, ones)
                .inputGradient();
        assertThat(inputGradient.scores().equalsWithEps(critic.score(points), 1e-12)).isTrue();
        // 1e-8, not 1e-12: DL4J's native LeakyReLU derivative carries its alpha in float32
        double difference = inputGradient.value().sub(dl4jInputGradient).amaxNumber().doubleValue();
        assertThat(difference).isLessThan(1e-8);

        TestNetworks.assertPenaltyGradientMatchesCentralDifferences(critic, points);
    }

    @Test
    void zeroPenaltyWeightGivesExactlyThePlainWassersteinUpdate() {
        MultiLayerCritic plain = trainedOnce(LipschitzConstraints.weightClipping(1e9));
        MultiLayerCritic penalised = trainedOnce(LipschitzConstraints.gradientPenalty(0.0));

        assertThat(penalised.parameters()).isEqualTo(plain.parameters());
    }

    private static MultiLayerCritic trainedOnce(LipschitzConstraint constraint) {
        MultiLayerCritic critic = MultiLayerCritic.of(
                TestNetworks.mlp(21, DataType.DOUBLE, Optimizers.wganGp(), Activation.TANH, 2, 8, 1));
        WganTrainer.builder()
                .generator(MultiLayerGenerator.of(
                        TestNetworks.mlp(22, DataType.DOUBLE, Optimizers.wganGp(), Activation.TANH, 2, 8, 2)))
                .critic(critic)
                .objective(new MeanDifferenceObjective())
                .constraint(constraint)
                .realSamples(ToyDatasets.eightGaussians())
                .criticStepsPerGeneratorStep(1)
                .batchSize(16)
                .build()
                .step();
        return critic;
    }

    @Test
    void trainerReportsThePenaltyAndTheMeanGradientNormToListeners() {
        List<CriticStepEvent> events = new ArrayList<>();
        WganTrainer.builder()
                .generator(MultiLayerGenerator.of(
                        TestNetworks.mlp(23, DataType.DOUBLE, new NoOp(), Activation.TANH, 2, 4, 2)))
                .critic(linearCritic(3, 4))
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.gradientPenalty(1.0))
                .realSamples(ToyDatasets.eightGaussians())
                .criticStepsPerGeneratorStep(1)
                .listener(new TrainerListener() {
                    @Override
                    public void onCriticStep(CriticStepEvent event, StopHandle stop) {
                        events.add(event);
                    }
                })
                .build()
                .step();

        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.penalty()).isCloseTo(16.0, within(1e-12));
            assertThat(e.meanGradientNorm()).isCloseTo(5.0, within(1e-12));
        });
    }

    @Test
    void criticWithBatchNormalizationIsRejectedWhenTheTrainerIsBuilt() {
        MultiLayerNetwork network = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.RELU).build())
                .layer(new BatchNormalization.Builder().nOut(4).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        network.init();

        assertThatThrownBy(() -> WganTrainer.builder()
                .generator(MultiLayerGenerator.of(
                        TestNetworks.mlp(24, DataType.FLOAT, new Sgd(0.1), Activation.TANH, 2, 4, 2)))
                .critic(MultiLayerCritic.of(network))
                .objective(new MeanDifferenceObjective())
                .constraint(LipschitzConstraints.gradientPenalty())
                .realSamples(ToyDatasets.eightGaussians())
                .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("critic layer 1 (BatchNormalization) cannot be differentiated twice for the"
                        + " gradient penalty")
                .hasMessageContaining("no batch normalisation in a penalised critic");
    }

    @Test
    void dropoutAndUnsupportedActivationsAreRejectedNamingTheLayer() {
        MultiLayerNetwork dropout = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new DenseLayer.Builder().nIn(2).nOut(4).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(4).dropOut(0.5).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nIn(4).nOut(1).activation(Activation.IDENTITY).build())
                .build());
        dropout.init();
        MultiLayerNetwork softsign = TestNetworks.mlp(25, DataType.FLOAT, new Sgd(0.1), Activation.SOFTSIGN, 2, 4, 1);

        assertThatThrownBy(() -> LipschitzConstraints.gradientPenalty().validate(MultiLayerCritic.of(dropout)))
                .hasMessageStartingWith("critic layer 1 (DenseLayer) cannot be differentiated twice")
                .hasMessageContaining("dropout");
        assertThatThrownBy(() -> LipschitzConstraints.gradientPenalty().validate(MultiLayerCritic.of(softsign)))
                .hasMessageStartingWith("critic layer 0 (DenseLayer) cannot be differentiated twice")
                .hasMessageContaining("softsign");
    }

    @Test
    void rejectsNegativeOrNaNSettingsNamingTheField() {
        assertThatThrownBy(() -> LipschitzConstraints.gradientPenalty(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("penaltyWeight must be finite and >= 0, but was -1.0");
        assertThatThrownBy(() -> LipschitzConstraints.gradientPenalty(Double.NaN))
                .hasMessage("penaltyWeight must be finite and >= 0, but was NaN");
        assertThatThrownBy(() -> LipschitzConstraints.gradientPenalty().withTargetNorm(Double.POSITIVE_INFINITY))
                .hasMessage("targetNorm must be finite and >= 0, but was Infinity");
        assertThatThrownBy(() -> LipschitzConstraints.gradientPenalty().withEpsilon(-1e-9))
                .hasMessage("epsilon must be finite and >= 0, but was -1.0E-9");
    }
}
