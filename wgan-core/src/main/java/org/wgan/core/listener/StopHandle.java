package org.wgan.core.listener;


/** Lets a listener end training after the current generator step. */
@FunctionalInterface
public interface StopHandle {

    /**
     * Asks the trainer to stop after the current generator step.
     *
     * @param reason shown in the training summary
     */
    void requestStop(String reason);
}
