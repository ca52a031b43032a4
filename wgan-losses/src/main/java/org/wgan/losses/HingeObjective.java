package org.wgan.losses;


/**
 * The hinge objective (Lim and Ye, "Geometric GAN", 2017; Miyato et al., "Spectral Normalization for GANs",
 * ICLR 2018). Scores are unbounded reals:
 * <pre>
 *   critic:    L_C = mean max(0, 1 - s) + mean max(0, 1 + s~)
 *   generator: L_G = -mean s~
 * </pre>
 * At the hinge's kink the derivative taken is 0.
 */
public final class HingeObjective extends PerSampleObjective {

    HingeObjective() {
        super("hinge",
                new Term(s -> Math.max(0, 1 - s), s -> s < 1 ? -1 : 0),
                new Term(s -> Math.max(0, 1 + s), s -> s > -1 ? 1 : 0),
                new Term(s -> -s, s -> -1));
    }
}
