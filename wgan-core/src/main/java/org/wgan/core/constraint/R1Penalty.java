package org.wgan.core.constraint;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.TwiceDifferentiableCritic;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.internal.Checks;

/**
 * The R1 regulariser (Mescheder, Geiger and Nowozin, "Which Training Methods for GANs do actually Converge?",
 * ICML 2018): a zero-centred gradient penalty on real data only,
 * <pre>
 *   R1 = gamma / 2 * mean_i ||grad_x f(x_i)||^2,   x_i real
 * </pre>
 * added to the critic loss and minimised in the same update, with its exact second-order parameter gradient
 * ({@code dR1/dg_i = gamma g_i / B}). Usually paired with the non-saturating objective. Create with
 * {@link LipschitzConstraints#r1(double)}.
 */
public final class R1Penalty implements LipschitzConstraint {

    private final double gamma;

    R1Penalty(double gamma) {
        Checks.nonNegative("gamma", gamma);
        this.gamma = gamma;
    }

    /** The weight gamma. */
    public double gamma() {
        return gamma;
    }

    @Override
    public void validate(Critic critic) {
        GradientPenalty.requireTwiceDifferentiable(critic, "R1");
    }

    @Override
    public boolean hasPenalty() {
        return true;
    }

    @Override
    public Penalty penalty(Critic critic, INDArray real, INDArray fake, Random random, INDArray parameterGradient) {
        InputGradient gradient = ((TwiceDifferentiableCritic) critic).inputGradient(real);
        INDArray g = gradient.value();
        long batch = g.size(0);
        INDArray squaredNorms = g.mul(g).reshape(batch, -1).sum(1);
        double value = gamma / 2 * squaredNorms.meanNumber().doubleValue();
        gradient.addParameterGradient(g.mul(gamma / batch), parameterGradient);
        double meanNorm = org.nd4j.linalg.ops.transforms.Transforms.sqrt(squaredNorms, false).meanNumber()
                .doubleValue();
        return new Penalty(value, meanNorm);
    }

    @Override
    public String toString() {
        return "R1Penalty[gamma=" + gamma + "]";
    }
}
