package org.wgan.core.constraint;


/**
 * The value of a Lipschitz penalty for one critic update.
 *
 * @param value            the penalty added to the critic loss (already multiplied by its weight)
 * @param meanGradientNorm {@code mean_i ||grad_x f(x_i)||_2} over the points where the penalty measured the
 *                         critic's input gradient: the plain norm, without the epsilon smoothing of
 *                         {@link GradientPenalty#withEpsilon(double)}; NaN when the constraint does not measure one
 */
public record Penalty(double value, double meanGradientNorm) {

    /** No penalty: value 0, no gradient norm measured. */
    public static final Penalty NONE = new Penalty(0.0, Double.NaN);
}
