package org.wgan.core.listener;


/** Thrown when training produces a NaN or infinite loss; the message names the step, the value and the settings. */
public final class TrainingDivergedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long generatorStep;

    public TrainingDivergedException(String message, long generatorStep) {
        super(message);
        this.generatorStep = generatorStep;
    }

    /** The generator step at which the non-finite value appeared. */
    public long generatorStep() {
        return generatorStep;
    }
}
