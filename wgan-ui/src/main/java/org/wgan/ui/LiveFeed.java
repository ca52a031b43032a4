package org.wgan.ui;

import java.util.function.Consumer;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.training.TrainerConfig;
import org.wgan.core.training.TrainingSummary;

/**
 * The dashboard's listener: stores each generator step's numbers in a fixed ring of primitive slots and publishes the
 * count through one volatile write, so a training step costs a few array stores, with no lock, allocation or I/O. The
 * dashboard's own thread {@link #drain drains} the ring; rows it was too slow to read are lost here but come back from
 * {@code history.csv}.
 *
 * <p>One writer (the training thread) and one reader (the dashboard's refresh thread).
 */
final class LiveFeed implements TrainerListener {

    /** Rows kept: at a 100 ms refresh, a lead of 8192 steps is never reached by a real model. */
    static final int CAPACITY = 8192;
    private static final int FIELDS = 6;

    private final double[] slots = new double[CAPACITY * FIELDS];
    private volatile long written;
    private volatile long totalSteps;
    private volatile int starts;
    private volatile boolean ended;
    private volatile long lastEventNanos;

    @Override
    public void onTrainingStart(TrainerConfig config) {
        totalSteps = config.maxGeneratorSteps();
        ended = false;
        lastEventNanos = System.nanoTime();
        starts = starts + 1;
    }

    @Override
    public void onCriticStep(CriticStepEvent event, StopHandle stop) {
        lastEventNanos = System.nanoTime();
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
        long index = written;
        int at = (int) (index % CAPACITY) * FIELDS;
        slots[at] = event.generatorStep() + 1;
        slots[at + 1] = event.criticLoss();
        slots[at + 2] = event.generatorLoss();
        slots[at + 3] = event.wassersteinEstimate();
        slots[at + 4] = event.penalty();
        slots[at + 5] = event.seconds();
        lastEventNanos = System.nanoTime();
        // the volatile write publishes the slot's stores to the reader
        written = index + 1;
    }

    @Override
    public void onTrainingEnd(TrainingSummary summary) {
        ended = true;
        lastEventNanos = System.nanoTime();
    }

    /**
     * Hands the rows published since {@code from} (a count of rows, 0 at first) to {@code sink}, oldest first,
     * skipping any the writer has already overwritten.
     *
     * @return the count to pass next time
     */
    long drain(long from, Consumer<Row> sink) {
        long end = written;
        long index = Math.max(from, end - CAPACITY + 1);
        for (; index < end; index++) {
            int at = (int) (index % CAPACITY) * FIELDS;
            Row row = new Row((long) slots[at], slots[at + 1], slots[at + 2], slots[at + 3], slots[at + 4],
                    slots[at + 5]);
            // valid only if the writer has not begun to reuse the slot while it was read
            if (index > written - CAPACITY) {
                sink.accept(row);
            }
        }
        return end;
    }

    /** The step budget of the last {@code fit()} call, 0 before one starts. */
    long totalSteps() {
        return totalSteps;
    }

    /** How many {@code fit()} calls have started. */
    int starts() {
        return starts;
    }

    /** Whether the last {@code fit()} call has ended. */
    boolean ended() {
        return ended;
    }

    /** {@link System#nanoTime()} of the last event, 0 before any. */
    long lastEventNanos() {
        return lastEventNanos;
    }
}
