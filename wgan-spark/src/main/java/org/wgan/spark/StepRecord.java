package org.wgan.spark;

import java.io.Serializable;
import java.util.List;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;

/**
 * One task's event of one step, shipped back to the driver when the stage ends: a critic update
 * ({@code generatorUpdate == false}) or a generator step. Losses and the penalty are the task's shard means, so the
 * mean over the tasks is the global batch's.
 */
record StepRecord(boolean generatorUpdate, long generatorStep, int criticStep, long criticUpdates,
        double criticLoss, double generatorLoss, double penalty, double meanGradientNorm, double seconds)
        implements Serializable {

    private static final long serialVersionUID = 1L;

    static StepRecord of(CriticStepEvent e) {
        return new StepRecord(false, e.generatorStep(), e.criticStep(), e.totalCriticUpdates(), e.criticLoss(),
                Double.NaN, e.penalty(), e.meanGradientNorm(), e.seconds());
    }

    static StepRecord of(GeneratorStepEvent e) {
        return new StepRecord(true, e.generatorStep(), e.criticSteps(), 0, e.criticLoss(), e.generatorLoss(),
                e.penalty(), Double.NaN, e.seconds());
    }

    /** The mean over the tasks' records of one event (the slowest task's time). */
    static StepRecord mean(List<StepRecord> records) {
        StepRecord first = records.get(0);
        double criticLoss = 0;
        double generatorLoss = 0;
        double penalty = 0;
        double norm = 0;
        double seconds = 0;
        for (StepRecord r : records) {
            criticLoss += r.criticLoss;
            generatorLoss += r.generatorLoss;
            penalty += r.penalty;
            norm += r.meanGradientNorm;
            seconds = Math.max(seconds, r.seconds);
        }
        int n = records.size();
        return new StepRecord(first.generatorUpdate, first.generatorStep, first.criticStep, first.criticUpdates,
                criticLoss / n, generatorLoss / n, penalty / n, norm / n, seconds);
    }

    CriticStepEvent criticEvent() {
        return new CriticStepEvent(generatorStep, criticStep, criticUpdates, criticLoss, penalty, meanGradientNorm,
                -criticLoss, seconds);
    }

    GeneratorStepEvent generatorEvent() {
        return new GeneratorStepEvent(generatorStep, criticStep, criticLoss, generatorLoss, -criticLoss, penalty,
                seconds);
    }
}
