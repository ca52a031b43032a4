package org.wgan.core.training;

import java.util.List;
import java.util.Objects;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.CheckpointPolicy;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.SampleSource;
import org.wgan.core.internal.Checks;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.Objective;

/**
 * The immutable settings of a {@link WganTrainer}, usually made by {@link WganTrainer.Builder#build()}. The
 * networks and sources are shared references (they hold the training state); everything else is a value.
 *
 * <p>Every rule is checked here, so an invalid configuration cannot exist, whoever constructs it: the ranges
 * ({@link IllegalArgumentException}) and the rules between fields ({@link IllegalStateException}: an objective
 * that needs a Lipschitz constraint without one, a latent sampler of another size than the generator's input,
 * generator and critic sharing their parameters), and the constraint's own check of the critic.
 *
 * @param generator         the generator
 * @param critic            the critic
 * @param objective         critic and generator losses
 * @param constraint        the Lipschitz constraint on the critic
 * @param criticSchedule    critic updates per generator update
 * @param batchSize         samples per batch (real and generated), at least 1
 * @param realSamples       the real data
 * @param latentSampler     the generator's noise, of the generator's latent size
 * @param seed              seed of the trainer's own random source
 * @param maxGeneratorSteps {@code fit()} stops after this many generator steps in total, at least 1
 * @param listeners         notified in order (after the {@link org.wgan.core.listener.NonFiniteGuard}, when
 *                          {@code stopOnNonFinite})
 * @param stopOnNonFinite   whether the trainer installs a {@code NonFiniteGuard} first, so a NaN or infinite loss
 *                          stops training, and checks both networks' parameters after each of their updates, so
 *                          NaN or infinite parameters stop it too while the losses are still finite
 * @param checkpoints       when and where checkpoints are written ({@link CheckpointPolicy#NONE} for never)
 */
public record TrainerConfig(Generator generator, Critic critic, Objective objective, LipschitzConstraint constraint,
        CriticSchedule criticSchedule, int batchSize, SampleSource realSamples, LatentSampler latentSampler,
        long seed, long maxGeneratorSteps, List<TrainerListener> listeners, boolean stopOnNonFinite,
        CheckpointPolicy checkpoints) {

    /**
     * Checks every field and the rules between them.
     *
     * @throws NullPointerException     naming a missing part
     * @throws IllegalArgumentException naming a field out of range, or if the constraint cannot handle the critic
     * @throws IllegalStateException    if the parts do not fit together
     */
    public TrainerConfig {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(critic, "critic");
        Objects.requireNonNull(objective, "objective");
        Objects.requireNonNull(constraint, "constraint");
        Objects.requireNonNull(criticSchedule, "criticSchedule");
        Objects.requireNonNull(realSamples, "realSamples");
        Objects.requireNonNull(latentSampler, "latentSampler");
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(checkpoints, "checkpoints");
        Checks.atLeast("batchSize", batchSize, 1);
        Checks.atLeast("maxGeneratorSteps", maxGeneratorSteps, 1);
        listeners = List.copyOf(listeners);
        if (generator.parameters().data() == critic.parameters().data()) {
            throw new IllegalStateException("generator and critic must be different networks, but share their"
                    + " parameters");
        }
        if (objective.requiresLipschitzConstraint() && constraint == LipschitzConstraints.none()) {
            throw new IllegalStateException("the " + objective.name() + " objective needs a Lipschitz"
                    + " constraint on the critic; call constraint(LipschitzConstraints.weightClipping(0.01))"
                    + " or another constraint before build()");
        }
        if (latentSampler.latentSize() != generator.latentSize()) {
            throw new IllegalStateException("latentSampler gives vectors of size " + latentSampler.latentSize()
                    + ", but the generator expects " + generator.latentSize());
        }
        constraint.validate(critic);
    }

    /** The settings as one line, for logs and error messages. */
    public String describe() {
        return "objective=" + objective.name() + ", constraint=" + constraint + ", criticSchedule=" + criticSchedule
                + ", batchSize=" + batchSize + ", latent=" + latentSampler + ", seed=" + seed
                + ", maxGeneratorSteps=" + maxGeneratorSteps + ", critic=" + critic + ", generator=" + generator;
    }
}
