package org.wgan.examples.support;

import picocli.CommandLine.Option;

/** The {@code --penalty-weight} option (a picocli mixin): the weight of the gradient penalty (WGAN-GP's lambda). */
public final class PenaltyWeightOption {

    @Option(names = "--penalty-weight", description = "gradient penalty weight (default: ${DEFAULT-VALUE})")
    private double penaltyWeight;

    /** The option with {@code defaultWeight} as its default. */
    public PenaltyWeightOption(double defaultWeight) {
        this.penaltyWeight = defaultWeight;
    }

    /**
     * The penalty weight.
     *
     * @throws InvalidOptionException if it is negative, NaN or infinite
     */
    public double penaltyWeight() {
        return OptionChecks.nonNegative("--penalty-weight", penaltyWeight);
    }
}
