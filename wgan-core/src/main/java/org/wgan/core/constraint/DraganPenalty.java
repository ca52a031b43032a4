package org.wgan.core.constraint;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;
import org.wgan.core.TwiceDifferentiableCritic;
import org.wgan.core.internal.Checks;

/**
 * DRAGAN (Kodali, Abernethy, Hays and Kira, "On Convergence and Stability of GANs", 2017): the gradient penalty
 * measured around the real data instead of between real and generated samples. With {@code s} the standard
 * deviation of the real batch (over all its values), {@code u ~ U[0, 1)} per value and {@code alpha ~ U[0, 1]}
 * per sample:
 * <pre>
 *   x_p = x + perturbation * s * u,   x^ = x + alpha (x_p - x)
 *   P = penaltyWeight * mean_i (||grad_x f(x^_i)|| - 1)^2
 * </pre>
 * as in the authors' code (perturbation 0.5, weight 10). The generated batch is not used. The parameter gradient
 * is exact (second order), as for {@link GradientPenalty}. Create with {@link LipschitzConstraints#dragan(double)}.
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

    public double penaltyWeight() {
        return penalty.penaltyWeight();
    }

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
        double std = real.castTo(DataType.DOUBLE).stdNumber().doubleValue();
        double[] noise = new double[Math.toIntExact(real.length())];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = perturbation * std * random.nextDouble();
        }
        INDArray perturbed = real.add(Nd4j.create(noise, real.shape(), 'c').castTo(real.dataType()));
        return penalty.penaltyAt(GradientPenalty.interpolate(real, perturbed, GradientPenalty.drawAlphas(real, random)),
                (TwiceDifferentiableCritic) critic, parameterGradient);
    }

    @Override
    public String toString() {
        return "DraganPenalty[penaltyWeight=" + penalty.penaltyWeight() + ", perturbation=" + perturbation + "]";
    }
}
