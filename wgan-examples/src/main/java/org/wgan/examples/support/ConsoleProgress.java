package org.wgan.examples.support;

import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.wgan.core.internal.Checks;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/**
 * The examples' progress on the console, as a listener of the trainer: an ASCII progress bar with the Wasserstein
 * estimate and an ETA (on stderr), or plain lines on stdout every few generator steps and at the last one:
 * {@code step 300/2000  W estimate 0.0123  0.087 s/step  ETA PT2M28S} (seconds per step averaged since
 * {@link #start}), or nothing.
 *
 * <p>Call {@link #start} before training (with the steps a resumed run has already done) and {@link #close} after.
 */
public final class ConsoleProgress implements TrainerListener, AutoCloseable {

    private enum Mode {
        BAR, LINES, NONE
    }

    private final Mode mode;
    private final String task;
    private final long totalSteps;
    private final long linesEvery;
    private ProgressBar bar;
    private long startNanos;
    private long startStep;

    private ConsoleProgress(Mode mode, String task, long totalSteps, long linesEvery) {
        this.mode = mode;
        this.task = task;
        this.totalSteps = totalSteps;
        this.linesEvery = linesEvery;
    }

    /** A progress bar named {@code task} up to {@code totalSteps} generator steps. */
    public static ConsoleProgress bar(String task, long totalSteps) {
        return new ConsoleProgress(Mode.BAR, task, totalSteps, 0);
    }

    /**
     * A plain line on stdout after every {@code every} generator steps and after the last of {@code totalSteps}.
     *
     * @throws IllegalArgumentException if every is below 1
     */
    public static ConsoleProgress lines(long totalSteps, long every) {
        Checks.atLeast("every", every, 1);
        return new ConsoleProgress(Mode.LINES, "", totalSteps, every);
    }

    /** No output (for tests and callers that report by themselves). */
    public static ConsoleProgress none() {
        return new ConsoleProgress(Mode.NONE, "", 0, 0);
    }

    /**
     * Starts the clock (and draws the bar) with {@code completedSteps} generator steps already done: 0 for a fresh
     * run, the checkpoint's step for a resumed one.
     *
     * @return this
     */
    public ConsoleProgress start(long completedSteps) {
        close();
        startNanos = System.nanoTime();
        startStep = completedSteps;
        if (mode == Mode.BAR) {
            bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(totalSteps)
                    .startsFrom(completedSteps, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(1_000).build();
        }
        return this;
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
        long done = event.generatorStep() + 1;
        if (mode == Mode.BAR && bar != null) {
            bar.stepTo(done);
            bar.setExtraMessage(extraMessage(event));
        } else if (mode == Mode.LINES && (done % linesEvery == 0 || done == totalSteps)) {
            System.out.println(line(done, event.wassersteinEstimate()));
        }
    }

    /** The bar's message: the Wasserstein estimate, the two losses and the penalty where there is one. */
    static String extraMessage(GeneratorStepEvent event) {
        String text = String.format(Locale.ROOT, " W %.4f  critic %.4f  generator %.4f", event.wassersteinEstimate(),
                event.criticLoss(), event.generatorLoss());
        return Double.isFinite(event.penalty()) && event.penalty() != 0
                ? text + String.format(Locale.ROOT, "  penalty %.4f", event.penalty()) : text;
    }

    /** Prints {@code text} as a line of its own on stdout, below the bar if one is drawn. */
    public void println(String text) {
        if (bar != null) {
            System.out.println();
        }
        System.out.println(text);
    }

    /** The plain line after {@code done} generator steps. */
    String line(long done, double wassersteinEstimate) {
        double perStep = done > startStep ? (System.nanoTime() - startNanos) / 1e9 / (done - startStep) : 0;
        return String.format(Locale.ROOT, "step %d/%d  W estimate %.4f  %.3f s/step  ETA %s", done, totalSteps,
                wassersteinEstimate, perStep, Duration.ofSeconds(Math.round(perStep * Math.max(0, totalSteps - done))));
    }

    /** Closes the bar, if one is drawn; the progress can be {@link #start started} again. */
    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
