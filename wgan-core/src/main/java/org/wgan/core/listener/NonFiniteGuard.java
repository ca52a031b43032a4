package org.wgan.core.listener;

import org.wgan.core.training.TrainerConfig;

/**
 * Stops training with a {@link TrainingDivergedException} as soon as a loss or penalty is NaN or infinite, naming
 * the step, the quantity, its value and the trainer's settings. The trainer installs one unless told not to, and with
 * it checks each update's parameters itself (before weight clipping could clamp a NaN away), so NaN parameters stop
 * training even while the losses are finite.
 */
public final class NonFiniteGuard implements TrainerListener {

    private String settings = "(unknown settings)";

    @Override
    public void onTrainingStart(TrainerConfig config) {
        settings = config.describe();
    }

    @Override
    public void onCriticStep(CriticStepEvent event, StopHandle stop) {
        check(event.generatorStep(), "critic loss at critic step " + event.criticStep(), event.criticLoss());
        check(event.generatorStep(), "penalty at critic step " + event.criticStep(), event.penalty());
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
        check(event.generatorStep(), "generator loss", event.generatorLoss());
    }

    private void check(long step, String what, double value) {
        if (!Double.isFinite(value)) {
            throw new TrainingDivergedException("training diverged at generator step " + step + ": " + what
                    + " is " + value + "; settings: " + settings, step);
        }
    }
}
