package org.wgan.core.constraint;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.TwiceDifferentiableCritic;
import org.wgan.core.internal.Checks;

/**
 * DRAGAN (Kodali, Abernethy, Hays and Kira, "On Convergence and Stability of GANs", 2017): the gradient penalty
 * measured around the real data instead of between real and generated samples. With {@code s} the population
 * standard deviation of the real batch over all its values ({@code sqrt(mean (x - mean x)^2)}, divided by N as
 * numpy's {@code x.std()} in the authors' code, not by N - 1), {@code u ~ U[0, 1)} per value and
 * {@code alpha ~ U[0, 1)} per sample, drawn in that order from the trainer's random source:
 * <pre>
 *   x_p = x + perturbation * s * u,   x^ = x + alpha (x_p - x)
 *   P = penaltyWeight * mean_i (||grad_x f(x^_i)|| - 1)^2
 * </pre>
 * as in the authors' code (perturbation {@value #DEFAULT_PERTURBATION}, weight 10). The generated batch is not used.
 * The parameter gradient is exact (second order), as for {@link GradientPenalty}. Create with
 * {@link LipschitzConstraints#dragan(double)} or {@link LipschitzConstraints#dragan(double, double)}.
 */
public final class DraganPenalty implements LipschitzConstraint {

    /** The authors' perturbation scale, in standard deviations of the real batch. */
    public static final double DEFAULT_PERTURBATION = 0.5;

    private final GradientPenalty penalty;
    private final double perturbation;

    DraganPenalty(double penaltyWeight, double perturbation) {
        Checks.nonNegative("perturbation", perturbation);
        this.penalty = LipschitzConstraints.gradientPenalty(penaltyWeight);
        this.perturbation = perturbation;
    }

    /**
     * The same penalty with another perturbation scale.
     *
     * @param perturbation in standard deviations of the real batch, finite and {@code >= 0}; default
     *                     {@value #DEFAULT_PERTURBATION}
     * @throws IllegalArgumentException if perturbation is NaN, infinite or negative
     */
    public DraganPenalty withPerturbation(double perturbation) {
        return new DraganPenalty(penalty.penaltyWeight(), perturbation);
    }

    /** The weight of the penalty in the critic loss. */
    public double penaltyWeight() {
        return penalty.penaltyWeight();
    }

    /** The perturbation scale, in standard deviations of the real batch. */
    public double perturbation() {
        return perturbation;
    }

    @Override
    public void validate(Critic critic) {
        GradientPenalty.requireTwiceDifferentiable(critic, "DRAGAN");
    }

    @Override
    public boolean hasPenalty() {
        return true;
    }

    @Override
    public Penalty penalty(Critic critic, INDArray real, INDArray fake, Random random, INDArray parameterGradient) {
        double[] values = GradientPenalty.rowMajor(real);
        double scale = perturbation * populationStd(values);
        for (int i = 0; i < values.length; i++) {
            values[i] += scale * random.nextDouble();
        }
        INDArray perturbed = GradientPenalty.create(values, real);
        return penalty.penaltyAt(GradientPenalty.interpolate(real, perturbed, GradientPenalty.drawAlphas(real, random)),
                (TwiceDifferentiableCritic) critic, parameterGradient);
    }

    /** {@code sqrt(mean (x - mean x)^2)}: numpy's {@code x.std()}, which the authors' code uses (not ND4J's N - 1). */
    static double populationStd(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return Math.sqrt(squares / values.length);
    }

    @Override
    public String toString() {
        return "DraganPenalty[penaltyWeight=" + penalty.penaltyWeight() + ", perturbation=" + perturbation + "]";
    }
}
