package org.wgan.core.internal;

/**
 * The argument checks every module's public methods run, each throwing an {@link IllegalArgumentException} worded
 * {@code "<name> must be <rule>, but was <value>"} (STYLE.md): the field, the rule, the value. NaN fails every
 * check on a {@code double}, since each is written as a comparison that NaN makes false.
 *
 * <p>Not API: for the library's own modules.
 */
public final class Checks {

    private Checks() {
    }

    /**
     * The exception for {@code name}, which broke {@code rule}.
     *
     * @param rule what the value must be, e.g. {@code ">= 1"} or {@code "in [0, 1)"}
     */
    public static IllegalArgumentException invalid(String name, String rule, Object value) {
        return new IllegalArgumentException(name + " must be " + rule + ", but was " + value);
    }

    /** {@code value} when it is at least {@code min}. */
    public static long atLeast(String name, long value, long min) {
        if (value < min) {
            throw invalid(name, ">= " + min, value);
        }
        return value;
    }

    /** {@code value} when it is at least {@code min}. */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw invalid(name, ">= " + min, value);
        }
        return value;
    }

    /** {@code value} when it lies in {@code [from, to]}. */
    public static long inRange(String name, long value, long from, long to) {
        if (value < from || value > to) {
            throw invalid(name, "in [" + from + ", " + to + "]", value);
        }
        return value;
    }

    /** {@code value} when it is finite and above 0. */
    public static double positive(String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw invalid(name, "finite and > 0", value);
        }
        return value;
    }

    /** {@code value} when it is finite and at least 0. */
    public static double nonNegative(String name, double value) {
        return finiteAtLeast(name, value, 0);
    }

    /** {@code value} when it is finite and at least {@code min}. */
    public static double finiteAtLeast(String name, double value, double min) {
        if (!(value >= min && value < Double.POSITIVE_INFINITY)) {
            throw invalid(name, "finite and >= " + format(min), value);
        }
        return value;
    }

    /** {@code value} when it is finite. */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw invalid(name, "finite", value);
        }
        return value;
    }

    /** {@code value} when it lies in {@code [from, to)}. */
    public static double inHalfOpen(String name, double value, double from, double to) {
        if (!(value >= from && value < to)) {
            throw invalid(name, "in [" + format(from) + ", " + format(to) + ")", value);
        }
        return value;
    }

    /** {@code value} when it lies in {@code [from, to)}. */
    public static int inHalfOpen(String name, int value, int from, int to) {
        if (value < from || value >= to) {
            throw invalid(name, "in [" + from + ", " + to + ")", value);
        }
        return value;
    }

    /** Whole numbers without a decimal point, as people write bounds ({@code >= 0}, {@code in [0, 1)}). */
    private static String format(double bound) {
        return bound == Math.rint(bound) && Math.abs(bound) < 1e15 ? Long.toString((long) bound)
                : Double.toString(bound);
    }
}
