package org.wgan.examples.support;

import picocli.CommandLine.Option;

/**
 * The {@code --ema-decay} option (a picocli mixin): the decay of an exponential moving average of the generator's
 * weights that a run also keeps and evaluates; 0 for none.
 */
public final class EmaDecayOption {

    @Option(names = "--ema-decay", description = "also keep and evaluate an EMA of the generator's weights with this"
            + " decay; 0 for none (default: ${DEFAULT-VALUE})")
    private double emaDecay = 0;

    /**
     * The decay; 0 for no average.
     *
     * @throws InvalidOptionException if it is outside {@code [0, 1)}
     */
    public double emaDecay() {
        return OptionChecks.fraction("--ema-decay", emaDecay);
    }
}
