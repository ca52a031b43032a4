package org.wgan.examples.support;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.SampleSource;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.losses.Objectives;

/**
 * The trainer wiring the image examples share ({@code FashionGan}, {@code wgan train}): WGAN-GP (the Wasserstein
 * objective with the gradient penalty) or the non-saturating cross-entropy baseline (no constraint), checkpoints
 * holding the grids' fixed noise and, when there is one, the generator's EMA.
 *
 * @param wgan          WGAN-GP rather than the baseline
 * @param penaltyWeight the gradient penalty's weight (WGAN-GP only)
 * @param criticSteps   critic steps per generator step
 * @param batchSize     samples per batch
 * @param seed          the trainer's seed
 * @param steps         generator steps to train to
 */
public record GanRecipe(boolean wgan, double penaltyWeight, int criticSteps, int batchSize, long seed, long steps) {

    /** A builder wired for these networks and data, checkpointing to {@code store} every {@code every} steps. */
    public WganTrainer.Builder trainer(Generator generator, Critic critic, LatentSampler latent, SampleSource real,
            CheckpointStore store, long every, INDArray fixedNoise, GeneratorEma ema) {
        WganTrainer.Builder builder = WganTrainer.builder()
                .generator(generator).critic(critic)
                .objective(wgan ? Objectives.wasserstein() : Objectives.nonSaturating())
                .constraint(wgan ? LipschitzConstraints.gradientPenalty(penaltyWeight) : LipschitzConstraints.none())
                .criticStepsPerGeneratorStep(criticSteps)
                .batchSize(batchSize)
                .latentSampler(latent)
                .realSamples(real)
                .seed(seed)
                .maxGeneratorSteps(steps)
                .checkpoints(store, every)
                .checkpointParticipant(CheckpointParticipant.fixedArray("fixedNoise", fixedNoise));
        if (ema != null) {
            builder.listener(ema).checkpointParticipant(ema);
        }
        return builder;
    }
}
