package org.wgan.core.listener;

import org.wgan.core.training.TrainerConfig;
import org.wgan.core.training.TrainingSummary;

/**
 * Observes a GAN training run. Every method has a no-op default; override what you need. To end training early,
 * call {@link StopHandle#requestStop(String)}: the trainer finishes the current generator step and returns.
 *
 * <p>(Not to be confused with DL4J's own {@code TrainingListener}, which sees single-network fits.)
 */
public interface TrainerListener {

    /** Before the first step of a {@code fit()} call. */
    default void onTrainingStart(TrainerConfig config) {
    }

    /** After every critic update. */
    default void onCriticStep(CriticStepEvent event, StopHandle stop) {
    }

    /** After every generator update (one training iteration). */
    default void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
    }

    /** When a {@code fit()} call ends normally (step budget reached or stop requested). */
    default void onTrainingEnd(TrainingSummary summary) {
    }
}
