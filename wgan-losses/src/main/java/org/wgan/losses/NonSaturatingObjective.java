package org.wgan.losses;

import static org.wgan.losses.StableMath.sigmoid;
import static org.wgan.losses.StableMath.softplus;

/**
 * The non-saturating ("cross-entropy") GAN objective (Goodfellow et al. 2014, section 3): the minimax
 * discriminator loss, and a generator that maximises {@code log D(x~)} instead of minimising
 * {@code log(1 - D(x~))}. Scores are logits s:
 * <pre>
 *   critic (discriminator): L_D = mean softplus(-s) + mean softplus(s~)
 *   generator:              L_G = -mean log D(x~) = mean softplus(-s~)
 * </pre>
 */
public final class NonSaturatingObjective extends PerSampleObjective {

    NonSaturatingObjective() {
        super("non-saturating",
                new Term(s -> softplus(-s), s -> -sigmoid(-s)),
                new Term(s -> softplus(s), s -> sigmoid(s)),
                new Term(s -> softplus(-s), s -> -sigmoid(-s)));
    }
}
