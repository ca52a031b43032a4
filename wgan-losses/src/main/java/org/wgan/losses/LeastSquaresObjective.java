package org.wgan.losses;


/**
 * The least-squares GAN objective (Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017) with
 * targets a = 0 (fake), b = 1 (real), c = 1 (what the generator wants). Scores are raw outputs, not logits:
 * <pre>
 *   critic:    L_C = 1/2 mean (s - 1)^2 + 1/2 mean s~^2
 *   generator: L_G = 1/2 mean (s~ - 1)^2
 * </pre>
 */
public final class LeastSquaresObjective extends PerSampleObjective {

    LeastSquaresObjective() {
        super("least-squares",
                new Term(s -> 0.5 * (s - 1) * (s - 1), s -> s - 1),
                new Term(s -> 0.5 * s * s, s -> s),
                new Term(s -> 0.5 * (s - 1) * (s - 1), s -> s - 1));
    }
}
