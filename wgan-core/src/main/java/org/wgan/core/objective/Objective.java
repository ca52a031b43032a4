package org.wgan.core.objective;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A GAN objective: both halves of the game in one object, so a critic trained for one objective is never paired
 * with a generator loss of another by accident.
 *
 * <p>An objective only computes losses and their gradients with respect to the critic's outputs; it never runs
 * an optimizer (the trainer owns the steps). Both losses are minimised. Gradients include the batch mean: for
 * {@code L = mean_i l(s_i)} the gradient is {@code l'(s_i) / batch}.
 *
 * <p>Implementations live in the {@code wgan-losses} module ({@code org.wgan.losses.Objectives}).
 */
public interface Objective {

    /**
     * The critic's loss for one batch of real and one of fake samples.
     *
     * @param realScores critic outputs on real samples, {@code [batch, 1]}
     * @param fakeScores critic outputs on generated samples, {@code [batch, 1]}
     * @return the loss and its gradients with respect to both score arrays (same shapes)
     */
    CriticLoss criticLoss(INDArray realScores, INDArray fakeScores);

    /**
     * The generator's loss for one batch of generated samples.
     *
     * @param fakeScores critic outputs on generated samples, {@code [batch, 1]}
     * @return the loss and its gradient with respect to the scores (same shape)
     */
    GeneratorLoss generatorLoss(INDArray fakeScores);

    /**
     * Whether the objective is only meaningful with a Lipschitz constraint on the critic (true for the
     * Wasserstein objective, whose critic loss is unbounded below without one). The trainer refuses to build
     * such an objective without a constraint.
     */
    default boolean requiresLipschitzConstraint() {
        return false;
    }

    /** A short name for logs and reports, e.g. {@code "wasserstein"}. */
    String name();
}
