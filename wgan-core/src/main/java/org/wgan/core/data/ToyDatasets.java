package org.wgan.core.data;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.internal.Checks;

/**
 * The 2-D toy data sets of Gulrajani et al. ("Improved Training of Wasserstein GANs", 2017; their
 * {@code gan_toy.py}), with the authors' recipes.
 */
public final class ToyDatasets {

    private static final double SQRT_HALF = Math.sqrt(0.5);
    /** The authors' divisor for 8 Gaussians. */
    static final double EIGHT_GAUSSIANS_DIVISOR = 1.414;
    /** The authors' divisor for 25 Gaussians. */
    static final double TWENTY_FIVE_GAUSSIANS_DIVISOR = 2.828;
    /** The authors' divisor for the Swiss roll. */
    static final double SWISS_ROLL_DIVISOR = 7.5;

    private ToyDatasets() {
    }

    /**
     * Eight Gaussians: centres at radius 2 on the eight compass points, std 0.02, everything divided by 1.414.
     */
    public static GaussianMixture eightGaussians() {
        double[][] unit = {
            {1, 0}, {-1, 0}, {0, 1}, {0, -1},
            {SQRT_HALF, SQRT_HALF}, {SQRT_HALF, -SQRT_HALF}, {-SQRT_HALF, SQRT_HALF}, {-SQRT_HALF, -SQRT_HALF}
        };
        double[][] centres = new double[unit.length][];
        for (int i = 0; i < unit.length; i++) {
            centres[i] = new double[] {2 * unit[i][0] / EIGHT_GAUSSIANS_DIVISOR,
                2 * unit[i][1] / EIGHT_GAUSSIANS_DIVISOR};
        }
        return new GaussianMixture("8 Gaussians", centres, 0.02 / EIGHT_GAUSSIANS_DIVISOR);
    }

    /** Twenty-five Gaussians: a 5x5 grid at {-4, -2, 0, 2, 4}, std 0.05, everything divided by 2.828. */
    public static GaussianMixture twentyFiveGaussians() {
        double[][] centres = new double[25][];
        int k = 0;
        for (int x = -2; x <= 2; x++) {
            for (int y = -2; y <= 2; y++) {
                centres[k++] = new double[] {2.0 * x / TWENTY_FIVE_GAUSSIANS_DIVISOR,
                    2.0 * y / TWENTY_FIVE_GAUSSIANS_DIVISOR};
            }
        }
        return new GaussianMixture("25 Gaussians", centres, 0.05 / TWENTY_FIVE_GAUSSIANS_DIVISOR);
    }

    /**
     * The Swiss roll: the (x, z) slice of scikit-learn's 3-D roll with noise 0.25, divided by 7.5. With
     * {@code t = 1.5 pi (1 + 2u)}, u ~ U(0,1): {@code ((t cos t + 0.25 n1), (t sin t + 0.25 n2)) / 7.5}.
     */
    public static SampleSource swissRoll() {
        return new SampleSource() {
            @Override
            public INDArray next(int batchSize, Random random) {
                float[] values = new float[2 * Checks.atLeast("batchSize", batchSize, 1)];
                for (int i = 0; i < batchSize; i++) {
                    double t = 1.5 * Math.PI * (1 + 2 * random.nextDouble());
                    values[2 * i] = (float) ((t * Math.cos(t) + 0.25 * random.nextGaussian()) / SWISS_ROLL_DIVISOR);
                    values[2 * i + 1] = (float) ((t * Math.sin(t) + 0.25 * random.nextGaussian()) / SWISS_ROLL_DIVISOR);
                }
                return Nd4j.create(values, new long[] {batchSize, 2}, 'c').castTo(DataType.FLOAT);
            }

            @Override
            public String toString() {
                return "Swiss roll";
            }
        };
    }
}
