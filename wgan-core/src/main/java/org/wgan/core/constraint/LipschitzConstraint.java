package org.wgan.core.constraint;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;

/**
 * Keeps the critic (approximately) 1-Lipschitz, as the Kantorovich-Rubinstein dual of the Wasserstein distance
 * requires. Two hooks cover both families of methods:
 * <ul>
 *   <li>a penalty term added to the critic loss and minimised in the same critic update (gradient penalty,
 *       Gulrajani et al. 2017): {@link #penalty};</li>
 *   <li>a projection after each critic update (weight clipping, Arjovsky et al. 2017):
 *       {@link #afterCriticUpdate}.</li>
 * </ul>
 * Factories: {@link LipschitzConstraints}.
 */
public interface LipschitzConstraint {

    /**
     * Checks, when the trainer is built, that this constraint can handle the critic.
     *
     * @throws IllegalArgumentException naming the unsupported part of the critic and what to use instead
     */
    default void validate(Critic critic) {
    }

    /** Whether {@link #penalty} adds a term; when false the trainer skips it entirely. */
    default boolean hasPenalty() {
        return false;
    }

    /**
     * Computes the penalty for one critic update and adds its gradient with respect to the critic's parameters to
     * {@code parameterGradient}. The trainer calls it after the objective's own forward/backward pass of the same
     * update, with the critic's gradient (holding the objective's gradient) as {@code parameterGradient}: the
     * penalty's products accumulate into it, with no second gradient-sized buffer to clear and add.
     *
     * @param critic            the critic, not to be updated here
     * @param real              the real batch of this update, {@code [batch, ...]}
     * @param fake              the generated batch of this update, same shape
     * @param random            the trainer's seeded random source (e.g. for interpolation weights)
     * @param parameterGradient shaped like {@code critic.gradient()}; d penalty / d parameters is added to it
     * @return the penalty's value and diagnostics
     */
    default Penalty penalty(Critic critic, INDArray real, INDArray fake, Random random, INDArray parameterGradient) {
        return Penalty.NONE;
    }

    /** Called after every critic optimizer update (weight clipping projects the parameters here). */
    default void afterCriticUpdate(Critic critic) {
    }
}
