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
     * Continues from a checkpoint: overwrites both networks' parameters, optimizer states and update counters,
     * the step counters, the random state and the participants' arrays. The next step is the one after the
     * checkpoint's; {@code fit()} then trains up to {@link TrainerConfig#maxGeneratorSteps()} in total.
     *
     * @throws IllegalArgumentException if the checkpoint does not fit these networks or participants (the
     *                                  message names the array and both sizes)
     */
    void restore(Checkpoint checkpoint);

    /**
     * Restores the newest readable checkpoint of the configured checkpoint store, if there is one; the next
     * {@link #fit()} continues from it.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException           if no checkpoint store is configured
     * @throws java.io.UncheckedIOException if checkpoints exist but none can be read
     */
    OptionalLong resumeFromLatest();

    /** Generator steps completed so far. */
    long generatorStep();

    /** The settings. */
    TrainerConfig config();
}
