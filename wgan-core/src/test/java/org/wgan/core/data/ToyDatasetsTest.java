package org.wgan.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ToyDatasetsTest {

    private static double[][] rows(INDArray batch) {
        return batch.toDoubleMatrix();
    }

    @Test
    void onlyTheGivenRandomDecidesABatch() {
        // no global state: reseeding ND4J's global generator changes nothing
        for (SampleSource source : new SampleSource[] {
            ToyDatasets.eightGaussians(), ToyDatasets.twentyFiveGaussians(), ToyDatasets.swissRoll()}) {
            Nd4j.getRandom().setSeed(1);
            double[][] first = rows(source.next(10, new Random(21)));
            Nd4j.getRandom().setSeed(2);
            double[][] second = rows(source.next(10, new Random(21)));

            assertThat(second).as("%s", source).isDeepEqualTo(first);
        }
    }

    @Nested
    class EightGaussians {

        private final GaussianMixture eight = ToyDatasets.eightGaussians();

        @Test
        void hasEightCentresAtRadiusTwoOverTheAuthorsDivisor() {
            assertThat(eight.modes()).isEqualTo(8);
            assertThat(eight.dimension()).isEqualTo(2);
            for (double[] centre : eight.centres()) {
                assertThat(Math.hypot(centre[0], centre[1])).isCloseTo(2 / 1.414, within(1e-12));
            }
        }

        @Test
        void centresSitOnTheEightCompassPoints() {
            Set<Long> angles = new TreeSet<>();
            for (double[] centre : eight.centres()) {
                double degrees = Math.toDegrees(Math.atan2(centre[1], centre[0]));
                angles.add(Math.round((degrees + 360) % 360));
            }

            assertThat(angles).containsExactly(0L, 45L, 90L, 135L, 180L, 225L, 270L, 315L);
            assertThat(eight.centres()[0]).containsExactly(new double[] {2 / 1.414, 0}, within(1e-15));
        }

        @Test
        void stdIsTheAuthorsScaledDown() {
            assertThat(eight.std()).isCloseTo(0.02 / 1.414, within(1e-15));
        }

        @Test
        void samplesHaveTheMixturesMeanAndSpread() {
            double[][] samples = rows(eight.next(20_000, new Random(1)));
            double[][] centres = eight.centres();
            double r2 = 4 / (1.414 * 1.414);
            double std = 0.02 / 1.414;

            // E x = 0 by symmetry; Var x = E c_x^2 + std^2 = r^2 / 2 + std^2 (the eight cos^2 sum to 4)
            double[] mean = new double[2];
            double[] square = new double[2];
            // deviations from the nearest centre are N(0, std^2) per coordinate
            double deviationSquares = 0;
            int[] perMode = new int[8];
            for (double[] p : samples) {
                for (int d = 0; d < 2; d++) {
                    mean[d] += p[d] / samples.length;
                    square[d] += p[d] * p[d] / samples.length;
                }
                int nearest = nearest(p, centres);
                perMode[nearest]++;
                deviationSquares += Math.pow(p[0] - centres[nearest][0], 2) + Math.pow(p[1] - centres[nearest][1], 2);
            }

            for (int d = 0; d < 2; d++) {
                assertThat(mean[d]).as("mean[%d]", d).isCloseTo(0, within(0.03));
                assertThat(Math.sqrt(square[d] - mean[d] * mean[d])).as("std[%d]", d)
                        .isCloseTo(Math.sqrt(r2 / 2 + std * std), within(0.02));
            }
            assertThat(Math.sqrt(deviationSquares / (2 * samples.length))).isCloseTo(std, within(0.02 * std));
            // each mode gets 1/8 of 20000 = 2500, binomial std 47
            assertThat(Arrays.stream(perMode).boxed().toList())
                    .allSatisfy(count -> assertThat(count).isBetween(2300, 2700));
        }

        @Test
        void samplesAreFloatRowsOfTwo() {
            INDArray batch = eight.next(64, new Random(1));

            assertThat(batch.shape()).containsExactly(64, 2);
            assertThat(batch.dataType()).isEqualTo(DataType.FLOAT);
        }

        @Test
        void sameSeedGivesIdenticalBatches() {
            assertThat(rows(eight.next(100, new Random(5)))).isDeepEqualTo(rows(eight.next(100, new Random(5))));
            assertThat(eight.sampleArray(100, new Random(5))).isDeepEqualTo(eight.sampleArray(100, new Random(5)));
            assertThat(eight.next(100, new Random(5))).isNotEqualTo(eight.next(100, new Random(6)));
        }
    }

    @Nested
    class TwentyFiveGaussians {

        private final GaussianMixture grid = ToyDatasets.twentyFiveGaussians();

        @Test
        void hasAFiveByFiveGridOfCentresScaledByTheAuthorsDivisor() {
            Set<String> expected = new TreeSet<>();
            for (int x = -2; x <= 2; x++) {
                for (int y = -2; y <= 2; y++) {
                    expected.add(key(2.0 * x / 2.828, 2.0 * y / 2.828));
                }
            }
            Set<String> actual = new TreeSet<>();
            for (double[] centre : grid.centres()) {
                actual.add(key(centre[0], centre[1]));
            }

            assertThat(grid.modes()).isEqualTo(25);
            assertThat(actual).isEqualTo(expected);
            // the corner (4, 4) / 2.828
            assertThat(Arrays.asList(grid.centres()))
                    .anySatisfy(c -> assertThat(c).containsExactly(new double[] {4 / 2.828, 4 / 2.828}, within(1e-12)));
        }

        private String key(double x, double y) {
            return String.format("%.9f,%.9f", x, y);
        }

        @Test
        void stdIsTheAuthorsScaledDown() {
            assertThat(grid.std()).isCloseTo(0.05 / 2.828, within(1e-15));
        }

        @Test
        void samplesStayNearTheirCentres() {
            double[][] centres = grid.centres();
            double std = grid.std();
            double[][] samples = rows(grid.next(5_000, new Random(2)));

            // 6 std in 2-D: P(chi^2_2 > 36) = exp(-18) = 1.5e-8 per sample
            for (double[] p : samples) {
                double[] c = centres[nearest(p, centres)];
                assertThat(Math.hypot(p[0] - c[0], p[1] - c[1])).isLessThan(6 * std);
            }
        }

        @Test
        void sameSeedGivesIdenticalBatches() {
            assertThat(rows(grid.next(50, new Random(8)))).isDeepEqualTo(rows(grid.next(50, new Random(8))));
        }
    }

    @Nested
    class SwissRoll {

        private final SampleSource roll = ToyDatasets.swissRoll();

        @Test
        void samplesAreFloatRowsOfTwo() {
            INDArray batch = roll.next(33, new Random(3));

            assertThat(batch.shape()).containsExactly(33, 2);
            assertThat(batch.dataType()).isEqualTo(DataType.FLOAT);
        }

        @Test
        void samplesLieWithinTheRollsRadius() {
            // t in [1.5 pi, 4.5 pi]; the point is (t cos t, t sin t) plus 2-D noise of std 0.25, all over 7.5.
            // The noise's norm exceeds 6 std (1.5) with probability exp(-18) per sample.
            double[][] samples = rows(roll.next(5_000, new Random(4)));
            double outer = (4.5 * Math.PI + 1.5) / 7.5;
            double inner = (1.5 * Math.PI - 1.5) / 7.5;

            double meanRadius = 0;
            for (double[] p : samples) {
                double radius = Math.hypot(p[0], p[1]);
                assertThat(radius).isBetween(inner, outer);
                meanRadius += radius / samples.length;
            }
            // E t = 3 pi, so the mean radius is about 3 pi / 7.5 = 1.2566 (the noise adds about 0.0004)
            assertThat(meanRadius).isCloseTo(3 * Math.PI / 7.5, within(0.03));
        }

        @Test
        void sameSeedGivesIdenticalBatches() {
            assertThat(rows(roll.next(40, new Random(12)))).isDeepEqualTo(rows(roll.next(40, new Random(12))));
            assertThat(roll.next(40, new Random(12))).isNotEqualTo(roll.next(40, new Random(13)));
        }
    }

    private static int nearest(double[] p, double[][] centres) {
        int best = 0;
        for (int k = 1; k < centres.length; k++) {
            if (distance2(p, centres[k]) < distance2(p, centres[best])) {
                best = k;
            }
        }
        return best;
    }

    private static double distance2(double[] p, double[] c) {
        return (p[0] - c[0]) * (p[0] - c[0]) + (p[1] - c[1]) * (p[1] - c[1]);
    }
}
