package org.wgan.core.metrics;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.internal.Checks;

/**
 * How the classes predicted for generated samples (by a classifier trained on the real data) are spread: counts,
 * shares, and the share of each class against the uniform share {@code 1 / numClasses}. A generator that drops
 * modes shows classes far below uniform; one that collapses shows a class far above.
 *
 * <p>Immutable; {@link #toString()} reads {@code "0:0.102 1:0.098 ..."} (class index and share, three decimals).
 */
public final class ClassHistogram {

    private final int[] counts;
    private final int total;

    private ClassHistogram(int[] counts, int total) {
        this.counts = counts;
        this.total = total;
    }

    /**
     * Counts predicted class indices.
     *
     * @param predicted  {@code [n]} class indices in {@code [0, numClasses)}, at least one
     * @param numClasses number of classes, {@code >= 1}
     * @throws IllegalArgumentException on numClasses below 1, no prediction or an index out of range
     */
    public static ClassHistogram of(int[] predicted, int numClasses) {
        Checks.atLeast("numClasses", numClasses, 1);
        Objects.requireNonNull(predicted, "predicted");
        if (predicted.length == 0) {
            throw new IllegalArgumentException("predicted must hold at least one prediction, but was empty");
        }
        int[] counts = new int[numClasses];
        for (int i = 0; i < predicted.length; i++) {
            int label = predicted[i];
            if (label < 0 || label >= numClasses) {
                throw Checks.invalid("predicted[" + i + "]", "in [0, " + numClasses + ")", label);
            }
            counts[label]++;
        }
        return new ClassHistogram(counts, predicted.length);
    }

    /**
     * Counts the argmax of each row of class scores (probabilities or logits); a tie goes to the lowest index.
     *
     * @param scores {@code [n][numClasses]}, at least one row and one column, no NaN (infinities are allowed, as
     *               log-probabilities of zero)
     * @throws IllegalArgumentException on no rows, no or ragged columns or a NaN score
     */
    public static ClassHistogram of(double[][] scores) {
        Objects.requireNonNull(scores, "scores");
        if (scores.length == 0) {
            throw new IllegalArgumentException("scores must hold at least one row, but was empty");
        }
        Objects.requireNonNull(scores[0], "scores[0]");
        int numClasses = scores[0].length;
        if (numClasses == 0) {
            throw new IllegalArgumentException("scores[0] must have at least one column (class), but was empty");
        }
        int[] predicted = new int[scores.length];
        for (int i = 0; i < scores.length; i++) {
            double[] row = Objects.requireNonNull(scores[i], "scores[" + i + "]");
            if (row.length != numClasses) {
                throw new IllegalArgumentException("scores[" + i + "] has " + row.length
                        + " columns, but scores[0] has " + numClasses);
            }
            int best = 0;
            for (int c = 0; c < numClasses; c++) {
                if (Double.isNaN(row[c])) {
                    throw new IllegalArgumentException("scores[" + i + "][" + c + "] must not be NaN");
                }
                if (row[c] > row[best]) {
                    best = c;
                }
            }
            predicted[i] = best;
        }
        return of(predicted, numClasses);
    }

    /**
     * {@link #of(double[][])} for an ND4J matrix of class scores, such as a classifier's output.
     *
     * @param scores {@code [n, numClasses]}
     * @throws IllegalArgumentException if scores is not a matrix, and as the {@code double[][]} overload
     */
    public static ClassHistogram of(INDArray scores) {
        Objects.requireNonNull(scores, "scores");
        if (scores.rank() != 2) {
            throw new IllegalArgumentException("scores must be a matrix [n, numClasses], but had shape "
                    + Arrays.toString(scores.shape()));
        }
        return of(scores.toDoubleMatrix());
    }

    /** Number of classes. */
    public int numClasses() {
        return counts.length;
    }

    /** Number of predictions counted. */
    public int total() {
        return total;
    }

    /** Predictions per class, {@code [numClasses]}. */
    public int[] counts() {
        return counts.clone();
    }

    /** Share of the predictions per class, {@code [numClasses]}, summing to 1. */
    public double[] shares() {
        double[] shares = new double[counts.length];
        for (int c = 0; c < counts.length; c++) {
            shares[c] = (double) counts[c] / total;
        }
        return shares;
    }

    /** Largest class share over the uniform share {@code 1 / numClasses}: 1 when uniform, numClasses at most. */
    public double maxShareRatio() {
        return ratio(Arrays.stream(counts).max().orElseThrow());
    }

    /** Smallest class share over the uniform share {@code 1 / numClasses}: 1 when uniform, 0 for a missing class. */
    public double minShareRatio() {
        return ratio(Arrays.stream(counts).min().orElseThrow());
    }

    /**
     * Whether every class share lies within {@code [uniform / factor, uniform * factor]} (bounds included), with
     * {@code uniform = 1 / numClasses}.
     *
     * @param factor finite, {@code >= 1}
     * @throws IllegalArgumentException if factor is below 1, NaN or infinite
     */
    public boolean withinFactorOfUniform(double factor) {
        Checks.finiteAtLeast("factor", factor, 1);
        // share / uniform = count * numClasses / total, compared without dividing so integer factors are exact
        for (int count : counts) {
            double scaled = (double) count * counts.length;
            if (scaled > factor * total || scaled * factor < total) {
                return false;
            }
        }
        return true;
    }

    private double ratio(int count) {
        return (double) count * counts.length / total;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            if (c > 0) {
                out.append(' ');
            }
            out.append(c).append(':').append(String.format(Locale.ROOT, "%.3f", (double) counts[c] / total));
        }
        return out.toString();
    }

    /** Equal when the counts per class are equal. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClassHistogram histogram && java.util.Arrays.equals(counts, histogram.counts);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(counts);
    }
}
