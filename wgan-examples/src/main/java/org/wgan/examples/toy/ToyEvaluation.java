package org.wgan.examples.toy;

import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;
import org.wgan.core.data.GaussianMixture;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.metrics.MixtureMetrics;
import org.wgan.core.metrics.MixtureQuality;
import org.wgan.core.metrics.WassersteinDistances;

/**
 * The toy examples' scoring protocol: {@value #SAMPLES} generated samples against the mixture (modes covered,
 * good-sample share), and sliced W1 over {@value #DIRECTIONS} random directions against {@value #SAMPLES} fresh
 * real samples. Its own seeded random source, so evaluating never disturbs training.
 *
 * @param quality     mode coverage and good-sample share
 * @param slicedW1    sliced Wasserstein-1 to fresh real samples
 * @param generated   the generated samples, {@code [SAMPLES][2]}
 * @param real        the fresh real samples, {@code [SAMPLES][2]}
 */
public record ToyEvaluation(MixtureQuality quality, double slicedW1, double[][] generated, double[][] real) {

    /** Generated and real samples per evaluation. */
    public static final int SAMPLES = 2_500;
    /** Random directions of the sliced W1. */
    public static final int DIRECTIONS = 100;

    /** Evaluates a generator on a mixture with a random source seeded by {@code seed}. */
    public static ToyEvaluation of(Generator generator, LatentSampler latent, GaussianMixture mixture, long seed) {
        Random random = new Random(seed);
        INDArray z = latent.sample(SAMPLES, random);
        double[][] generated = generator.generate(z).castTo(DataType.DOUBLE).toDoubleMatrix();
        double[][] real = mixture.sampleArray(SAMPLES, random);
        MixtureQuality quality = MixtureMetrics.evaluate(mixture, generated);
        double sliced = WassersteinDistances.sliced(generated, real, DIRECTIONS, random);
        return new ToyEvaluation(quality, sliced, generated, real);
    }

    @Override
    public String toString() {
        return String.format("%s, sliced W1 %.4f", quality, slicedW1);
    }
}
