package org.wgan.examples.support;

import picocli.CommandLine.Option;

/** The {@code --eval-every} option (a picocli mixin): how often a run evaluates its generator. */
public final class EvalEveryOption {

    @Option(names = "--eval-every", description = "evaluate (print the figures, write the plots) every N generator"
            + " steps and at the end; 0 for only at the end (default: ${DEFAULT-VALUE})")
    private long evalEvery = 500;

    /**
     * Generator steps between evaluations; 0 for only at the end.
     *
     * @throws InvalidOptionException if it is below 0
     */
    public long evalEvery() {
        return OptionChecks.atLeast("--eval-every", evalEvery, 0);
    }
}
