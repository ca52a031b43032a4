package org.wgan.core.data;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Factories for latent samplers. */
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
        requirePositive(latentSize);
        return new LatentSampler() {
            @Override
            public int latentSize() {
                return latentSize;
            }

            @Override
            public INDArray sample(int batchSize, Random random) {
                float[] values = new float[Math.multiplyExact(batchSize, latentSize)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) random.nextGaussian();
                }
                return Nd4j.create(values, new long[] {batchSize, latentSize}, 'c');
            }

            @Override
            public String toString() {
                return "Gaussian[latentSize=" + latentSize + "]";
            }
        };
    }

    /**
     * Uniform noise on [-1, 1), as float32.
     *
     * @param latentSize {@code >= 1}
     * @throws IllegalArgumentException if latentSize is below 1
     */
    public static LatentSampler uniform(int latentSize) {
        requirePositive(latentSize);
        return new LatentSampler() {
            @Override
            public int latentSize() {
                return latentSize;
            }

            @Override
            public INDArray sample(int batchSize, Random random) {
                float[] values = new float[Math.multiplyExact(batchSize, latentSize)];
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (2 * random.nextDouble() - 1);
                }
                return Nd4j.create(values, new long[] {batchSize, latentSize}, 'c');
            }

            @Override
            public String toString() {
                return "Uniform[latentSize=" + latentSize + "]";
            }
        };
    }

    private static void requirePositive(int latentSize) {
        if (latentSize < 1) {
            throw new IllegalArgumentException("latentSize must be >= 1, but was " + latentSize);
        }
    }
}
