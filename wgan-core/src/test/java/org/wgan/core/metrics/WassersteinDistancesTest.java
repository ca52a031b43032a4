package org.wgan.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class WassersteinDistancesTest {

    private static double[] gaussianSample(int count, Random random) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = random.nextGaussian();
        }
        return out;
    }

    @Nested
    class Discrete1d {

        @Test
        void dirtPileExampleCostsFive() {
            // carried surplus after each bin: 3-1 = 2, 2 + (2-2) = 2, 2 + (1-4) = -1, -1 + (4-3) = 0
            // cost = |2| + |2| + |-1| + |0| = 5
            assertThat(WassersteinDistances.discrete1d(new double[] {3, 2, 1, 4}, new double[] {1, 2, 4, 3}))
                    .isEqualTo(5.0);
        }

        @Test
        void identicalHistogramsAreZeroApart() {
            double[] p = {0.5, 0, 7, 1.25};

            assertThat(WassersteinDistances.discrete1d(p, p.clone())).isZero();
        }

        @Test
        void movingOneUnitTwoBinsCostsTwo() {
            // the whole unit carried across bins 0 and 1: |1| + |1| + |0| = 2
            assertThat(WassersteinDistances.discrete1d(new double[] {1, 0, 0}, new double[] {0, 0, 1}))
                    .isEqualTo(2.0);
        }

        @Test
        void isSymmetric() {
            double[] p = {3, 2, 1, 4};
            double[] q = {1, 2, 4, 3};

            assertThat(WassersteinDistances.discrete1d(q, p)).isEqualTo(WassersteinDistances.discrete1d(p, q));
        }

        @Test
        void rejectsUnequalTotalMassNamingBothTotals() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.discrete1d(new double[] {1, 2}, new double[] {1, 1}))
                    .withMessage("p and q must hold the same total mass, but held 3.0 and 2.0");
        }

        @Test
        void rejectsUnequalBinCountsNamingBothLengths() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.discrete1d(new double[] {1, 2}, new double[] {1, 1, 1}))
                    .withMessage("p and q must have the same number of bins, but had 2 and 3");
        }

        @Test
        void rejectsNegativeAndNaNMassesNamingTheBin() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.discrete1d(new double[] {2, -1}, new double[] {1, 0}))
                    .withMessage("p[1] must be a finite mass >= 0, but was -1.0");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.discrete1d(new double[] {1, 0},
                            new double[] {Double.NaN, 1}))
                    .withMessage("q[0] must be a finite mass >= 0, but was NaN");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.discrete1d(new double[] {Double.POSITIVE_INFINITY},
                            new double[] {1}))
                    .withMessage("p[0] must be a finite mass >= 0, but was Infinity");
        }
    }

    @Nested
    class Exact1d {

        @Test
        void identicalSamplesAreZeroApartWhateverTheOrder() {
            double[] a = {3.5, -1, 0.25, 8, 0.25};
            double[] shuffled = {0.25, 8, -1, 0.25, 3.5};

            assertThat(WassersteinDistances.exact1d(a, shuffled)).isZero();
        }

        @Test
        void shiftingASampleMovesItByTheShift() {
            Random random = new Random(11);
            for (int trial = 0; trial < 5; trial++) {
                double[] a = gaussianSample(20 + 37 * trial, random);
                double[] shifted = Arrays.stream(a).map(x -> x + 0.7).toArray();

                assertThat(WassersteinDistances.exact1d(a, shifted)).isCloseTo(0.7, within(1e-12));
                assertThat(WassersteinDistances.exact1d(shifted, a)).isCloseTo(0.7, within(1e-12));
            }
        }

        @Test
        void twoPointsAgainstTheirMidpoint() {
            // F_a - F_b = 1/2 on [0, 0.5) and -1/2 on [0.5, 1): 0.5 * 0.5 + 0.5 * 0.5 = 0.5
            assertThat(WassersteinDistances.exact1d(new double[] {0, 1}, new double[] {0.5}))
                    .isCloseTo(0.5, within(1e-15));
        }

        @Test
        void pointAgainstTwoPointsIsTheMeanDistance() {
            // W1(delta_0, {1, 3}) = (|0 - 1| + |0 - 3|) / 2 = 2
            assertThat(WassersteinDistances.exact1d(new double[] {0}, new double[] {1, 3}))
                    .isCloseTo(2.0, within(1e-15));
        }

        @Test
        void unequalSizesWithRepeatedValues() {
            // a = {0, 0, 3}, b = {1, 2}: |F_a - F_b| = 2/3 on [0, 1), |2/3 - 1/2| = 1/6 on [1, 2),
            // |2/3 - 1| = 1/3 on [2, 3): total 2/3 + 1/6 + 1/3 = 7/6
            assertThat(WassersteinDistances.exact1d(new double[] {0, 0, 3}, new double[] {2, 1}))
                    .isCloseTo(7.0 / 6, within(1e-15));
        }

        @Test
        void equalSizesWithTiesMatchSortedPairs() {
            // sorted pairs (2, 2), (2, 5), (5, 5): (0 + 3 + 0) / 3 = 1
            assertThat(WassersteinDistances.exact1d(new double[] {5, 2, 2}, new double[] {2, 5, 5}))
                    .isCloseTo(1.0, within(1e-15));
        }

        @Test
        void allMassOnOnePointOnBothSidesIsZeroApart() {
            assertThat(WassersteinDistances.exact1d(new double[] {1, 1, 1}, new double[] {1})).isZero();
        }

        @Test
        void equalSizesGiveTheMeanGapBetweenSortedSamples() {
            // for equal sizes the optimal plan matches order statistics: W1 = mean |a_(i) - b_(i)|
            Random random = new Random(3);
            double[] a = gaussianSample(200, random);
            double[] b = Arrays.stream(gaussianSample(200, random)).map(x -> 2 * x + 0.3).toArray();
            double[] sortedA = a.clone();
            double[] sortedB = b.clone();
            Arrays.sort(sortedA);
            Arrays.sort(sortedB);
            double expected = 0;
            for (int i = 0; i < sortedA.length; i++) {
                expected += Math.abs(sortedA[i] - sortedB[i]) / sortedA.length;
            }

            assertThat(WassersteinDistances.exact1d(a, b)).isCloseTo(expected, within(1e-12));
        }

        @Test
        void isSymmetricForUnequalSizes() {
            Random random = new Random(5);
            double[] a = gaussianSample(17, random);
            double[] b = gaussianSample(40, random);

            assertThat(WassersteinDistances.exact1d(b, a)).isCloseTo(WassersteinDistances.exact1d(a, b), within(1e-14));
        }

        @Test
        void leavesItsInputsUnsorted() {
            double[] a = {3, 1, 2};

            WassersteinDistances.exact1d(a, new double[] {0});

            assertThat(a).containsExactly(3, 1, 2);
        }

        @Test
        void rejectsEmptySamplesAndNaNNamingTheSample() {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.exact1d(new double[0], new double[] {1}))
                    .withMessage("a must hold at least one sample, but was empty");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.exact1d(new double[] {1}, new double[] {0, Double.NaN}))
                    .withMessage("b[1] must be finite, but was NaN");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.exact1d(new double[] {1, Double.POSITIVE_INFINITY},
                            new double[] {1}))
                    .withMessage("a[1] must be finite, but was Infinity");
        }
    }

    @Nested
    class Sliced {

        private double[][] cloud(int count, Random random) {
            double[][] out = new double[count][];
            for (int i = 0; i < count; i++) {
                out[i] = new double[] {random.nextGaussian(), 0.5 * random.nextGaussian()};
            }
            return out;
        }

        @Test
        void identicalCloudsAreZeroApart() {
            double[][] a = cloud(50, new Random(1));

            assertThat(WassersteinDistances.sliced(a, a, 100, new Random(2))).isCloseTo(0.0, within(1e-15));
        }

        @Test
        void shiftedCloudIsTheMeanProjectedShift() {
            // each projection shifts by v.u exactly, so sliced W1 = mean |v.u|; over uniform unit u in 2-D,
            // E|v.u| = |v| E|cos theta| = 2|v| / pi. With |v| = |(0.3, -0.4)| = 0.5: 1 / pi = 0.3183.
            // The mean of 20000 draws of |v.u| has std 0.5 sqrt(1/2 - 4/pi^2) / sqrt(20000) = 0.0011.
            double[][] a = cloud(40, new Random(1));
            double[][] shifted = Arrays.stream(a).map(p -> new double[] {p[0] + 0.3, p[1] - 0.4})
                    .toArray(double[][]::new);

            double distance = WassersteinDistances.sliced(a, shifted, 20_000, new Random(7));

            assertThat(distance).isCloseTo(1 / Math.PI, within(0.005));
        }

        @Test
        void inOneDimensionEqualsTheExactDistance() {
            // the only unit directions in 1-D are +1 and -1, and W1 is invariant under reflection
            Random random = new Random(9);
            double[] a = gaussianSample(30, random);
            double[] b = gaussianSample(45, random);
            double[][] a1 = Arrays.stream(a).mapToObj(x -> new double[] {x}).toArray(double[][]::new);
            double[][] b1 = Arrays.stream(b).mapToObj(x -> new double[] {x}).toArray(double[][]::new);

            assertThat(WassersteinDistances.sliced(a1, b1, 7, new Random(4)))
                    .isCloseTo(WassersteinDistances.exact1d(a, b), within(1e-12));
        }

        @Test
        void sameSeedGivesTheSameDistance() {
            double[][] a = cloud(30, new Random(1));
            double[][] b = cloud(30, new Random(2));

            assertThat(WassersteinDistances.sliced(a, b, 50, new Random(42)))
                    .isEqualTo(WassersteinDistances.sliced(a, b, 50, new Random(42)));
        }

        @Test
        void rejectsFewerThanOneDirection() {
            double[][] a = cloud(3, new Random(1));

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.sliced(a, a, 0, new Random(1)))
                    .withMessage("directions must be >= 1, but was 0");
        }

        @Test
        void rejectsEmptySamplesAndMismatchedDimensions() {
            double[][] a = cloud(3, new Random(1));
            double[][] threeD = {{1, 2, 3}};

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.sliced(a, new double[0][], 5, new Random(1)))
                    .withMessage("samples must not be empty, but had 3 and 0 points");
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.sliced(a, threeD, 5, new Random(1)))
                    .withMessage("samples must have the same dimension, but had 2 and 3");
        }

        @Test
        void rejectsARaggedPointNamingIt() {
            double[][] ragged = {{0, 0}, {1, 1}, {2}};

            assertThatIllegalArgumentException()
                    .isThrownBy(() -> WassersteinDistances.sliced(ragged, new double[][] {{0, 0}}, 5, new Random(1)))
                    .withMessage("point 2 has dimension 1, expected 2");
        }
    }
}
