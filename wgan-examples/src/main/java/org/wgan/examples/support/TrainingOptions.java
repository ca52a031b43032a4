package org.wgan.examples.support;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every training example (a picocli mixin), with the defaults of the command that holds it: the
 * budget, {@code --steps} generator steps, {@code --critic-steps} critic steps per generator step and
 * {@code --batch-size} samples per batch, and {@code --no-progress}, plain lines instead of a progress bar.
 */
public final class TrainingOptions {

    @Mixin
    private StepsOption steps;

    @Option(names = "--critic-steps", description = "critic steps per generator step (default: ${DEFAULT-VALUE})")
    private Integer criticSteps;

    @Option(names = "--batch-size", description = "samples per batch (default: ${DEFAULT-VALUE})")
    private int batchSize;

    @Option(names = "--no-progress", description = "print a plain line every few steps (step, W estimate, seconds"
            + " per step, ETA) instead of a progress bar")
    private boolean plainProgress;

    /** Options with these defaults. */
    public TrainingOptions(long steps, int criticSteps, int batchSize) {
        this(steps, Integer.valueOf(criticSteps), batchSize);
    }

    private TrainingOptions(long steps, Integer criticSteps, int batchSize) {
        this.steps = new StepsOption(steps);
        this.criticSteps = criticSteps;
        this.batchSize = batchSize;
    }

    /**
     * Options whose critic steps default to the command's recipe ({@link #criticStepsOr}); the command states that
     * default in its help through its resource bundle (key {@code critic-steps}).
     */
    public static TrainingOptions withRecipeCriticSteps(long steps, int batchSize) {
        return new TrainingOptions(steps, (Integer) null, batchSize);
    }

    /**
     * The generator steps.
     *
     * @throws InvalidOptionException if they are below 1
     */
    public long steps() {
        return steps.steps();
    }

    /**
     * The critic steps per generator step.
     *
     * @throws InvalidOptionException if they are below 1
     * @throws IllegalStateException  if they were not given and these options have no default for them
     */
    public int criticSteps() {
        if (criticSteps == null) {
            throw new IllegalStateException("--critic-steps defaults to the recipe's here; call criticStepsOr");
        }
        return OptionChecks.atLeast("--critic-steps", criticSteps, 1);
    }

    /**
     * The critic steps per generator step given on the command line, or else {@code recipe}.
     *
     * @throws InvalidOptionException if the given value is below 1
     */
    public int criticStepsOr(int recipe) {
        return criticSteps == null ? recipe : criticSteps();
    }

    /**
     * The samples per batch.
     *
     * @throws InvalidOptionException if they are below 1
     */
    public int batchSize() {
        return OptionChecks.atLeast("--batch-size", batchSize, 1);
    }

    /**
     * The run's {@link ConsoleProgress} up to {@link #steps()}: a bar named {@code task}, or with
     * {@code --no-progress} a line every {@code linesEvery} generator steps.
     */
    public ConsoleProgress progress(String task, long linesEvery) {
        return plainProgress ? ConsoleProgress.lines(steps(), linesEvery) : ConsoleProgress.bar(task, steps());
    }
}
