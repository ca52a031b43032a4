package org.wgan.core.data;

import java.util.Arrays;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.internal.Checks;

/**
 * An equal-weight mixture of isotropic Gaussians in any dimension: a mode is chosen uniformly, then
 * {@code centre + std * N(0, I)}. The centres and the standard deviation are the final ones (after any
 * scaling of the data set), which is what the mode-coverage metric measures against.
 */
public final class GaussianMixture implements SampleSource {

    private final String name;
    private final double[][] centres;
    private final double std;

    /**
     * @param name    for reports
     * @param centres the modes' centres, all of one dimension
     * @param std     per-coordinate standard deviation of every mode, finite and {@code > 0}
     * @throws IllegalArgumentException on no centres, ragged centres or a bad std
     */
    public GaussianMixture(String name, double[][] centres, double std) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(centres, "centres");
        if (centres.length == 0) {
            throw new IllegalArgumentException("centres must hold at least one centre, but was empty");
        }
        int dim = centres[0].length;
        for (int i = 0; i < centres.length; i++) {
            if (centres[i].length != dim) {
                throw new IllegalArgumentException("centres must all have dimension " + dim + ", but centre "
                        + i + " has " + centres[i].length);
            }
        }
        Checks.positive("std", std);
        this.centres = Arrays.stream(centres).map(double[]::clone).toArray(double[][]::new);
        this.std = std;
    }

    /** The name given at construction. */
    public String name() {
        return name;
    }

    /** A copy of the centres. */
    public double[][] centres() {
        return Arrays.stream(centres).map(double[]::clone).toArray(double[][]::new);
    }

    /** Number of modes. */
    public int modes() {
        return centres.length;
    }

    /** Dimension of a sample. */
    public int dimension() {
        return centres[0].length;
    }

    /** Per-coordinate standard deviation of every mode. */
    public double std() {
        return std;
    }

    /**
     * Draws samples as a plain array, {@code [count][dimension]}.
     *
     * @throws IllegalArgumentException if count is below 1
     */
    public double[][] sampleArray(int count, Random random) {
        double[][] out = new double[Checks.atLeast("batchSize", count, 1)][];
        for (int i = 0; i < count; i++) {
            double[] centre = centres[random.nextInt(centres.length)];
            double[] point = new double[centre.length];
            for (int d = 0; d < point.length; d++) {
                point[d] = centre[d] + std * random.nextGaussian();
            }
            out[i] = point;
        }
        return out;
    }

    @Override
    public INDArray next(int batchSize, Random random) {
        return Nd4j.create(sampleArray(batchSize, random)).castTo(org.nd4j.linalg.api.buffer.DataType.FLOAT);
    }

    @Override
    public String toString() {
        return name + "[modes=" + centres.length + ", std=" + std + "]";
    }
}
