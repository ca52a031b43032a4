package org.wgan.core.data;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.internal.Checks;

/** Factories for latent samplers. Samplers are values: two of the same kind and size are equal. */
public final class LatentSamplers {

    private LatentSamplers() {
    }

    /**
     * Standard normal noise N(0, I), as float32.
     *
     * @param latentSize {@code >= 1}
     * @throws IllegalArgumentException if latentSize is below 1
     */
    public static LatentSampler gaussian(int latentSize) {
        return new Gaussian(latentSize);
    }

    /**
     * Uniform noise on [-1, 1), as float32.
     *
     * @param latentSize {@code >= 1}
     * @throws IllegalArgumentException if latentSize is below 1
     */
    public static LatentSampler uniform(int latentSize) {
        return new Uniform(latentSize);
    }

    private record Gaussian(int latentSize) implements LatentSampler {
        Gaussian {
            requirePositive(latentSize);
        }

        @Override
        public INDArray sample(int batchSize, Random random) {
            return fill(batchSize, latentSize, () -> (float) random.nextGaussian());
        }

        @Override
        public String toString() {
            return "Gaussian[latentSize=" + latentSize + "]";
        }
    }

    private record Uniform(int latentSize) implements LatentSampler {
        Uniform {
            requirePositive(latentSize);
        }

        @Override
        public INDArray sample(int batchSize, Random random) {
            // rounding to float could give exactly 1; keep the interval half-open
            return fill(batchSize, latentSize,
                    () -> Math.min((float) (2 * random.nextDouble() - 1), Math.nextDown(1f)));
        }

        @Override
        public String toString() {
            return "Uniform[latentSize=" + latentSize + "]";
        }
    }

    /** A float32 {@code [batchSize, latentSize]} array of draws, in row-major order. */
    private static INDArray fill(int batchSize, int latentSize, FloatDraw draw) {
        float[] values = new float[Math.multiplyExact(Checks.atLeast("batchSize", batchSize, 1), latentSize)];
        for (int i = 0; i < values.length; i++) {
            values[i] = draw.next();
        }
        return Nd4j.create(values, new long[] {batchSize, latentSize}, 'c');
    }

    @FunctionalInterface
    private interface FloatDraw {
        float next();
    }

    private static void requirePositive(int latentSize) {
        Checks.atLeast("latentSize", latentSize, 1);
    }
}
