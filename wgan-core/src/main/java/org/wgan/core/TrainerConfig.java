package org.wgan.core;

import java.util.List;
import java.util.Objects;
import org.wgan.core.checkpoint.CheckpointPolicy;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.SampleSource;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.Objective;

/**
 * The immutable settings of a {@link WganTrainer}, made by {@link WganTrainer.Builder#build()}. The networks and
 * sources are shared references (they hold the training state); everything else is a value.
 *
 * @param generator          the generator
 * @param critic             the critic
 * @param objective          critic and generator losses
 * @param constraint         the Lipschitz constraint on the critic
 * @param criticSchedule     critic updates per generator update
 * @param batchSize          samples per batch (real and generated)
 * @param realSamples        the real data
 * @param latentSampler      the generator's noise
 * @param seed               seed of the trainer's own random source
 * @param maxGeneratorSteps  {@code fit()} stops after this many generator steps in total
 * @param listeners          notified in order
 * @param checkpoints        when and where checkpoints are written ({@link CheckpointPolicy#NONE} for never)
 */
public record TrainerConfig(Generator generator, Critic critic, Objective objective, LipschitzConstraint constraint,
        CriticSchedule criticSchedule, int batchSize, SampleSource realSamples, LatentSampler latentSampler,
        long seed, long maxGeneratorSteps, List<TrainerListener> listeners, CheckpointPolicy checkpoints) {

    public TrainerConfig {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(critic, "critic");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(criticSchedule, "criticSchedule");
        Objects.requireNonNull(realSamples, "realSamples");
        Objects.requireNonNull(latentSampler, "latentSampler");
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(checkpoints, "checkpoints");
    }

    /** The settings as one line, for logs and error messages. */
    public String describe() {
        return "objective=" + objective.name() + ", constraint=" + constraint + ", criticSchedule=" + criticSchedule
                + ", batchSize=" + batchSize + ", latent=" + latentSampler + ", seed=" + seed
                + ", maxGeneratorSteps=" + maxGeneratorSteps + ", critic=" + critic + ", generator=" + generator;
    }
}
