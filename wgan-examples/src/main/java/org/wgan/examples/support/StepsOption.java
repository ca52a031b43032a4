package org.wgan.examples.support;

import picocli.CommandLine.Option;

/** The {@code --steps} option (a picocli mixin): the generator steps a run trains for. */
public final class StepsOption {

    @Option(names = "--steps", description = "generator steps (default: ${DEFAULT-VALUE})")
    private long steps;

    /** The option with {@code defaultSteps} as its default. */
    public StepsOption(long defaultSteps) {
        this.steps = defaultSteps;
    }

    /**
     * The generator steps.
     *
     * @throws InvalidOptionException if they are below 1
     */
    public long steps() {
        return OptionChecks.atLeast("--steps", steps, 1);
    }
}
