package org.wgan.core.listener;


/**
 * One critic update.
 *
 * @param generatorStep        index (from 0) of the generator step this critic update precedes
 * @param criticStep           index (from 0) of this critic update within that generator step
 * @param totalCriticUpdates   critic updates applied so far in the run, this one included
 * @param criticLoss           the objective's critic loss, without the penalty
 * @param penalty              the Lipschitz penalty added to the loss (0 without one)
 * @param meanGradientNorm     mean input-gradient norm the penalty measured, NaN when none is measured
 * @param wassersteinEstimate  {@code -criticLoss}: for the Wasserstein objective, the critic's estimate of the
 *                             Wasserstein-1 distance between real and generated data
 * @param seconds              wall time of this critic update
 */
public record CriticStepEvent(long generatorStep, int criticStep, long totalCriticUpdates, double criticLoss,
        double penalty, double meanGradientNorm, double wassersteinEstimate, double seconds) {
}
