package org.wgan.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.metrics.FrechetDistance.Gaussian;

class FrechetDistanceTest {

    /** {@code count} correlated samples {@code x = A z + shift} in {@code dimension} dimensions, z standard normal. */
    private static double[][] correlatedFeatures(int count, int dimension, long seed) {
        Random random = new Random(seed);
        double[][] mixing = new double[dimension][dimension];
        for (double[] row : mixing) {
            for (int k = 0; k < dimension; k++) {
                row[k] = random.nextGaussian();
            }
        }
        double[][] out = new double[count][dimension];
        double[] z = new double[dimension];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < dimension; k++) {
                z[k] = random.nextGaussian();
            }
            for (int r = 0; r < dimension; r++) {
                double sum = r;
                for (int k = 0; k < dimension; k++) {
                    sum += mixing[r][k] * z[k];
                }
                out[i][r] = sum;
            }
        }
        return out;
    }

    private static Gaussian gaussian(double[] mean, double[][] covariance) {
        return new Gaussian(mean, covariance);
    }

    @Nested
    class BetweenGaussians {

        @Test
        void oneDimensionalIsSquaredMeanGapPlusSquaredStdGap() {
            // N(0, 4) vs N(3, 1): (0 - 3)^2 + (sqrt(4) - sqrt(1))^2 = 9 + (2 - 1)^2 = 10
            Gaussian a = gaussian(new double[] {0}, new double[][] {{4}});
            Gaussian b = gaussian(new double[] {3}, new double[][] {{1}});

            assertThat(FrechetDistance.between(a, b)).isCloseTo(10.0, within(1e-12));
        }

        @Test
        void oneDimensionalWithZeroVarianceIsStillExact() {
            // N(0, 0) vs N(3, 4): (0 - 3)^2 + (sqrt(0) - sqrt(4))^2 = 9 + 4 = 13
            Gaussian point = gaussian(new double[] {0}, new double[][] {{0}});
            Gaussian spread = gaussian(new double[] {3}, new double[][] {{4}});

            assertThat(FrechetDistance.between(point, spread)).isCloseTo(13.0, within(1e-12));
        }

        @Test
        void diagonalCovariancesSumPerDimensionTerms() {
            // per dimension (dmu)^2 + (sqrt(a) - sqrt(b))^2:
            // dim 0: (0 - 1)^2 + (sqrt(4) - sqrt(1))^2 = 1 + 1 = 2
            // dim 1: (0 - -2)^2 + (sqrt(9) - sqrt(16))^2 = 4 + 1 = 5
            // total 7
            Gaussian a = gaussian(new double[] {0, 0}, new double[][] {{4, 0}, {0, 9}});
            Gaussian b = gaussian(new double[] {1, -2}, new double[][] {{1, 0}, {0, 16}});

            assertThat(FrechetDistance.between(a, b)).isCloseTo(7.0, within(1e-12));
        }

        @Test
        void nonCommutingCovariancesMatchTheHandDerivedTrace() {
            // C1 = [[2, 1], [1, 2]], C2 = [[1, 0], [0, 4]]; C1 C2 = [[2, 4], [1, 8]] != C2 C1 = [[2, 1], [4, 8]].
            // For a 2x2 M with eigenvalues p, q > 0: (sqrt(p) + sqrt(q))^2 = p + q + 2 sqrt(pq), so
            // Tr sqrtm(M) = sqrt(tr M + 2 sqrt(det M)).
            // tr(C1 C2) = 2 + 8 = 10, det(C1 C2) = det C1 * det C2 = (4 - 1) * 4 = 12,
            // Tr sqrtm(C1 C2) = sqrt(10 + 2 sqrt(12)) = sqrt(10 + 4 sqrt(3)) = sqrt(16.92820323) = 4.11438978
            // Tr C1 + Tr C2 = 4 + 5 = 9, so with equal means d^2 = 9 - 2 * 4.11438978 = 0.77122045;
            // means (1, 2) vs (0, 0) add 1 + 4 = 5: d^2 = 5.77122045
            double[][] c1 = {{2, 1}, {1, 2}};
            double[][] c2 = {{1, 0}, {0, 4}};
            double traceSqrt = Math.sqrt(10 + 4 * Math.sqrt(3));

            double sameMeans = FrechetDistance.between(gaussian(new double[] {0, 0}, c1),
                    gaussian(new double[] {0, 0}, c2));
            double shiftedMeans = FrechetDistance.between(gaussian(new double[] {1, 2}, c1),
                    gaussian(new double[] {0, 0}, c2));

            assertThat(sameMeans).isCloseTo(9 - 2 * traceSqrt, within(1e-12));
            assertThat(sameMeans).isCloseTo(0.77122045, within(1e-8));
            assertThat(shiftedMeans).isCloseTo(5 + 9 - 2 * traceSqrt, within(1e-12));
        }

        @Test
        void isSymmetricForNonCommutingCovariances() {
            Gaussian a = gaussian(new double[] {1, 2}, new double[][] {{2, 1}, {1, 2}});
            Gaussian b = gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, 4}});

            assertThat(FrechetDistance.between(b, a)).isCloseTo(FrechetDistance.between(a, b), within(1e-12));
        }

        @Test
        void aGaussianIsZeroFromItself() {
            Gaussian a = gaussian(new double[] {1, -1, 3}, new double[][] {{3, 1, 0.5}, {1, 2, 0.25}, {0.5, 0.25, 1}});

            assertThat(FrechetDistance.between(a, a)).isCloseTo(0.0, within(1e-12));
        }

        @Test
        void rejectsGaussiansOfDifferentDimensions() {
            Gaussian one = gaussian(new double[] {0}, new double[][] {{1}});
            Gaussian two = gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1}});

            assertThatIllegalArgumentException().isThrownBy(() -> FrechetDistance.between(one, two))
                    .withMessage("a and b must have the same dimension, but had 1 and 2");
        }
    }

    @Nested
    class BetweenFeatureSets {

        @Test
        void oneDimensionalFeaturesUseTheUnbiasedVariance() {
            // {0, 2}: mean 1, variance ((0-1)^2 + (2-1)^2) / (2 - 1) = 2
            // {4, 10}: mean 7, variance ((4-7)^2 + (10-7)^2) / (2 - 1) = 18
            // d^2 = (1 - 7)^2 + (sqrt(2) - sqrt(18))^2 = 36 + (sqrt(2) - 3 sqrt(2))^2 = 36 + 4 * 2 = 44
            double distance = FrechetDistance.between(new double[][] {{0}, {2}}, new double[][] {{4}, {10}});

            assertThat(distance).isCloseTo(44.0, within(1e-12));
        }

        @Test
        void identicalFeatureSetsAreZeroApart() {
            double[][] features = correlatedFeatures(200, 4, 1);

            assertThat(FrechetDistance.between(features, features)).isCloseTo(0.0, within(1e-10));
        }

        @Test
        void isSymmetricInItsArguments() {
            double[][] first = correlatedFeatures(150, 3, 2);
            double[][] second = correlatedFeatures(120, 3, 3);

            double forward = FrechetDistance.between(first, second);

            assertThat(forward).isPositive();
            assertThat(FrechetDistance.between(second, first)).isCloseTo(forward, within(1e-10 * forward));
        }

        @Test
        void isInvariantToACommonTranslation() {
            double[][] first = correlatedFeatures(150, 3, 4);
            double[][] second = correlatedFeatures(120, 3, 5);
            double[] shift = {10, -7, 2.5};

            double distance = FrechetDistance.between(first, second);
            double shifted = FrechetDistance.between(translated(first, shift), translated(second, shift));

            assertThat(shifted).isCloseTo(distance, within(1e-10 * distance));
        }

        @Test
        void equalsTheGaussianOverloadOnFittedGaussians() {
            double[][] first = correlatedFeatures(100, 5, 6);
            double[][] second = correlatedFeatures(80, 5, 7);

            assertThat(FrechetDistance.between(first, second))
                    .isEqualTo(FrechetDistance.between(Gaussian.fit(first), Gaussian.fit(second)));
        }

        @Test
        void rankDeficientCovariancesGiveAFiniteNonNegativeDistance() {
            // 3 samples in 6 dimensions: each covariance has rank at most 2
            double[][] first = correlatedFeatures(3, 6, 8);
            double[][] second = correlatedFeatures(3, 6, 9);

            double distance = FrechetDistance.between(first, second);
            double self = FrechetDistance.between(first, first);

            assertThat(distance).isFinite().isPositive();
            assertThat(self).isFinite().isNotNegative().isCloseTo(0.0, within(1e-10));
        }

        @Test
        void matchesTheNuclearNormOfTheCentredCrossProduct() {
            double[][] first = correlatedFeatures(40, 6, 12);
            double[][] second = correlatedFeatures(30, 6, 13);

            double expected = viaNuclearNorm(first, second);

            assertThat(FrechetDistance.between(first, second)).isCloseTo(expected, within(1e-10 * expected));
        }

        @Test
        void singularCovariancesOfManyFeaturesConvergeAndMatchTheNuclearNorm() {
            // rank <= 49 in 300 dimensions: commons-math's EigenDecomposition, unshifted, throws
            // MaxCountExceededException on such covariances, and without the noise floor on eigenvalues the 251
            // zero ones would cost about 2e-7 relative here; with it the two routes agree to about 1e-14
            double[][] first = correlatedFeatures(50, 300, 14);
            double[][] second = correlatedFeatures(50, 300, 15);

            double expected = viaNuclearNorm(first, second);

            assertThat(FrechetDistance.between(first, second)).isCloseTo(expected, within(1e-12 * expected));
        }

        /**
         * An independent route to d^2 through an SVD instead of eigendecompositions. With centred data X1 [n1][d],
         * X2 [n2][d]: C1 C2 = X1^T (X1 X2^T X2) / ((n1 - 1)(n2 - 1)), whose non-zero eigenvalues are those of
         * (X1 X2^T X2) X1^T = K K^T with K = X1 X2^T, the squared singular values of K. So
         * Tr sqrtm(C1 C2) = (sum of K's singular values) / sqrt((n1 - 1)(n2 - 1)).
         */
        private static double viaNuclearNorm(double[][] first, double[][] second) {
            double[] mean1 = columnMeans(first);
            double[] mean2 = columnMeans(second);
            RealMatrix x1 = MatrixUtils.createRealMatrix(centred(first, mean1));
            RealMatrix x2 = MatrixUtils.createRealMatrix(centred(second, mean2));
            double nuclear = Arrays.stream(new SingularValueDecomposition(x1.multiply(x2.transpose()))
                    .getSingularValues()).sum();
            double meanTerm = 0;
            for (int k = 0; k < mean1.length; k++) {
                meanTerm += (mean1[k] - mean2[k]) * (mean1[k] - mean2[k]);
            }
            double trace1 = Math.pow(x1.getFrobeniusNorm(), 2) / (first.length - 1);
            double trace2 = Math.pow(x2.getFrobeniusNorm(), 2) / (second.length - 1);
            return meanTerm + trace1 + trace2
                    - 2 * nuclear / Math.sqrt((first.length - 1.0) * (second.length - 1.0));
        }

        private static double[] columnMeans(double[][] features) {
            double[] mean = new double[features[0].length];
            for (double[] row : features) {
                for (int k = 0; k < mean.length; k++) {
                    mean[k] += row[k] / features.length;
                }
            }
            return mean;
        }

        private static double[][] centred(double[][] features, double[] mean) {
            double[][] out = new double[features.length][mean.length];
            for (int i = 0; i < features.length; i++) {
                for (int k = 0; k < mean.length; k++) {
                    out[i][k] = features[i][k] - mean[k];
                }
            }
            return out;
        }

        @Test
        void identicalSamplesGiveZeroCovarianceAndTheSquaredMeanGap() {
            // both covariances are 0: d^2 = ||(1, 2) - (4, 6)||^2 = 9 + 16 = 25
            double[][] first = {{1, 2}, {1, 2}, {1, 2}};
            double[][] second = {{4, 6}, {4, 6}};

            assertThat(FrechetDistance.between(first, second)).isCloseTo(25.0, within(1e-12));
        }

        @Test
        void indArrayOverloadEqualsTheArrayOverload() {
            double[][] first = correlatedFeatures(60, 3, 10);
            double[][] second = correlatedFeatures(70, 3, 11);

            assertThat(FrechetDistance.between(Nd4j.createFromArray(first), Nd4j.createFromArray(second)))
                    .isEqualTo(FrechetDistance.between(first, second));
        }

        private static double[][] translated(double[][] features, double[] shift) {
            double[][] out = new double[features.length][];
            for (int i = 0; i < features.length; i++) {
                out[i] = features[i].clone();
                for (int k = 0; k < shift.length; k++) {
                    out[i][k] += shift[k];
                }
            }
            return out;
        }

        @Test
        void rejectsASingleSampleNamingTheFeatureSet() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}}, new double[][] {{1, 2}}))
                    .withMessage("features2 must hold at least 2 samples (rows), but had 1");
        }

        @Test
        void rejectsDifferentColumnCounts() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}},
                            new double[][] {{1, 2, 3}, {4, 5, 6}}))
                    .withMessage("features1 and features2 must have the same number of columns, but had 2 and 3");
        }

        @Test
        void rejectsRaggedRows() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4, 5}},
                            new double[][] {{1, 2}, {3, 4}}))
                    .withMessage("features1[1] has 3 columns, but features1[0] has 2");
        }

        @Test
        void rejectsNoColumns() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(new double[][] {{}, {}}, new double[][] {{}, {}}))
                    .withMessage("features1[0] must have at least one column, but was empty");
        }

        @Test
        void rejectsNaNNamingRowAndColumn() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(new double[][] {{1, 2}, {3, 4}},
                            new double[][] {{1, 2}, {Double.NaN, 4}}))
                    .withMessage("features2[1][0] must be finite, but was NaN");
        }

        @Test
        void rejectsInfinityNamingRowAndColumn() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(
                            new double[][] {{1, 2}, {3, 4}, {5, Double.NEGATIVE_INFINITY}},
                            new double[][] {{1, 2}, {3, 4}}))
                    .withMessage("features1[2][1] must be finite, but was -Infinity");
        }

        @Test
        void rejectsANonMatrixIndArray() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> FrechetDistance.between(Nd4j.zeros(2, 3, 4), Nd4j.zeros(2, 3)))
                    .withMessage("features1 must be a matrix [samples, features], but had shape [2, 3, 4]");
        }
    }

    @Nested
    class GaussianRecord {

        @Test
        void fitUsesTheSampleMeanAndUnbiasedCovariance() {
            // mean ((1 + 3 + 5) / 3, (2 + 6 + 4) / 3) = (3, 4); centred rows (-2, -2), (0, 2), (2, 0)
            // C = [[4 + 0 + 4, 4 + 0 + 0], [4 + 0 + 0, 4 + 4 + 0]] / (3 - 1) = [[4, 2], [2, 4]]
            Gaussian fitted = Gaussian.fit(new double[][] {{1, 2}, {3, 6}, {5, 4}});

            assertThat(fitted.mean()).containsExactly(3, 4);
            assertThat(fitted.covariance()).isDeepEqualTo(new double[][] {{4, 2}, {2, 4}});
            assertThat(fitted.dimension()).isEqualTo(2);
        }

        @Test
        void doesNotShareItsArrays() {
            double[] mean = {1, 2};
            double[][] covariance = {{1, 0}, {0, 1}};
            Gaussian a = new Gaussian(mean, covariance);

            mean[0] = 99;
            covariance[0][0] = 99;
            a.mean()[1] = 99;
            a.covariance()[1][1] = 99;

            assertThat(a).isEqualTo(new Gaussian(new double[] {1, 2}, new double[][] {{1, 0}, {0, 1}}));
        }

        @Test
        void storesTheCovarianceSymmetrizedWithinTolerance() {
            Gaussian a = new Gaussian(new double[] {0, 0}, new double[][] {{2, 1 + 1e-12}, {1 - 1e-12, 2}});

            double[][] covariance = a.covariance();

            assertThat(covariance[0][1]).isEqualTo(covariance[1][0]).isCloseTo(1.0, within(1e-15));
        }

        @Test
        void rejectsAFitToOneSample() {
            assertThatIllegalArgumentException().isThrownBy(() -> Gaussian.fit(new double[][] {{1, 2}}))
                    .withMessage("features must hold at least 2 samples (rows), but had 1");
        }

        @Test
        void aFitThatOverflowsThrowsArithmeticException() {
            // variance ((1e200)^2 + (1e200)^2) / 1 = 2e400, beyond Double.MAX_VALUE = 1.8e308
            assertThatExceptionOfType(ArithmeticException.class)
                    .isThrownBy(() -> Gaussian.fit(new double[][] {{1e200}, {-1e200}}))
                    .withMessage("the mean or covariance of features overflows a double at feature 0, 0");
        }

        @Test
        void rejectsAnEmptyMean() {
            assertThatIllegalArgumentException().isThrownBy(() -> new Gaussian(new double[0], new double[0][]))
                    .withMessage("mean must have at least one dimension, but was empty");
        }

        @Test
        void rejectsACovarianceWithTheWrongRowCount() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Gaussian(new double[] {0, 0}, new double[][] {{1, 0}}))
                    .withMessage("covariance must have 2 rows to match the mean's dimension 2, but had 1");
        }

        @Test
        void rejectsANonSquareCovariance() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, 1, 0}}))
                    .withMessage("covariance[1] must have 2 columns to be square, but had 3");
        }

        @Test
        void rejectsAnAsymmetricCovariance() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Gaussian(new double[] {0, 0}, new double[][] {{2, 1}, {1.5, 2}}))
                    .withMessage("covariance must be symmetric, but covariance[0][1] was 1.0 and covariance[1][0] "
                            + "was 1.5");
        }

        @Test
        void rejectsACovarianceThatIsNotPositiveSemiDefinite() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Gaussian(new double[] {0, 0}, new double[][] {{1, 0}, {0, -1}}))
                    .withMessage("covariance must be positive semi-definite, but has eigenvalue -1.0 "
                            + "(largest magnitude 1.0)");
        }

        @Test
        void rejectsANaNMean() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Gaussian(new double[] {0, Double.NaN}, new double[][] {{1, 0}, {0, 1}}))
                    .withMessage("mean[1] must be finite, but was NaN");
        }

        @Test
        void rejectsAnInfiniteCovarianceEntry() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new Gaussian(new double[] {0}, new double[][] {{Double.POSITIVE_INFINITY}}))
                    .withMessage("covariance[0][0] must be finite, but was Infinity");
        }
    }
}
