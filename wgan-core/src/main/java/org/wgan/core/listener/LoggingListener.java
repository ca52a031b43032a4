package org.wgan.core.listener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.internal.Checks;
import org.wgan.core.training.TrainerConfig;
import org.wgan.core.training.TrainingSummary;

/** Logs every {@code every}-th generator step through slf4j (logger {@code org.wgan.core.listener.LoggingListener}). */
public final class LoggingListener implements TrainerListener {

    private static final Logger LOG = LoggerFactory.getLogger(LoggingListener.class);

    private final long every;

    /**
     * @param every log each generator step whose index is a multiple of this, {@code >= 1}
     * @throws IllegalArgumentException if every is below 1
     */
    public LoggingListener(long every) {
        Checks.atLeast("every", every, 1);
        this.every = every;
    }

    @Override
    public void onTrainingStart(TrainerConfig config) {
        LOG.info("training: {}", config.describe());
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent e, StopHandle stop) {
        if (e.generatorStep() % every == 0) {
            LOG.info("step {}: critic loss {}, generator loss {}, W estimate {}, penalty {}, {} s/step",
                    e.generatorStep(), fmt(e.criticLoss()), fmt(e.generatorLoss()), fmt(e.wassersteinEstimate()),
                    fmt(e.penalty()), fmt(e.seconds()));
        }
    }

    @Override
    public void onTrainingEnd(TrainingSummary summary) {
        LOG.info("training ended: {}", summary);
    }

    private static String fmt(double v) {
        return String.format("%.5g", v);
    }
}
