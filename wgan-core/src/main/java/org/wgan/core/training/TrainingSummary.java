package org.wgan.core.training;


/**
 * What a {@code fit()} call did.
 *
 * @param generatorSteps          generator steps completed in total (over all fit calls)
 * @param criticUpdates           critic updates applied in total
 * @param lastCriticLoss          the objective's critic loss at the last critic update (NaN if none)
 * @param lastGeneratorLoss       the generator loss at the last generator update (NaN if none)
 * @param lastWassersteinEstimate {@code -lastCriticLoss}
 * @param stopReason              why training stopped: the step budget, or the reason a listener gave
 * @param seconds                 wall time of this fit call
 */
public record TrainingSummary(long generatorSteps, long criticUpdates, double lastCriticLoss,
        double lastGeneratorLoss, double lastWassersteinEstimate, String stopReason, double seconds) {
}
