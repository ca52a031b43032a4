package org.wgan.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.ToyDatasets;

class MixtureMetricsTest {

    private final GaussianMixture eight = ToyDatasets.eightGaussians();

    private static double[][] copies(double[] point, int count) {
        double[][] out = new double[count][];
        for (int i = 0; i < count; i++) {
            out[i] = point.clone();
        }
        return out;
    }

    @Test
    void realSamplesCoverEveryModeWithTheExpectedGoodShare() {
        // within 3 std in 2-D: P(chi^2_2 <= 9) = 1 - exp(-9/2) = 0.98889;
        // binomial std of the share over 20000 samples: sqrt(0.989 * 0.011 / 20000) = 0.00074
        double[][] samples = eight.sampleArray(20_000, new Random(17));

        MixtureQuality quality = MixtureMetrics.evaluate(eight, samples);

        assertThat(quality.modes()).isEqualTo(8);
        assertThat(quality.modesCovered()).isEqualTo(8);
        assertThat(quality.goodShare()).isCloseTo(1 - Math.exp(-4.5), within(0.004));
        assertThat(Arrays.stream(quality.goodPerMode()).sum())
                .isEqualTo((int) Math.round(quality.goodShare() * samples.length));
    }

    @Test
    void samplesAllAtOneCentreCoverOneMode() {
        double[] centre = eight.centres()[3];

        MixtureQuality quality = MixtureMetrics.evaluate(eight, copies(centre, 100));

        assertThat(quality.modesCovered()).isEqualTo(1);
        assertThat(quality.modes()).isEqualTo(8);
        assertThat(quality.goodShare()).isEqualTo(1.0);
        assertThat(quality.goodPerMode()).containsExactly(0, 0, 0, 100, 0, 0, 0, 0);
    }

    @Test
    void samplesFarFromEveryCentreAreNotGoodAndCoverNothing() {
        MixtureQuality quality = MixtureMetrics.evaluate(eight, copies(new double[] {50, -50}, 100));

        assertThat(quality.goodShare()).isZero();
        assertThat(quality.modesCovered()).isZero();
        assertThat(quality.goodPerMode()).containsOnly(0);
    }

    @Test
    void samplesAtTheOriginAreNotGood() {
        // the origin is 2 / 1.414 = 1.41 from every centre, far beyond 3 std = 0.042
        assertThat(MixtureMetrics.evaluate(eight, copies(new double[] {0, 0}, 10)).goodShare()).isZero();
    }

    @Test
    void goodRadiusIsThreeStandardDeviations() {
        double[] centre = eight.centres()[0];
        double std = eight.std();
        // centre 0 is (2 / 1.414, 0); step radially outwards so no other centre is nearer
        double[] inside = {centre[0] + 2.99 * std, centre[1]};
        double[] outside = {centre[0] + 3.01 * std, centre[1]};

        MixtureQuality quality = MixtureMetrics.evaluate(eight, new double[][] {inside, outside});

        assertThat(quality.goodShare()).isEqualTo(0.5);
        assertThat(quality.goodPerMode()[0]).isEqualTo(1);
    }

    @Test
    void aModeNeedsOneFifthOfItsFairShareToCountAsCovered() {
        double[][] centres = eight.centres();
        // 7 modes with 100 good samples each, the last with 17 or 18:
        // 717 good -> threshold 0.2 * 717 / 8 = 17.925, so 17 misses it;
        // 718 good -> threshold 0.2 * 718 / 8 = 17.95, so 18 reaches it
        assertThat(MixtureMetrics.evaluate(eight, withLastMode(centres, 17)).modesCovered()).isEqualTo(7);
        assertThat(MixtureMetrics.evaluate(eight, withLastMode(centres, 18)).modesCovered()).isEqualTo(8);
    }

    private static double[][] withLastMode(double[][] centres, int lastCount) {
        double[][] out = new double[7 * 100 + lastCount][];
        int k = 0;
        for (int mode = 0; mode < 7; mode++) {
            for (int i = 0; i < 100; i++) {
                out[k++] = centres[mode].clone();
            }
        }
        for (int i = 0; i < lastCount; i++) {
            out[k++] = centres[7].clone();
        }
        return out;
    }

    @Test
    void rejectsNoSamples() {
        assertThatIllegalArgumentException().isThrownBy(() -> MixtureMetrics.evaluate(eight, new double[0][]))
                .withMessage("samples must hold at least one point, but was empty");
    }

    @Test
    void rejectsASampleOfTheWrongDimensionNamingIt() {
        double[][] samples = {{0, 0}, {1, 2, 3}};

        assertThatIllegalArgumentException().isThrownBy(() -> MixtureMetrics.evaluate(eight, samples))
                .withMessage("samples[1] has dimension 3, but the mixture has 2");
    }

    @Test
    void qualityDoesNotShareItsPerModeCounts() {
        MixtureQuality quality = MixtureMetrics.evaluate(eight, copies(eight.centres()[0], 4));

        quality.goodPerMode()[0] = -1;

        assertThat(quality.goodPerMode()[0]).isEqualTo(4);
        assertThat(quality).hasToString("modes 1/8, good share 1.000");
    }
}
