package org.wgan.losses;

import org.wgan.core.objective.Objective;

/** Factories for the GAN objectives; each gives the critic loss and the matching generator loss. */
public final class Objectives {

    private static final Objective WASSERSTEIN = new WassersteinObjective();
    private static final Objective MINIMAX = new MinimaxObjective();
    private static final Objective NON_SATURATING = new NonSaturatingObjective();
    private static final Objective LEAST_SQUARES = new LeastSquaresObjective();
    private static final Objective HINGE = new HingeObjective();

    private Objectives() {
    }

    /** Wasserstein (WGAN): see {@link WassersteinObjective}. Needs a Lipschitz constraint. */
    public static Objective wasserstein() {
        return WASSERSTEIN;
    }

    /** Minimax / Jensen-Shannon with the saturating generator: see {@link MinimaxObjective}. */
    public static Objective minimax() {
        return MINIMAX;
    }

    /** Non-saturating cross-entropy: see {@link NonSaturatingObjective}. */
    public static Objective nonSaturating() {
        return NON_SATURATING;
    }

    /** Least squares (LSGAN): see {@link LeastSquaresObjective}. */
    public static Objective leastSquares() {
        return LEAST_SQUARES;
    }

    /** Hinge: see {@link HingeObjective}. */
    public static Objective hinge() {
        return HINGE;
    }
}
