package org.wgan.core.training;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.NonFiniteGuard;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/**
 * Notifies a trainer's listeners in order (the {@link NonFiniteGuard} first when
 * {@link TrainerConfig#stopOnNonFinite()}), and holds the stop a listener requested through its
 * {@link StopHandle}.
 */
final class ListenerDispatch {

    private final List<TrainerListener> listeners;
    private final StopHandle stopHandle = this::requestStop;
    private String stopReason;

    ListenerDispatch(TrainerConfig config) {
        List<TrainerListener> all = new ArrayList<>();
        if (config.stopOnNonFinite()) {
            all.add(new NonFiniteGuard());
        }
        all.addAll(config.listeners());
        this.listeners = List.copyOf(all);
    }

    void trainingStarted(TrainerConfig config) {
        stopReason = null;
        listeners.forEach(l -> l.onTrainingStart(config));
    }

    void criticStepped(CriticStepEvent event) {
        for (TrainerListener listener : listeners) {
            listener.onCriticStep(event, stopHandle);
        }
    }

    void generatorStepped(GeneratorStepEvent event) {
        for (TrainerListener listener : listeners) {
            listener.onGeneratorStep(event, stopHandle);
        }
    }

    void trainingEnded(TrainingSummary summary) {
        listeners.forEach(l -> l.onTrainingEnd(summary));
    }

    /** The reason of the stop requested since {@link #trainingStarted}, or null. */
    String stopReason() {
        return stopReason;
    }

    private void requestStop(String reason) {
        stopReason = Objects.requireNonNullElse(reason, "stop requested");
    }
}
