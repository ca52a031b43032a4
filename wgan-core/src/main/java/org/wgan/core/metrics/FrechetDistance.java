package org.wgan.core.metrics;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.math3.exception.MaxCountExceededException;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.MatrixUtils;
import org.apache.commons.math3.linear.RealMatrix;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.internal.Checks;

/**
 * Frechet distance between two Gaussians fitted to feature sets: for {@code N(mu1, C1)} and {@code N(mu2, C2)}
 *
 * <pre>
 *     d^2 = ||mu1 - mu2||^2 + Tr(C1 + C2 - 2 sqrtm(C1 C2))
 * </pre>
 *
 * <p>(Dowson &amp; Landau 1982, "The Frechet distance between multivariate normal distributions"; it is the squared
 * Wasserstein-2 distance between the two Gaussians). Computed on a classifier's features of real and generated
 * images it is the FID of Heusel et al. 2017, "GANs trained by a two time-scale update rule converge to a local
 * Nash equilibrium". Every method returns {@code d^2}, the <em>squared</em> distance, as FID is reported.
 *
 * <p>{@code C1 C2} is not symmetric, and a general matrix square root of it (as in the reference FID code) can come
 * out with spurious imaginary parts. Here the trace is taken exactly through a symmetric matrix instead: with
 * {@code S = sqrtm(C1)}, the symmetric positive semi-definite root from a symmetric eigendecomposition,
 * {@code C1 C2 = S (S C2)} and {@code S C2 S = (S C2) S} have the same non-zero eigenvalues (AB and BA always do),
 * so {@code Tr sqrtm(C1 C2) = Tr sqrtm(S C2 S)}, and {@code S C2 S} is symmetric positive semi-definite, so that
 * trace is the sum of the square roots of its eigenvalues. The symmetric eigendecompositions are Apache
 * commons-math's, run on a shifted matrix so that they converge on singular covariances; each costs {@code O(d^3)} in
 * the feature dimension {@code d}.
 *
 * <p>Accuracy: a symmetric eigensolver finds eigenvalues to an absolute accuracy of order {@code d eps F}, with
 * {@code F} the Frobenius norm of the matrix it decomposes and {@code eps = 2^-52}. Eigenvalues within that bound of
 * 0 (negative ones included) are taken as exactly 0, because the square root would turn such noise into errors of
 * order {@code sqrt(eps)}; this keeps singular covariances (fewer samples than features, or features that are
 * combinations of others) as accurate as regular ones: 300 features of 50 samples agree with an independent SVD route
 * to 1e-14 relative. The covariance term {@code Tr(C1 + C2 - 2 sqrtm(C1 C2))} is never negative in exact arithmetic;
 * as eigenvalues just above the noise still lose up to half their digits through the square root, it is taken as 0
 * when it comes out negative by at most {@code d sqrt(d eps) (Tr C1 + Tr C2)}, and a more negative value, meaning
 * the eigendecomposition failed, throws {@link ArithmeticException}.
 */
public final class FrechetDistance {

    /**
     * Relative tolerance, {@value}, for a covariance's symmetry (against its largest absolute entry) and its positive
     * semi-definiteness (against its largest absolute eigenvalue).
     */
    public static final double RELATIVE_TOLERANCE = 1e-9;

    /** {@code 2^-52}, the spacing of doubles at 1. */
    private static final double MACHINE_EPSILON = Math.ulp(1.0);

    private FrechetDistance() {
    }

    /**
     * Squared Frechet distance between Gaussians fitted (with {@link Gaussian#fit}) to two feature sets.
     *
     * @param features1 {@code [samples][features]}, at least 2 samples
     * @param features2 {@code [samples'][features]}, at least 2 samples, as many features (columns) as features1
     * @return {@code d^2 >= 0}
     * @throws IllegalArgumentException on fewer than 2 samples, no or ragged columns, different column counts or a
     *                                  NaN or infinite entry
     * @throws ArithmeticException      as {@link #between(Gaussian, Gaussian)}, or if a mean or covariance overflows
     *                                  a double
     */
    public static double between(double[][] features1, double[][] features2) {
        int columns1 = requireFeatureShape(features1, "features1");
        int columns2 = requireFeatureShape(features2, "features2");
        if (columns1 != columns2) {
            throw new IllegalArgumentException("features1 and features2 must have the same number of columns, but had "
                    + columns1 + " and " + columns2);
        }
        return between(Gaussian.fit(features1, "features1"), Gaussian.fit(features2, "features2"));
    }

    /**
     * {@link #between(double[][], double[][])} for ND4J matrices (any floating type, computed in double).
     *
     * @param features1 {@code [samples, features]}
     * @param features2 {@code [samples', features]}
     * @throws IllegalArgumentException if an array is not a matrix, and as the {@code double[][]} overload
     */
    public static double between(INDArray features1, INDArray features2) {
        return between(toMatrix(features1, "features1"), toMatrix(features2, "features2"));
    }

    /**
     * Squared Frechet distance between two Gaussians.
     *
     * @return {@code d^2 >= 0}
     * @throws IllegalArgumentException if the dimensions differ
     * @throws ArithmeticException      if the covariance term comes out negative beyond rounding (see the class
     *                                  documentation), or the computation overflows a double
     */
    public static double between(Gaussian a, Gaussian b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        int d = a.dimension();
        if (b.dimension() != d) {
            throw new IllegalArgumentException("a and b must have the same dimension, but had " + d + " and "
                    + b.dimension());
        }
        double meanTerm = 0;
        double traces = 0;
        for (int k = 0; k < d; k++) {
            double diff = a.mean[k] - b.mean[k];
            meanTerm += diff * diff;
            traces += a.covariance[k][k] + b.covariance[k][k];
        }
        RealMatrix s = sqrtPsd(MatrixUtils.createRealMatrix(a.covariance));
        RealMatrix middle = symmetrized(s.multiply(MatrixUtils.createRealMatrix(b.covariance)).multiply(s));
        double traceSqrt = 0;
        SymmetricEigen middleEigen = symmetricEigen(middle);
        for (double eigenvalue : middleEigen.values()) {
            traceSqrt += middleEigen.sqrtOf(eigenvalue);
        }
        double covarianceTerm = traces - 2 * traceSqrt;
        if (covarianceTerm < 0) {
            double tolerance = d * Math.sqrt(d * MACHINE_EPSILON) * traces;
            if (covarianceTerm < -tolerance) {
                throw new ArithmeticException("covariance term Tr(C1 + C2 - 2 sqrtm(C1 C2)) came out at "
                        + covarianceTerm + ", beyond the rounding tolerance " + tolerance
                        + "; the eigendecomposition failed on these covariances");
            }
            covarianceTerm = 0;
        }
        double squared = meanTerm + covarianceTerm;
        if (!Double.isFinite(squared)) {
            throw new ArithmeticException("the squared distance overflows a double (mean term " + meanTerm
                    + ", covariance term " + covarianceTerm + ")");
        }
        return squared;
    }

    /**
     * A Gaussian {@code N(mean, covariance)} in {@code d >= 1} dimensions. The arrays are copied in and out; the
     * covariance is stored symmetrized, {@code (C + C^T) / 2}. Construction checks positive semi-definiteness with
     * one {@code O(d^3)} eigendecomposition.
     *
     * @param mean       {@code [d]}, finite
     * @param covariance {@code [d][d]}, finite, symmetric and positive semi-definite within
     *                   {@link FrechetDistance#RELATIVE_TOLERANCE}
     */
    public record Gaussian(double[] mean, double[][] covariance) {

        /**
         * Validates and copies the arrays.
         *
         * @throws IllegalArgumentException on an empty mean, a covariance that is not {@code [d][d]}, a NaN or
         *                                  infinite entry, or a covariance that is not symmetric or not positive
         *                                  semi-definite within {@link FrechetDistance#RELATIVE_TOLERANCE}
         * @throws ArithmeticException      if the covariance's Frobenius norm overflows a double
         */
        public Gaussian {
            Objects.requireNonNull(mean, "mean");
            Objects.requireNonNull(covariance, "covariance");
            int d = mean.length;
            if (d == 0) {
                throw new IllegalArgumentException("mean must have at least one dimension, but was empty");
            }
            mean = mean.clone();
            for (int k = 0; k < d; k++) {
                requireFinite(mean[k], "mean[" + k + "]");
            }
            if (covariance.length != d) {
                throw new IllegalArgumentException("covariance must have " + d + " rows to match the mean's dimension "
                        + d + ", but had " + covariance.length);
            }
            double[][] copy = new double[d][];
            double largest = 0;
            for (int i = 0; i < d; i++) {
                Objects.requireNonNull(covariance[i], "covariance[" + i + "]");
                if (covariance[i].length != d) {
                    throw new IllegalArgumentException("covariance[" + i + "] must have " + d
                            + " columns to be square, but had " + covariance[i].length);
                }
                copy[i] = covariance[i].clone();
                for (int j = 0; j < d; j++) {
                    requireFinite(copy[i][j], "covariance[" + i + "][" + j + "]");
                    largest = Math.max(largest, Math.abs(copy[i][j]));
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = i + 1; j < d; j++) {
                    if (Math.abs(copy[i][j] - copy[j][i]) > RELATIVE_TOLERANCE * largest) {
                        throw new IllegalArgumentException("covariance must be symmetric, but covariance[" + i + "]["
                                + j + "] was " + copy[i][j] + " and covariance[" + j + "][" + i + "] was "
                                + copy[j][i]);
                    }
                    double average = (copy[i][j] + copy[j][i]) / 2;
                    copy[i][j] = average;
                    copy[j][i] = average;
                }
            }
            requirePositiveSemiDefinite(copy);
            covariance = copy;
        }

        /**
         * Fits a Gaussian to a feature set: the sample mean and the unbiased sample covariance
         * {@code C = sum_i (x_i - mean)(x_i - mean)^T / (n - 1)}.
         *
         * @param features {@code [samples][features]}, at least 2 samples
         * @throws IllegalArgumentException on fewer than 2 samples, no or ragged columns or a NaN or infinite entry
         * @throws ArithmeticException      if the mean or covariance overflows a double
         */
        public static Gaussian fit(double[][] features) {
            return fit(features, "features");
        }

        private static Gaussian fit(double[][] features, String name) {
            int d = requireFeatureShape(features, name);
            int n = features.length;
            double[] mean = new double[d];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < d; k++) {
                    double value = features[i][k];
                    if (!Double.isFinite(value)) {
                        throw Checks.invalid(name + "[" + i + "][" + k + "]", "finite", value);
                    }
                    mean[k] += value;
                }
            }
            for (int k = 0; k < d; k++) {
                mean[k] /= n;
            }
            // upper triangle of the centred Gram matrix, mirrored below, so the result is exactly symmetric
            double[][] covariance = new double[d][d];
            double[] centred = new double[d];
            for (double[] row : features) {
                for (int k = 0; k < d; k++) {
                    centred[k] = row[k] - mean[k];
                }
                for (int i = 0; i < d; i++) {
                    double ci = centred[i];
                    double[] out = covariance[i];
                    for (int j = i; j < d; j++) {
                        out[j] += ci * centred[j];
                    }
                }
            }
            for (int i = 0; i < d; i++) {
                for (int j = i; j < d; j++) {
                    covariance[i][j] /= n - 1;
                    covariance[j][i] = covariance[i][j];
                    if (!Double.isFinite(covariance[i][j]) || !Double.isFinite(mean[i])) {
                        throw new ArithmeticException("the mean or covariance of " + name
                                + " overflows a double at feature " + i + ", " + j);
                    }
                }
            }
            return new Gaussian(mean, covariance);
        }

        /** Number of dimensions {@code d}. */
        public int dimension() {
            return mean.length;
        }

        @Override
        public double[] mean() {
            return mean.clone();
        }

        @Override
        public double[][] covariance() {
            double[][] out = new double[covariance.length][];
            for (int i = 0; i < out.length; i++) {
                out[i] = covariance[i].clone();
            }
            return out;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Gaussian that && Arrays.equals(mean, that.mean)
                    && Arrays.deepEquals(covariance, that.covariance);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(mean) + Arrays.deepHashCode(covariance);
        }

        @Override
        public String toString() {
            return "Gaussian[mean=" + Arrays.toString(mean) + ", covariance=" + Arrays.deepToString(covariance) + "]";
        }

        private static void requirePositiveSemiDefinite(double[][] covariance) {
            double[] eigenvalues = symmetricEigen(MatrixUtils.createRealMatrix(covariance)).values();
            double smallest = Double.POSITIVE_INFINITY;
            double largest = 0;
            for (double eigenvalue : eigenvalues) {
                smallest = Math.min(smallest, eigenvalue);
                largest = Math.max(largest, Math.abs(eigenvalue));
            }
            if (smallest < -RELATIVE_TOLERANCE * largest) {
                throw new IllegalArgumentException("covariance must be positive semi-definite, but has eigenvalue "
                        + smallest + " (largest magnitude " + largest + ")");
            }
        }
    }

    /** Symmetric positive semi-definite square root {@code V diag(sqrt(max(0, lambda))) V^T}. */
    private static RealMatrix sqrtPsd(RealMatrix symmetric) {
        SymmetricEigen eigen = symmetricEigen(symmetric);
        double[] eigenvalues = eigen.values();
        RealMatrix v = eigen.vectors();
        RealMatrix scaled = v.copy();
        for (int k = 0; k < eigenvalues.length; k++) {
            double root = eigen.sqrtOf(eigenvalues[k]);
            for (int row = 0; row < scaled.getRowDimension(); row++) {
                scaled.multiplyEntry(row, k, root);
            }
        }
        return symmetrized(scaled.multiply(v.transpose()));
    }

    /**
     * Eigenvalues and, as columns of {@code vectors}, eigenvectors of a symmetric matrix, with {@code noise} the
     * absolute accuracy of the eigenvalues.
     */
    private record SymmetricEigen(double[] values, RealMatrix vectors, double noise) {

        /** Square root of an eigenvalue of a positive semi-definite matrix, 0 for one within the noise of 0. */
        double sqrtOf(double eigenvalue) {
            return eigenvalue > noise ? Math.sqrt(eigenvalue) : 0;
        }
    }

    /**
     * Eigendecomposition of a symmetric matrix with commons-math, on the matrix shifted by twice its Frobenius norm
     * {@code F}, then shifted back; the eigenvalues' absolute accuracy is taken as {@code d eps 2F}.
     *
     * <p>Why the shift: commons-math's implicit QL iteration deflates only when an off-diagonal entry is negligible
     * against its two neighbouring diagonal entries, and gives up after 30 iterations per eigenvalue. On a singular
     * covariance those diagonal entries approach 0 while rounding keeps the off-diagonal ones near {@code eps F}, so
     * the test can never pass: without the shift, 300 features of 50 samples throw {@code MaxCountExceededException}
     * every time. {@code F} bounds every eigenvalue's magnitude, so the shifted eigenvalues all lie in
     * {@code [F, 3F]}, the deflation test becomes a normwise one that rounding can meet, and the eigenvectors are
     * unchanged. Shifting back costs an absolute error of order {@code eps F}, within the normwise accuracy any
     * symmetric eigensolver has.
     */
    private static SymmetricEigen symmetricEigen(RealMatrix symmetric) {
        int d = symmetric.getRowDimension();
        double shift = 2 * symmetric.getFrobeniusNorm();
        if (!Double.isFinite(shift)) {
            // commons-math would iterate on the NaNs that infinities bring, up to its limit
            throw new ArithmeticException("cannot decompose a " + d + "x" + d
                    + " matrix whose Frobenius norm overflows a double");
        }
        RealMatrix shifted = symmetric.copy();
        for (int k = 0; k < d; k++) {
            shifted.addToEntry(k, k, shift);
        }
        EigenDecomposition eigen;
        try {
            eigen = new EigenDecomposition(shifted);
        } catch (MaxCountExceededException e) {
            throw new ArithmeticException("the symmetric eigendecomposition of a " + d + "x" + d
                    + " matrix did not converge: " + e.getMessage());
        }
        double[] values = eigen.getRealEigenvalues();
        for (int k = 0; k < d; k++) {
            values[k] -= shift;
        }
        return new SymmetricEigen(values, eigen.getV(), d * MACHINE_EPSILON * shift);
    }

    /**
     * {@code (M + M^T) / 2}: products of symmetric matrices are symmetric only up to rounding, and commons-math
     * takes its non-symmetric (possibly complex) eigenvalue path for a matrix it does not find symmetric.
     */
    private static RealMatrix symmetrized(RealMatrix m) {
        int d = m.getRowDimension();
        for (int i = 0; i < d; i++) {
            for (int j = i + 1; j < d; j++) {
                double average = (m.getEntry(i, j) + m.getEntry(j, i)) / 2;
                m.setEntry(i, j, average);
                m.setEntry(j, i, average);
            }
        }
        return m;
    }

    /** Checks at least 2 rows, at least one column and no ragged rows; returns the column count. */
    private static int requireFeatureShape(double[][] features, String name) {
        Objects.requireNonNull(features, name);
        if (features.length < 2) {
            throw new IllegalArgumentException(name + " must hold at least 2 samples (rows), but had "
                    + features.length);
        }
        Objects.requireNonNull(features[0], name + "[0]");
        int columns = features[0].length;
        if (columns == 0) {
            throw new IllegalArgumentException(name + "[0] must have at least one column, but was empty");
        }
        for (int i = 1; i < features.length; i++) {
            Objects.requireNonNull(features[i], name + "[" + i + "]");
            if (features[i].length != columns) {
                throw new IllegalArgumentException(name + "[" + i + "] has " + features[i].length + " columns, but "
                        + name + "[0] has " + columns);
            }
        }
        return columns;
    }

    private static double[][] toMatrix(INDArray array, String name) {
        Objects.requireNonNull(array, name);
        if (array.rank() != 2) {
            throw new IllegalArgumentException(name + " must be a matrix [samples, features], but had shape "
                    + Arrays.toString(array.shape()));
        }
        return array.toDoubleMatrix();
    }

    private static void requireFinite(double value, String name) {
        Checks.finite(name, value);
    }
}
