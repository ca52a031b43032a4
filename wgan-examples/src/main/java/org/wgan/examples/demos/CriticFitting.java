package org.wgan.examples.demos;

import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.SampleSource;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.Objective;
import org.wgan.core.training.WganTrainer;

/** Trains a critic (or discriminator) alone against a fixed generator, as the demos do before they measure it. */
final class CriticFitting {

    /** Samples per real and per generated batch. */
    static final int BATCH_SIZE = 256;

    private CriticFitting() {
    }

    /** The critic's Wasserstein estimate {@code mean f(real) - mean f(fake)} on the given samples. */
    static double estimate(Critic critic, org.nd4j.linalg.api.ndarray.INDArray real,
            org.nd4j.linalg.api.ndarray.INDArray fake) {
        return critic.score(real).meanNumber().doubleValue() - critic.score(fake).meanNumber().doubleValue();
    }

    /**
     * {@code steps} critic updates: one generator step of the trainer with that many critic steps, the generator
     * being fixed (its learning rate 0). Listeners see every critic update.
     */
    static void fit(Critic critic, Generator fixedGenerator, LatentSampler latent, SampleSource real,
            Objective objective, LipschitzConstraint constraint, int steps, long seed, TrainerListener... listeners) {
        WganTrainer.Builder builder = WganTrainer.builder();
        for (TrainerListener listener : listeners) {
            builder.listener(listener);
        }
        builder
                .generator(fixedGenerator).critic(critic)
                .objective(objective).constraint(constraint)
                .latentSampler(latent)
                .realSamples(real)
                .criticStepsPerGeneratorStep(steps)
                .batchSize(BATCH_SIZE)
                .seed(seed)
                .maxGeneratorSteps(1)
                .build()
                .fit();
    }
}
