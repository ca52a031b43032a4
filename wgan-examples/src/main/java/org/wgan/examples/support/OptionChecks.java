package org.wgan.examples.support;

import java.util.function.Supplier;
import org.wgan.core.internal.Checks;

/**
 * Checks of option values that name the option in their message, the rule and the value:
 * {@code "--steps must be >= 1, but was 0"}. The library's own {@link Checks} word and decide them; these only turn
 * a rejection into the {@link InvalidOptionException} that {@link Launcher} answers with the usage and exit code 2.
 * Each returns the value it accepted.
 */
public final class OptionChecks {

    private OptionChecks() {
    }

    /**
     * Accepts {@code value >= minimum}.
     *
     * @throws InvalidOptionException if value is below minimum
     */
    public static long atLeast(String option, long value, long minimum) {
        return asOption(() -> Checks.atLeast(option, value, minimum));
    }

    /**
     * Accepts {@code value >= minimum}.
     *
     * @throws InvalidOptionException if value is below minimum
     */
    public static int atLeast(String option, int value, int minimum) {
        return asOption(() -> Checks.atLeast(option, value, minimum));
    }

    /**
     * Accepts {@code minimum <= value <= maximum}.
     *
     * @throws InvalidOptionException if value is outside {@code [minimum, maximum]}
     */
    public static long between(String option, long value, long minimum, long maximum) {
        return asOption(() -> Checks.inRange(option, value, minimum, maximum));
    }

    /**
     * Accepts a finite {@code value >= 0}.
     *
     * @throws InvalidOptionException if value is below 0, NaN or infinite
     */
    public static double nonNegative(String option, double value) {
        return asOption(() -> Checks.nonNegative(option, value));
    }

    /**
     * Accepts a finite {@code value > 0}.
     *
     * @throws InvalidOptionException if value is 0 or below, NaN or infinite
     */
    public static double positive(String option, double value) {
        return asOption(() -> Checks.positive(option, value));
    }

    /**
     * Accepts {@code 0 <= value < 1}.
     *
     * @throws InvalidOptionException if value is outside {@code [0, 1)} or NaN
     */
    public static double fraction(String option, double value) {
        return asOption(() -> Checks.inHalfOpen(option, value, 0, 1));
    }

    private static <T> T asOption(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(e.getMessage());
        }
    }
}
