package org.wgan.core.metrics;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.wgan.core.internal.Checks;

/**
 * Exact and sliced Wasserstein-1 (earth mover's) distances for evaluation.
 *
 * <p>In one dimension {@code W1(P, Q) = integral |F_P(t) - F_Q(t)| dt} (Villani 2008), which for two empirical
 * distributions is computed exactly from the sorted samples, and for histograms on unit-spaced bins is
 * {@code sum_k |sum_{j <= k} (p_j - q_j)|}.
 */
public final class WassersteinDistances {

    private WassersteinDistances() {
    }

    /**
     * Exact W1 between the empirical distributions of two 1-D samples (of any sizes).
     *
     * @throws IllegalArgumentException if a sample is empty or holds a NaN or infinite value
     */
    public static double exact1d(double[] a, double[] b) {
        double[] x = sortedCopy(a, "a");
        double[] y = sortedCopy(b, "b");
        // walk the merged breakpoints; between them both CDFs are constant
        int i = 0;
        int j = 0;
        double total = 0;
        double previous = Math.min(x[0], y[0]);
        while (i < x.length || j < y.length) {
            double next = (j >= y.length || (i < x.length && x[i] <= y[j])) ? x[i] : y[j];
            double cdfX = (double) i / x.length;
            double cdfY = (double) j / y.length;
            total += Math.abs(cdfX - cdfY) * (next - previous);
            previous = next;
            while (i < x.length && x[i] == next) {
                i++;
            }
            while (j < y.length && y[j] == next) {
                j++;
            }
        }
        return total;
    }

    /**
     * Exact W1 between two histograms on the same unit-spaced bins (moving one unit of mass by one bin costs
     * one). The dirt-pile example P = (3, 2, 1, 4), Q = (1, 2, 4, 3) gives 5.
     *
     * @throws IllegalArgumentException if the lengths differ, a mass is negative or NaN, or the totals differ
     */
    public static double discrete1d(double[] p, double[] q) {
        Objects.requireNonNull(p, "p");
        Objects.requireNonNull(q, "q");
        if (p.length != q.length) {
            throw new IllegalArgumentException("p and q must have the same number of bins, but had " + p.length
                    + " and " + q.length);
        }
        double massP = 0;
        double massQ = 0;
        for (int k = 0; k < p.length; k++) {
            requireMass("p", k, p[k]);
            requireMass("q", k, q[k]);
            massP += p[k];
            massQ += q[k];
        }
        if (Math.abs(massP - massQ) > 1e-9 * Math.max(1, Math.max(massP, massQ))) {
            throw new IllegalArgumentException("p and q must hold the same total mass, but held " + massP + " and "
                    + massQ);
        }
        double carried = 0;
        double cost = 0;
        for (int k = 0; k < p.length; k++) {
            carried += p[k] - q[k];
            cost += Math.abs(carried);
        }
        return cost;
    }

    /**
     * Sliced W1 between two n-D samples: the mean over {@code directions} random unit directions of the exact
     * 1-D W1 between the projections.
     *
     * @param a          {@code [count][dimension]}
     * @param b          {@code [count'][dimension]}
     * @param directions number of random directions, {@code >= 1}
     * @param random     source of the directions
     * @throws IllegalArgumentException on empty samples, mismatched dimensions or directions below 1
     */
    public static double sliced(double[][] a, double[][] b, int directions, Random random) {
        Objects.requireNonNull(random, "random");
        Checks.atLeast("directions", directions, 1);
        if (a.length == 0 || b.length == 0) {
            throw new IllegalArgumentException("samples must not be empty, but had " + a.length + " and "
                    + b.length + " points");
        }
        int dim = a[0].length;
        if (b[0].length != dim) {
            throw new IllegalArgumentException("samples must have the same dimension, but had " + dim + " and "
                    + b[0].length);
        }
        double sum = 0;
        double[] direction = new double[dim];
        for (int d = 0; d < directions; d++) {
            double norm = 0;
            do {
                norm = 0;
                for (int k = 0; k < dim; k++) {
                    direction[k] = random.nextGaussian();
                    norm += direction[k] * direction[k];
                }
            } while (norm == 0);
            norm = Math.sqrt(norm);
            for (int k = 0; k < dim; k++) {
                direction[k] /= norm;
            }
            sum += exact1d(project(a, direction), project(b, direction));
        }
        return sum / directions;
    }

    private static double[] project(double[][] points, double[] direction) {
        double[] out = new double[points.length];
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != direction.length) {
                throw new IllegalArgumentException("point " + i + " has dimension " + points[i].length
                        + ", expected " + direction.length);
            }
            double dot = 0;
            for (int k = 0; k < direction.length; k++) {
                dot += points[i][k] * direction[k];
            }
            out[i] = dot;
        }
        return out;
    }

    private static double[] sortedCopy(double[] values, String name) {
        Objects.requireNonNull(values, name);
        if (values.length == 0) {
            throw new IllegalArgumentException(name + " must hold at least one sample, but was empty");
        }
        double[] copy = values.clone();
        for (int k = 0; k < copy.length; k++) {
            if (!Double.isFinite(copy[k])) {
                throw Checks.invalid(name + "[" + k + "]", "finite", copy[k]);
            }
        }
        Arrays.sort(copy);
        return copy;
    }

    private static void requireMass(String name, int k, double mass) {
        if (!(mass >= 0 && mass < Double.POSITIVE_INFINITY)) {
            throw Checks.invalid(name + "[" + k + "]", "a finite mass >= 0", mass);
        }
    }
}
