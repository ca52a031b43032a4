package org.wgan.losses;


/**
 * The Wasserstein objective (Arjovsky, Chintala and Bottou, "Wasserstein GAN", ICML 2017). With critic scores
 * {@code f}:
 * <pre>
 *   critic:    L_C = mean f(x~) - mean f(x)     (minimised; -L_C estimates W1(P_r, P_g) for a 1-Lipschitz f)
 *   generator: L_G = -mean f(x~)
 * </pre>
 * Scores are unbounded reals (no sigmoid). Needs a Lipschitz constraint on the critic (weight clipping or a
 * gradient penalty), without which {@code L_C} is unbounded below.
 */
public final class WassersteinObjective extends PerSampleObjective {

    WassersteinObjective() {
        super("wasserstein",
                new Term(s -> -s, s -> -1),
                new Term(s -> s, s -> 1),
                new Term(s -> -s, s -> -1));
    }

    @Override
    public boolean requiresLipschitzConstraint() {
        return true;
    }
}
