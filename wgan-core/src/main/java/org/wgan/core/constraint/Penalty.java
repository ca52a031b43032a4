package org.wgan.core.constraint;


/**
 * The value of a Lipschitz penalty for one critic update.
 *
 * @param value            the penalty added to the critic loss (already multiplied by its weight)
 * @param meanGradientNorm mean over the batch of the critic's input-gradient norm where the penalty measured it,
 *                         or NaN when the constraint does not measure one
 */
public record Penalty(double value, double meanGradientNorm) {

    /** No penalty: value 0, no gradient norm measured. */
    public static final Penalty NONE = new Penalty(0.0, Double.NaN);
}
