package org.wgan.examples.support;

/**
 * Checks of option values that name the option in their message, the rule and the value:
 * {@code "--steps must be >= 1, but was 0"}. Each returns the value it accepted.
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
        if (value < minimum) {
            throw new InvalidOptionException(option + " must be >= " + minimum + ", but was " + value);
        }
        return value;
    }

    /**
     * Accepts {@code value >= minimum}.
     *
     * @throws InvalidOptionException if value is below minimum
     */
    public static int atLeast(String option, int value, int minimum) {
        return (int) atLeast(option, (long) value, minimum);
    }

    /**
     * Accepts a finite {@code value >= 0}.
     *
     * @throws InvalidOptionException if value is below 0, NaN or infinite
     */
    public static double nonNegative(String option, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new InvalidOptionException(option + " must be finite and >= 0, but was " + value);
        }
        return value;
    }

    /**
     * Accepts a finite {@code value > 0}.
     *
     * @throws InvalidOptionException if value is 0 or below, NaN or infinite
     */
    public static double positive(String option, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new InvalidOptionException(option + " must be finite and > 0, but was " + value);
        }
        return value;
    }

    /**
     * Accepts {@code 0 <= value < 1}.
     *
     * @throws InvalidOptionException if value is outside {@code [0, 1)} or NaN
     */
    public static double fraction(String option, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new InvalidOptionException(option + " must be in [0, 1), but was " + value);
        }
        return value;
    }
}
