package org.wgan.core.listener;


/**
 * One training iteration: the critic updates of a generator step, then the generator update.
 *
 * @param generatorStep        index (from 0) of this generator step
 * @param criticSteps          critic updates in this iteration
 * @param criticLoss           the objective's critic loss at the last critic update, without the penalty
 * @param generatorLoss        the generator loss of this update
 * @param wassersteinEstimate  {@code -criticLoss} of the last critic update
 * @param penalty              the Lipschitz penalty at the last critic update (0 without one)
 * @param seconds              wall time of the whole iteration
 */
public record GeneratorStepEvent(long generatorStep, int criticSteps, double criticLoss, double generatorLoss,
        double wassersteinEstimate, double penalty, double seconds) {
}
