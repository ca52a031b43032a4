package org.wgan.core.metrics;


/**
 * How well generated samples cover a Gaussian mixture (see {@link MixtureMetrics#evaluate}).
 *
 * @param modesCovered   modes holding at least {@value MixtureMetrics#FAIR_SHARE_FRACTION} of their fair share
 *                       of the good samples
 * @param modes          number of modes of the mixture
 * @param goodShare      share of all samples within {@value MixtureMetrics#GOOD_RADIUS_IN_STD} standard deviations
 *                       of their nearest centre
 * @param goodPerMode    good samples per mode (index as the mixture's centres)
 */
public record MixtureQuality(int modesCovered, int modes, double goodShare, int[] goodPerMode) {

    public MixtureQuality {
        goodPerMode = goodPerMode.clone();
    }

    @Override
    public int[] goodPerMode() {
        return goodPerMode.clone();
    }

    @Override
    public String toString() {
        return String.format("modes %d/%d, good share %.3f", modesCovered, modes, goodShare);
    }
}
