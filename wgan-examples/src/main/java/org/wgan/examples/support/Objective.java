package org.wgan.examples.support;

/**
 * The image examples' training objective ({@code FashionGan}, {@code wgan train}), with its recipe's critic steps
 * per generator step.
 */
public enum Objective {
    /** The Wasserstein objective with the gradient penalty (Gulrajani et al. 2017), 5 critic steps. */
    WGAN_GP(5),
    /** The non-saturating cross-entropy baseline (Goodfellow et al. 2014), one discriminator step. */
    NON_SATURATING(1);

    private final int criticSteps;

    Objective(int criticSteps) {
        this.criticSteps = criticSteps;
    }

    /** The recipe's critic (discriminator) steps per generator step. */
    public int criticSteps() {
        return criticSteps;
    }
}
