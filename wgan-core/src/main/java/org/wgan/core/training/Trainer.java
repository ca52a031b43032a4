package org.wgan.core.training;

import java.util.OptionalLong;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;

/**
 * Trains a generator against a critic. The standard implementation is {@link WganTrainer}; build one with
 * {@link WganTrainer#builder()}.
 */
public interface Trainer {

    /**
     * Trains until {@link TrainerConfig#maxGeneratorSteps()} generator steps have been done in total or a listener
     * requests a stop. Calling it again after a stop continues where it ended.
     *
     * @return what was done
     * @throws org.wgan.core.listener.TrainingDivergedException if a loss becomes NaN or infinite
     */
    TrainingSummary fit();

    /**
     * One training iteration: the scheduled critic updates, then one generator update. Listeners are notified.
     *
     * @return the iteration's figures
     */
    GeneratorStepEvent step();

    /**
     * One critic update outside the schedule (the generator step counter does not move): for benchmarks and
     * custom schedules. Listeners are notified.
     *
     * @return the update's figures
     */
    CriticStepEvent criticStep();

    /**
     * A copy of everything needed to continue this run exactly: both networks' parameters, optimizer states and
     * update counters, the step counters, the random state and the checkpoint participants' arrays.
     */
    Checkpoint checkpoint();

    /**
     * Continues from a checkpoint written with the same settings: {@link #restore(Checkpoint, RestoreMode)} with
     * {@link RestoreMode#REQUIRE_SAME_SETTINGS}.
     *
     * @throws org.wgan.core.checkpoint.CheckpointMismatchException if the checkpoint does not fit this trainer,
     *                                                              listing every difference (nothing changes)
     */
    default void restore(Checkpoint checkpoint) {
        restore(checkpoint, RestoreMode.REQUIRE_SAME_SETTINGS);
    }

    /**
     * Continues from a checkpoint: overwrites both networks' parameters, optimizer states and update counters,
     * the step counters, the random state and the participants' arrays. The next step is the one after the
     * checkpoint's; {@code fit()} then trains up to {@link TrainerConfig#maxGeneratorSteps()} in total.
     *
     * <p>Everything is checked before anything is written: each network's architecture (the names and shapes of
     * its parameter blocks), the lengths and data types of its parameters and optimizer state, its update count
     * against what the network can count; every participant's arrays (names, shapes, data types, see
     * {@link org.wgan.core.checkpoint.CheckpointParticipant#checkpointMismatches}); and, unless {@code mode} is
     * {@link RestoreMode#ALLOW_CHANGED_SETTINGS}, the objective, constraint, critic schedule, batch size, latent
     * sampler and seed against the checkpoint's, and that every array of the checkpoint has a participant. A
     * checkpoint that records no architecture or settings (written by an earlier version) is checked by its
     * arrays' lengths and data types only, with a warning in the log.
     *
     * @param mode whether the settings must be the checkpoint's
     * @throws org.wgan.core.checkpoint.CheckpointMismatchException (an {@link IllegalArgumentException}) listing
     *                                                              every difference, each with both values; the
     *                                                              networks, counters, random state and
     *                                                              participants are then exactly as before
     */
    void restore(Checkpoint checkpoint, RestoreMode mode);

    /**
     * Restores the newest readable checkpoint of the configured checkpoint store, if there is one, requiring the
     * same settings: {@link #resumeFromLatest(RestoreMode)} with {@link RestoreMode#REQUIRE_SAME_SETTINGS}.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException                                if no checkpoint store is configured
     * @throws java.io.UncheckedIOException                         if checkpoints exist but none can be read
     * @throws org.wgan.core.checkpoint.CheckpointMismatchException if the newest does not fit (nothing changes)
     */
    default OptionalLong resumeFromLatest() {
        return resumeFromLatest(RestoreMode.REQUIRE_SAME_SETTINGS);
    }

    /**
     * Restores the newest readable checkpoint of the configured checkpoint store, if there is one, checked as
     * {@link #restore(Checkpoint, RestoreMode)} checks it; the next {@link #fit()} continues from it. A newest
     * checkpoint that does not fit is refused; older ones are not tried.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException                                if no checkpoint store is configured
     * @throws java.io.UncheckedIOException                         if checkpoints exist but none can be read
     * @throws org.wgan.core.checkpoint.CheckpointMismatchException if the newest does not fit, listing every
     *                                                              difference (nothing changes)
     */
    OptionalLong resumeFromLatest(RestoreMode mode);

    /** Generator steps completed so far. */
    long generatorStep();

    /** The settings. */
    TrainerConfig config();
}
