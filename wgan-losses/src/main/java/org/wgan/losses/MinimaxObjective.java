package org.wgan.losses;

import static org.wgan.losses.StableMath.sigmoid;
import static org.wgan.losses.StableMath.softplus;

/**
 * The original minimax GAN objective (Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014) with the
 * saturating generator. Scores are logits s, {@code D = sigmoid(s)}:
 * <pre>
 *   critic (discriminator): L_D = -mean log D(x) - mean log(1 - D(x~)) = mean softplus(-s) + mean softplus(s~)
 *   generator:              L_G =  mean log(1 - D(x~))                 = -mean softplus(s~)
 * </pre>
 * At the optimal discriminator, {@code -L_D = 2 JS(P_r, P_g) - 2 log 2}. The generator's gradient vanishes when
 * the discriminator rejects fakes confidently, which is the failure the Wasserstein objective cures.
 */
public final class MinimaxObjective extends PerSampleObjective {

    MinimaxObjective() {
        super("minimax",
                new Term(s -> softplus(-s), s -> -sigmoid(-s)),
                new Term(s -> softplus(s), s -> sigmoid(s)),
                new Term(s -> -softplus(s), s -> -sigmoid(s)));
    }
}
