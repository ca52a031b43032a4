package org.wgan.core.constraint;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;
import org.wgan.core.TwiceDifferentiableCritic;
import org.wgan.core.TwiceDifferentiableCritic.InputGradient;
import org.wgan.core.internal.Checks;

/**
 * The gradient penalty of WGAN-GP (Gulrajani, Ahmed, Arjovsky, Dumoulin and Courville, "Improved Training of
 * Wasserstein GANs", NeurIPS 2017):
 * <pre>
 *   alpha_i ~ U[0, 1] (one per sample),  x^_i = x_i + alpha_i (x~_i - x_i)
 *   P = penaltyWeight * mean_i (||grad_x f(x^_i)||_2 - targetNorm)^2
 * </pre>
 * with the norm taken per sample over all non-batch axes, added to the critic loss and minimised in the same
 * critic update. The penalty's parameter gradient is second order ({@code d/dtheta} of an input gradient) and is
 * computed exactly by the critic's double backprop ({@link TwiceDifferentiableCritic}); a critic that cannot be
 * differentiated twice is rejected when the trainer is built, never approximated.
 *
 * <p>Variants: {@link #oneSided()} penalises only norms above the target, {@code max(0, ||g|| - t)^2};
 * {@link #withEpsilon(double)} takes {@code sqrt(||g||^2 + epsilon)} so the norm is differentiable at 0.
 * Create with {@link LipschitzConstraints#gradientPenalty(double)}.
 */
public final class GradientPenalty implements LipschitzConstraint {

    /** The paper's penalty weight (lambda). */
    public static final double DEFAULT_PENALTY_WEIGHT = 10.0;
    /** The paper's target gradient norm. */
    public static final double DEFAULT_TARGET_NORM = 1.0;

    /** Which deviations from the target norm are penalised. */
    public enum Side {
        /** {@code (||g|| - t)^2}: the paper's penalty. */
        TWO_SIDED,
        /** {@code max(0, ||g|| - t)^2}: only norms above the target. */
        ONE_SIDED
    }

    private final double penaltyWeight;
    private final double targetNorm;
    private final Side side;
    private final double epsilon;

    GradientPenalty(double penaltyWeight, double targetNorm, Side side, double epsilon) {
        Checks.nonNegative("penaltyWeight", penaltyWeight);
        Checks.nonNegative("targetNorm", targetNorm);
        Checks.nonNegative("epsilon", epsilon);
        this.penaltyWeight = penaltyWeight;
        this.targetNorm = targetNorm;
        this.side = Objects.requireNonNull(side, "side");
        this.epsilon = epsilon;
    }

    /** The same penalty with another target norm. @throws IllegalArgumentException if negative or not finite */
    public GradientPenalty withTargetNorm(double targetNorm) {
        return new GradientPenalty(penaltyWeight, targetNorm, side, epsilon);
    }

    /** The same penalty, one-sided: only norms above the target are penalised. */
    public GradientPenalty oneSided() {
        return new GradientPenalty(penaltyWeight, targetNorm, Side.ONE_SIDED, epsilon);
    }

    /**
     * The same penalty with {@code ||g|| = sqrt(sum g^2 + epsilon)}.
     *
     * @throws IllegalArgumentException if negative or not finite
     */
    public GradientPenalty withEpsilon(double epsilon) {
        return new GradientPenalty(penaltyWeight, targetNorm, side, epsilon);
    }

    public double penaltyWeight() {
        return penaltyWeight;
    }

    public double targetNorm() {
        return targetNorm;
    }

    public Side side() {
        return side;
    }

    public double epsilon() {
        return epsilon;
    }

    @Override
    public void validate(Critic critic) {
        requireTwiceDifferentiable(critic, "the gradient penalty");
    }

    /** The check every penalty on input gradients makes when the trainer is built. */
    static void requireTwiceDifferentiable(Critic critic, String penaltyName) {
        if (!(critic instanceof TwiceDifferentiableCritic twice)) {
            throw new IllegalArgumentException(penaltyName + " needs a critic it can differentiate twice ("
                    + TwiceDifferentiableCritic.class.getSimpleName() + "), but got " + critic.getClass().getName()
                    + "; wrap a MultiLayerNetwork with MultiLayerCritic.of(...)");
        }
        twice.requireTwiceDifferentiable();
    }

    @Override
    public boolean hasPenalty() {
        return true;
    }

    @Override
    public Penalty penalty(Critic critic, INDArray real, INDArray fake, Random random, INDArray parameterGradient) {
        if (!Arrays.equals(real.shape(), fake.shape())) {
            throw new IllegalArgumentException("real samples " + Arrays.toString(real.shape())
                    + " and fake samples " + Arrays.toString(fake.shape()) + " must have the same shape");
        }
        return penaltyAt(interpolate(real, fake, drawAlphas(real, random)), (TwiceDifferentiableCritic) critic,
                parameterGradient);
    }

    /** One interpolation weight per sample, U[0, 1). */
    static double[] drawAlphas(INDArray samples, Random random) {
        double[] alphas = new double[Math.toIntExact(samples.size(0))];
        for (int i = 0; i < alphas.length; i++) {
            alphas[i] = random.nextDouble();
        }
        return alphas;
    }

    /**
     * {@code x + alpha (x~ - x)}, one alpha per sample over the non-batch axes, in the samples' type. Computed in one
     * Java pass: the batch is small next to the critic's work, and each ND4J op costs tens of microseconds of
     * dispatch whatever its size.
     */
    static INDArray interpolate(INDArray real, INDArray fake, double[] alpha) {
        double[] x = rowMajor(real);
        double[] xTilde = rowMajor(fake);
        int width = x.length / alpha.length;
        for (int i = 0; i < alpha.length; i++) {
            for (int j = i * width; j < (i + 1) * width; j++) {
                x[j] += alpha[i] * (xTilde[j] - x[j]);
            }
        }
        return create(x, real);
    }

    /** The values of {@code a} in row-major order, as doubles. */
    static double[] rowMajor(INDArray a) {
        // a view at an offset is copied first: its buffer is itself a view, and element indices start at the view
        INDArray c = a.offset() == 0 && isContiguousRowMajor(a) ? a : a.dup('c');
        int n = Math.toIntExact(c.length());
        if (c.dataType() == DataType.DOUBLE) {
            return c.data().getDoublesAt(0, n);
        }
        if (c.dataType() == DataType.FLOAT) {
            float[] values = c.data().getFloatsAt(0, n);
            double[] widened = new double[n];
            for (int i = 0; i < n; i++) {
                widened[i] = values[i];
            }
            return widened;
        }
        return c.castTo(DataType.DOUBLE).data().asDouble();
    }

    private static boolean isContiguousRowMajor(INDArray a) {
        return a.ordering() == 'c' && a.elementWiseStride() == 1 && Shape.isContiguousInBuffer(a);
    }

    /** A new row-major array of {@code like}'s shape and type holding {@code values}. */
    static INDArray create(double[] values, INDArray like) {
        if (like.dataType() == DataType.FLOAT) {
            float[] narrowed = new float[values.length];
            for (int i = 0; i < values.length; i++) {
                narrowed[i] = (float) values[i];
            }
            return Nd4j.create(narrowed, like.shape(), 'c');
        }
        INDArray doubles = Nd4j.create(values, like.shape(), 'c');
        return like.dataType() == DataType.DOUBLE ? doubles : doubles.castTo(like.dataType());
    }

    /**
     * The penalty at given points, adding its parameter gradient to {@code parameterGradient}.
     *
     * @param points the points {@code x^} where the critic's input gradient is measured, {@code [batch, ...]}
     * @return the penalty, with {@link Penalty#meanGradientNorm()} the mean plain norm {@code ||g_i||} (without the
     *         epsilon of {@link #withEpsilon(double)}, which only smooths the penalty)
     */
    public Penalty penaltyAt(INDArray points, TwiceDifferentiableCritic critic, INDArray parameterGradient) {
        InputGradient gradient = critic.inputGradient(points);
        INDArray g = gradient.value();
        int batch = Math.toIntExact(g.size(0));
        double[] values = rowMajor(g);
        int width = values.length / batch;
        double penaltySum = 0;
        double normSum = 0;
        for (int i = 0; i < batch; i++) {
            double squares = 0;
            for (int j = i * width; j < (i + 1) * width; j++) {
                squares += values[j] * values[j];
            }
            // the penalty uses the smoothed norm; the reported norm is the plain ||g_i|| (Penalty's javadoc)
            normSum += Math.sqrt(squares);
            double norm = Math.sqrt(squares + epsilon);
            double excess = norm - targetNorm;
            if (side == Side.ONE_SIDED) {
                excess = Math.max(excess, 0.0);
            }
            penaltySum += excess * excess;
            // dP/dg_i = penaltyWeight * 2 (||g_i|| - t) / B * g_i / ||g_i||; where g_i = 0 (norm 0, no epsilon) the
            // norm has no gradient and the subgradient 0 is taken (dividing would give 0 * inf = NaN); a NaN norm
            // stays NaN, so a diverged critic is not hidden
            double scale = norm == 0.0 ? 0.0 : 2.0 * penaltyWeight * excess / (batch * norm);
            for (int j = i * width; j < (i + 1) * width; j++) {
                values[j] *= scale;
            }
        }
        gradient.addParameterGradient(create(values, g), parameterGradient);
        return new Penalty(penaltyWeight * penaltySum / batch, normSum / batch);
    }

    @Override
    public String toString() {
        return "GradientPenalty[penaltyWeight=" + penaltyWeight + ", targetNorm=" + targetNorm + ", side=" + side
                + ", epsilon=" + epsilon + "]";
    }
}
