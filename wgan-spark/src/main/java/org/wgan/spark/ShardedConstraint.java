package org.wgan.spark;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.constraint.GradientPenalty;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.Penalty;
import org.wgan.core.constraint.R1Penalty;

/**
 * One task's view of a Lipschitz constraint whose penalty draws from the trainer's random source. The gradient
 * penalty draws one {@code nextDouble()} per sample, in order (its interpolation weight alpha): for a global batch
 * of {@code shardCount * b}, task {@code k} skips the draws of the {@code k * b} samples before its share, lets the
 * penalty draw its {@code b}, then skips the rest, so every task's random source stays in lockstep and its alphas
 * are the global batch's rows. Constraints without a penalty, and R1 (which draws nothing), need no view.
 */
final class ShardedConstraint implements LipschitzConstraint {

    private final LipschitzConstraint delegate;
    private final int shardIndex;
    private final int shardCount;

    private ShardedConstraint(LipschitzConstraint delegate, int shardIndex, int shardCount) {
        this.delegate = delegate;
        this.shardIndex = shardIndex;
        this.shardCount = shardCount;
    }

    /**
     * The constraint as one task must run it.
     *
     * @throws IllegalArgumentException if its penalty draws in a way a share cannot reproduce
     */
    static LipschitzConstraint of(LipschitzConstraint constraint, int shardIndex, int shardCount) {
        requireSupported(constraint);
        return constraint instanceof GradientPenalty ? new ShardedConstraint(constraint, shardIndex, shardCount)
                : constraint;
    }

    /**
     * Checks that a task's share of the constraint's penalty can equal the global batch's.
     *
     * @throws IllegalArgumentException naming the constraint
     */
    static void requireSupported(LipschitzConstraint constraint) {
        if (constraint.hasPenalty() && !(constraint instanceof GradientPenalty)
                && !(constraint instanceof R1Penalty)) {
            throw new IllegalArgumentException("constraint " + constraint + " is not supported by SparkWganTrainer:"
                    + " its penalty's random draws per sample are unknown, so the tasks' shares would not add up to"
                    + " one batch's; use weight clipping, the gradient penalty, R1 or a constraint without a penalty");
        }
    }

    @Override
    public void validate(Critic critic) {
        delegate.validate(critic);
    }

    @Override
    public boolean hasPenalty() {
        return delegate.hasPenalty();
    }

    @Override
    public Penalty penalty(Critic critic, INDArray real, INDArray fake, Random random, INDArray parameterGradient) {
        long share = real.size(0);
        skip(random, shardIndex * share);
        Penalty penalty = delegate.penalty(critic, real, fake, random, parameterGradient);
        skip(random, (shardCount - 1 - shardIndex) * share);
        return penalty;
    }

    @Override
    public void afterCriticUpdate(Critic critic) {
        delegate.afterCriticUpdate(critic);
    }

    /** The delegate's, so checkpoints written by one task match every other task's settings. */
    @Override
    public String toString() {
        return delegate.toString();
    }

    private static void skip(Random random, long draws) {
        for (long i = 0; i < draws; i++) {
            random.nextDouble();
        }
    }
}
