package org.wgan.losses;

import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Builds critic-score arrays for the objective tests. */
final class Scores {

    private Scores() {
    }

    /** A {@code [n, 1]} DOUBLE column of critic scores. */
    static INDArray column(double... values) {
        return Nd4j.create(values.clone(), new long[] {values.length, 1}, 'c');
    }

    /** The values of a {@code [n, 1]} array, in double precision. */
    static double[] values(INDArray column) {
        return column.toDoubleVector();
    }

    /** The values of a {@code [n, 1]} array as a list, for element-wise assertions. */
    static List<Double> list(INDArray column) {
        return Arrays.stream(column.toDoubleVector()).boxed().toList();
    }

    /** {@code values} with {@code values[index]} moved by {@code delta}. */
    static double[] perturbed(double[] values, int index, double delta) {
        double[] copy = values.clone();
        copy[index] += delta;
        return copy;
    }
}
