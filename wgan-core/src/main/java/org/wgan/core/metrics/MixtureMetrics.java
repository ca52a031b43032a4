package org.wgan.core.metrics;

import java.util.Objects;
import org.wgan.core.data.GaussianMixture;

/**
 * Mode coverage and sample quality of generated samples against a known Gaussian mixture, with one scoring rule
 * so that figures compare across implementations: a sample is <em>good</em> when its Euclidean distance to the
 * nearest centre is at most {@value #GOOD_RADIUS_IN_STD} times the mixture's per-mode standard deviation; a mode
 * is <em>covered</em> when it holds at least {@value #FAIR_SHARE_FRACTION} of its fair share
 * ({@code good / modes}) of the good samples.
 */
public final class MixtureMetrics {

    /** Radius of a good sample around its nearest centre, in per-mode standard deviations. */
    public static final double GOOD_RADIUS_IN_STD = 3.0;
    /** Fraction of its fair share of good samples a mode needs to count as covered. */
    public static final double FAIR_SHARE_FRACTION = 0.2;

    private MixtureMetrics() {
    }

    /**
     * Scores samples against a mixture.
     *
     * @param mixture the real distribution
     * @param samples {@code [count][mixture.dimension()]}, count {@code >= 1}
     * @throws IllegalArgumentException on no samples or a wrong dimension
     */
    public static MixtureQuality evaluate(GaussianMixture mixture, double[][] samples) {
        Objects.requireNonNull(mixture, "mixture");
        Objects.requireNonNull(samples, "samples");
        if (samples.length == 0) {
            throw new IllegalArgumentException("samples must hold at least one point, but was empty");
        }
        double[][] centres = mixture.centres();
        double radius = GOOD_RADIUS_IN_STD * mixture.std();
        int[] good = new int[centres.length];
        int goodTotal = 0;
        for (int i = 0; i < samples.length; i++) {
            double[] point = samples[i];
            if (point.length != mixture.dimension()) {
                throw new IllegalArgumentException("samples[" + i + "] has dimension " + point.length
                        + ", but the mixture has " + mixture.dimension());
            }
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < centres.length; k++) {
                double d2 = 0;
                for (int c = 0; c < point.length; c++) {
                    double diff = point[c] - centres[k][c];
                    d2 += diff * diff;
                }
                if (d2 < best) {
                    best = d2;
                    nearest = k;
                }
            }
            if (nearest >= 0 && Math.sqrt(best) <= radius) {
                good[nearest]++;
                goodTotal++;
            }
        }
        int covered = 0;
        if (goodTotal > 0) {
            double threshold = FAIR_SHARE_FRACTION * goodTotal / centres.length;
            for (int count : good) {
                if (count >= threshold) {
                    covered++;
                }
            }
        }
        return new MixtureQuality(covered, centres.length, (double) goodTotal / samples.length, good);
    }
}
