package org.wgan.examples.fashion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.Generator;
import org.wgan.core.ParameterBlock;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.metrics.ClassHistogram;

class FashionEvaluationTest {

    private static final int SAMPLES = 1_000;
    private static final int TROUSER = 1;

    private static FashionMnist data;
    private static FashionClassifier classifier;
    private static double floor;

    @BeforeAll
    static void trainSmallClassifier() {
        FashionFixtures.assumeInstalled();
        data = FashionFixtures.data();
        classifier = FashionFixtures.smallClassifier().classifier();
        floor = FashionEvaluation.referenceFloor(classifier, data, SAMPLES, 1);
    }

    /** A stand-in generator: ignores the latent values and returns {@code images.apply(n)} for n latent rows. */
    private record StubGenerator(IntFunction<INDArray> images) implements Generator {
        @Override
        public int latentSize() {
            return 8;
        }

        @Override
        public INDArray generate(INDArray latent) {
            return images.apply((int) latent.size(0));
        }

        @Override
        public INDArray forward(INDArray latent) {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public void backward(INDArray sampleGradient) {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public INDArray parameters() {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public INDArray gradient() {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public List<ParameterBlock> parameterBlocks() {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public void applyGradient() {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public long updateCount() {
            return 0;
        }

        @Override
        public INDArray optimizerState() {
            throw new UnsupportedOperationException("a stub does not train");
        }

        @Override
        public DataType dataType() {
            return DataType.FLOAT;
        }
    }

    private static INDArray testImages(int count) {
        return data.images(FashionMnist.Split.TEST).get(NDArrayIndex.interval(0, count));
    }

    /** Returns test images in a seeded random order, [n, 784], as a generator that had learnt the data would. */
    private static Generator realTestImages(long seed) {
        INDArray pixels = data.images(FashionMnist.Split.TEST).reshape(data.testSize(), 784);
        Random random = new Random(seed);
        return new StubGenerator(n -> {
            int[] rows = new int[n];
            Arrays.setAll(rows, i -> random.nextInt(data.testSize()));
            return Nd4j.pullRows(pixels, 1, rows);
        });
    }

    /** Returns one trouser image over and over: a generator collapsed onto a single mode. */
    private static Generator oneTrouser() {
        int[] labels = data.labels(FashionMnist.Split.TEST);
        int index = 0;
        while (labels[index] != TROUSER) {
            index++;
        }
        INDArray trouser = data.images(FashionMnist.Split.TEST).slice(index).reshape(1, 1, 28, 28);
        return new StubGenerator(n -> trouser.repeat(0, n));
    }

    @Test
    void realImagesScoreAboutTheFloorWithTheClassesOfTheTestSplit() {
        // measured: 0.610 against a floor of 0.501 at 1,000 samples
        FashionEvaluation evaluation = FashionEvaluation.of(realTestImages(3), classifier, data, SAMPLES, 1);

        assertThat(evaluation.frechetDistance()).isLessThan(1.5 * floor);
        // the small classifier all but never predicts "Shirt" (0.9% of the test split), so the shares are compared
        // with what it predicts for 2,000 test images; FashionClassifierAccuracyTest checks the default classifier's
        // shares against uniform
        double[] shares = evaluation.classHistogram().shares();
        double[] testSplit = ClassHistogram.of(classifier.predict(testImages(2_000)), 10).shares();
        for (int c = 0; c < 10; c++) {
            assertThat(shares[c]).as("class %d in %s", c, evaluation).isBetween(testSplit[c] / 2, testSplit[c] * 2);
        }
        assertThat(evaluation.classHistogram().maxShareRatio()).isLessThan(2);
        assertThat(evaluation.samples()).isEqualTo(SAMPLES);
        assertThat(evaluation.referenceSamples()).isEqualTo(10_000);
        assertThat(evaluation.classifierAccuracy()).isEqualTo(classifier.testAccuracy());
    }

    @Test
    void collapsedGeneratorScoresFarAboveTheFloorWithOneClass() {
        // measured: 456 against a floor of 0.501 at 1,000 samples
        FashionEvaluation evaluation = FashionEvaluation.of(oneTrouser(), classifier, data, SAMPLES, 1);

        ClassHistogram histogram = evaluation.classHistogram();
        assertThat(histogram.shares()[TROUSER]).isEqualTo(1.0);
        assertThat(histogram.withinFactorOfUniform(2)).isFalse();
        assertThat(evaluation.frechetDistance()).isGreaterThan(100 * floor);
    }

    @Test
    void sameSeedGivesTheSameFigures() {
        FashionEvaluation first = FashionEvaluation.of(realTestImages(3), classifier, data, 600, 5);
        FashionEvaluation second = FashionEvaluation.of(realTestImages(3), classifier, data, 600, 5);

        assertThat(second.frechetDistance()).isEqualTo(first.frechetDistance());
        assertThat(second.classHistogram().counts()).isEqualTo(first.classHistogram().counts());
        assertThat(FashionEvaluation.referenceFloor(classifier, data, SAMPLES, 1)).isEqualTo(floor);
    }

    @Test
    void protocolStatesSampleCountsAndTheReferenceSplit() {
        FashionEvaluation evaluation = FashionEvaluation.of(oneTrouser(), classifier, data, 600, 1);

        assertThat(evaluation.protocol()).isEqualTo(String.format(java.util.Locale.ROOT, "Frechet distance over the"
                + " 128-d features of the project's CNN classifier (test accuracy %.4f): 600 generated samples against"
                + " the 10,000 test images; class histogram of the generated samples' predicted classes",
                classifier.testAccuracy()));
        assertThat(evaluation.toString()).startsWith("Frechet distance ").contains("classes 0:0.000 1:1.000 2:0.000");
    }

    @Test
    void rejectsTooFewSamples() {
        assertThatThrownBy(() -> FashionEvaluation.of(oneTrouser(), classifier, data, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("samples must be >= 2 (a covariance needs two), but was 1");
        assertThatThrownBy(() -> FashionEvaluation.referenceFloor(classifier, data, 60_001, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("samples must be <= 60000 (the training images), but was 60001");
    }

    @Test
    void rejectsAGeneratorThatReturnsTheWrongSamples() {
        Generator wrongCount = new StubGenerator(n -> Nd4j.zeros(DataType.FLOAT, n + 1, 784));
        Generator notFinite = new StubGenerator(n -> Nd4j.valueArrayOf(new long[] {n, 784}, Float.NaN,
                DataType.FLOAT));

        assertThatThrownBy(() -> FashionEvaluation.of(wrongCount, classifier, data, 10, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the generator must return one [1, 28, 28] or [784] image per latent row, but latent"
                        + " [10, 8] gave [11, 784]");
        assertThatThrownBy(() -> FashionEvaluation.of(notFinite, classifier, data, 10, 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the generator returned NaN or infinite values (samples [10, 784])");
    }
}
