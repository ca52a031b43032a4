package org.wgan.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class ClassHistogramTest {

    @Test
    void countsAndSharesOfPredictedClasses() {
        // 10 predictions: class 0 once, class 1 twice, class 2 seven times, class 3 never
        // shares 1/10, 2/10, 7/10, 0/10; uniform share 1/4, so ratios 0.4, 0.8, 2.8, 0
        ClassHistogram histogram = ClassHistogram.of(new int[] {2, 0, 2, 1, 2, 2, 1, 2, 2, 2}, 4);

        assertThat(histogram.numClasses()).isEqualTo(4);
        assertThat(histogram.total()).isEqualTo(10);
        assertThat(histogram.counts()).containsExactly(1, 2, 7, 0);
        assertThat(histogram.shares()).containsExactly(0.1, 0.2, 0.7, 0.0);
        assertThat(histogram.maxShareRatio()).isEqualTo(2.8);
        assertThat(histogram.minShareRatio()).isZero();
    }

    @Test
    void toStringListsEachClassShareToThreeDecimals() {
        ClassHistogram histogram = ClassHistogram.of(new int[] {2, 0, 2, 1, 2, 2, 1, 2, 2, 2}, 4);

        assertThat(histogram).hasToString("0:0.100 1:0.200 2:0.700 3:0.000");
    }

    @Test
    void aUniformHistogramHasRatiosOfOneAndIsWithinFactorOne() {
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 1, 2, 2, 1, 0}, 3);

        assertThat(histogram.maxShareRatio()).isEqualTo(1.0);
        assertThat(histogram.minShareRatio()).isEqualTo(1.0);
        assertThat(histogram.withinFactorOfUniform(1.0)).isTrue();
    }

    @Test
    void withinFactorIncludesBothBoundsExactly() {
        // counts (1, 2, 2, 3) of 8 in 4 classes: ratios 1*4/8 = 0.5 and 3*4/8 = 1.5;
        // factor 2 admits [0.5, 2]: 0.5 sits on the lower bound -> true; factor 1.5 admits [0.667, 1.5] -> false
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 1, 1, 2, 2, 3, 3, 3}, 4);

        assertThat(histogram.withinFactorOfUniform(2.0)).isTrue();
        assertThat(histogram.withinFactorOfUniform(1.5)).isFalse();
    }

    @Test
    void withinFactorFailsOnAClassTooFarAboveUniform() {
        // counts (2, 2, 2, 6) of 12 in 4 classes: ratios 2*4/12 = 0.667 and 6*4/12 = 2;
        // factor 2: 2 is on the upper bound -> true; factor 1.99: 2 > 1.99 while 0.667 >= 1/1.99 = 0.503 -> false
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 0, 1, 1, 2, 2, 3, 3, 3, 3, 3, 3}, 4);

        assertThat(histogram.withinFactorOfUniform(2.0)).isTrue();
        assertThat(histogram.withinFactorOfUniform(1.99)).isFalse();
    }

    @Test
    void withinFactorFailsOnAClassTooFarBelowUniform() {
        // counts (1, 3, 3, 3) of 10 in 4 classes: ratios 1*4/10 = 0.4 and 3*4/10 = 1.2;
        // factor 2.5: 0.4 = 1/2.5 is on the lower bound -> true; factor 2.4: 0.4 < 1/2.4 = 0.417 while 1.2 <= 2.4
        // -> false
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 1, 1, 1, 2, 2, 2, 3, 3, 3}, 4);

        assertThat(histogram.withinFactorOfUniform(2.5)).isTrue();
        assertThat(histogram.withinFactorOfUniform(2.4)).isFalse();
    }

    @Test
    void aMissingClassIsNeverWithinAFactorOfUniform() {
        ClassHistogram histogram = ClassHistogram.of(new int[] {1, 1, 1}, 2);

        assertThat(histogram.withinFactorOfUniform(1e6)).isFalse();
    }

    @Test
    void argmaxOfScoreRowsPicksTheFirstOfTiedMaxima() {
        // row argmax: 1, 0, 2, 0 (5 and 5 tie, the lower index wins); -Infinity is a log-probability of zero
        double[][] scores = {
            {0.1, 0.7, 0.2},
            {2.0, -1.0, 0.5},
            {0.3, 0.3, 0.4},
            {5, 5, Double.NEGATIVE_INFINITY},
        };

        ClassHistogram histogram = ClassHistogram.of(scores);

        assertThat(histogram.numClasses()).isEqualTo(3);
        assertThat(histogram.counts()).containsExactly(2, 1, 1);
    }

    @Test
    void indArrayScoresGiveTheSameHistogramAsArrays() {
        double[][] scores = {
            {0.1, 0.7, 0.2},
            {2.0, -1.0, 0.5},
            {0.3, 0.3, 0.4},
            {-3, -2, -1},
        };

        ClassHistogram fromDoubles = ClassHistogram.of(Nd4j.createFromArray(scores));
        ClassHistogram fromFloats = ClassHistogram.of(Nd4j.createFromArray(scores).castTo(DataType.FLOAT));

        assertThat(fromDoubles.counts()).containsExactly(1, 1, 2);
        assertThat(fromFloats.counts()).containsExactly(1, 1, 2);
    }

    @Test
    void doesNotShareItsCounts() {
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 1}, 2);

        histogram.counts()[0] = 99;

        assertThat(histogram.counts()).containsExactly(1, 1);
    }

    @Test
    void rejectsZeroClasses() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new int[] {0}, 0))
                .withMessage("numClasses must be >= 1, but was 0");
    }

    @Test
    void rejectsNoPredictions() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new int[0], 3))
                .withMessage("predicted must hold at least one prediction, but was empty");
    }

    @Test
    void rejectsALabelOutOfRangeNamingItsIndex() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new int[] {0, 2, 3}, 3))
                .withMessage("predicted[2] must be in [0, 3), but was 3");
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new int[] {-1}, 3))
                .withMessage("predicted[0] must be in [0, 3), but was -1");
    }

    @Test
    void rejectsAFactorBelowOneOrNotFinite() {
        ClassHistogram histogram = ClassHistogram.of(new int[] {0, 1}, 2);

        assertThatIllegalArgumentException().isThrownBy(() -> histogram.withinFactorOfUniform(0.5))
                .withMessage("factor must be finite and >= 1, but was 0.5");
        assertThatIllegalArgumentException().isThrownBy(() -> histogram.withinFactorOfUniform(Double.NaN))
                .withMessage("factor must be finite and >= 1, but was NaN");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> histogram.withinFactorOfUniform(Double.POSITIVE_INFINITY))
                .withMessage("factor must be finite and >= 1, but was Infinity");
    }

    @Test
    void rejectsNaNScoresNamingRowAndColumn() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> ClassHistogram.of(new double[][] {{0, 1}, {Double.NaN, 1}}))
                .withMessage("scores[1][0] must not be NaN");
    }

    @Test
    void rejectsEmptyOrRaggedScores() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new double[0][]))
                .withMessage("scores must hold at least one row, but was empty");
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new double[][] {{}}))
                .withMessage("scores[0] must have at least one column (class), but was empty");
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(new double[][] {{0, 1}, {1}}))
                .withMessage("scores[1] has 1 columns, but scores[0] has 2");
    }

    @Test
    void rejectsScoresThatAreNotAMatrix() {
        assertThatIllegalArgumentException().isThrownBy(() -> ClassHistogram.of(Nd4j.zeros(4)))
                .withMessage("scores must be a matrix [n, numClasses], but had shape [4]");
    }

    @Test
    void histogramsOfTheSameCountsAreEqual() {
        ClassHistogram a = ClassHistogram.of(new int[] {0, 2, 2}, 3);

        assertThat(a).isEqualTo(ClassHistogram.of(new int[] {2, 0, 2}, 3)).hasSameHashCodeAs(
                ClassHistogram.of(new int[] {2, 2, 0}, 3));
        assertThat(a).isNotEqualTo(ClassHistogram.of(new int[] {0, 1, 2}, 3))
                .isNotEqualTo(ClassHistogram.of(new int[] {0, 2, 2}, 4));
    }
}
