package org.wgan.core.constraint;


/** Factories for the Lipschitz constraints. */
public final class LipschitzConstraints {

    private static final LipschitzConstraint NONE = new LipschitzConstraint() {
        @Override
        public String toString() {
            return "NoConstraint";
        }
    };

    private LipschitzConstraints() {
    }

    /**
     * Weight clipping to {@code [-clipValue, clipValue]} after every critic update, biases included.
     *
     * @param clipValue finite and {@code > 0}; the paper uses {@value WeightClipping#DEFAULT_CLIP_VALUE}
     * @throws IllegalArgumentException if clipValue is NaN, infinite or not positive
     */
    public static WeightClipping weightClipping(double clipValue) {
        return new WeightClipping(clipValue, WeightClipping.Scope.ALL_PARAMETERS);
    }

    /** Weight clipping with the paper's clip value {@value WeightClipping#DEFAULT_CLIP_VALUE}. */
    public static WeightClipping weightClipping() {
        return weightClipping(WeightClipping.DEFAULT_CLIP_VALUE);
    }

    /**
     * The WGAN-GP gradient penalty with target norm 1, two-sided, no epsilon.
     *
     * @param penaltyWeight finite and {@code >= 0}; the paper uses {@value GradientPenalty#DEFAULT_PENALTY_WEIGHT}
     * @throws IllegalArgumentException if penaltyWeight is NaN, infinite or negative
     */
    public static GradientPenalty gradientPenalty(double penaltyWeight) {
        return new GradientPenalty(penaltyWeight, GradientPenalty.DEFAULT_TARGET_NORM, GradientPenalty.Side.TWO_SIDED,
                0.0);
    }

    /** The gradient penalty with the paper's weight {@value GradientPenalty#DEFAULT_PENALTY_WEIGHT}. */
    public static GradientPenalty gradientPenalty() {
        return gradientPenalty(GradientPenalty.DEFAULT_PENALTY_WEIGHT);
    }

    /**
     * The R1 regulariser {@code gamma / 2 * mean ||grad_x f(x_real)||^2}.
     *
     * @param gamma finite and {@code >= 0}
     * @throws IllegalArgumentException if gamma is NaN, infinite or negative
     */
    public static R1Penalty r1(double gamma) {
        return new R1Penalty(gamma);
    }

    /**
     * DRAGAN: the gradient penalty around perturbed real samples, perturbation
     * {@value DraganPenalty#DEFAULT_PERTURBATION} standard deviations.
     *
     * @param penaltyWeight finite and {@code >= 0}; the authors use 10
     * @throws IllegalArgumentException if penaltyWeight is NaN, infinite or negative
     */
    public static DraganPenalty dragan(double penaltyWeight) {
        return dragan(penaltyWeight, DraganPenalty.DEFAULT_PERTURBATION);
    }

    /**
     * DRAGAN with another perturbation scale.
     *
     * @param penaltyWeight finite and {@code >= 0}; the authors use 10
     * @param perturbation  in standard deviations of the real batch, finite and {@code >= 0}; the authors use
     *                      {@value DraganPenalty#DEFAULT_PERTURBATION}
     * @throws IllegalArgumentException if either is NaN, infinite or negative
     */
    public static DraganPenalty dragan(double penaltyWeight, double perturbation) {
        return new DraganPenalty(penaltyWeight, perturbation);
    }

    /**
     * No constraint, for objectives that do not need one (minimax, non-saturating, least squares, hinge).
     * The trainer rejects it for the Wasserstein objective.
     */
    public static LipschitzConstraint none() {
        return NONE;
    }
}
