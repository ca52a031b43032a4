package org.wgan.examples.fashion;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Generator;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.metrics.ClassHistogram;
import org.wgan.core.metrics.FrechetDistance;

/**
 * The Fashion-MNIST scoring protocol: {@code samples} images generated from latent noise {@code N(0, I)} (drawn with
 * {@code new Random(seed)}), scored against the 10,000 images of the test split by
 *
 * <ul>
 *   <li>the squared Frechet distance between Gaussians fitted to the {@value FashionClassifier#FEATURE_SIZE}-d
 *       features of the project's {@link FashionClassifier} ({@code ||mu1 - mu2||^2 + Tr(C1 + C2 - 2 sqrtm(C1 C2))},
 *       the FID of Heusel et al. 2017 with this classifier in place of Inception-v3, so its values are comparable
 *       only with figures from the same classifier and protocol), and</li>
 *   <li>the histogram of the classes the classifier predicts for the generated samples, which shows dropped and
 *       collapsed classes (the real data has 10% of each).</li>
 * </ul>
 *
 * <p>The distance depends on the sample count (its estimate is biased upward for few samples), so quote it beside
 * {@link #referenceFloor} at the same count: what {@code samples} real training images score against the test split,
 * the distance a perfect generator would come out at. {@link #protocol()} states the settings in words.
 *
 * @param frechetDistance    squared Frechet distance between generated and test-split features, {@code >= 0}
 * @param classHistogram     predicted classes of the generated samples
 * @param samples            generated samples
 * @param referenceSamples   test images the generated ones are compared with
 * @param classifierAccuracy the classifier's accuracy on the test split
 */
public record FashionEvaluation(double frechetDistance, ClassHistogram classHistogram, int samples,
        int referenceSamples, double classifierAccuracy) {

    /** Generated samples per evaluation in the examples: as many as the test split holds. */
    public static final int DEFAULT_SAMPLES = 10_000;

    /**
     * Generated images per {@link Generator#generate} call: bounds the memory of one pass. At 500 the ResNet of
     * width 32 went over the examples' 2 GB physical-memory bound (its inference buffers, batch normalisation's
     * heap rows and the classifier's DL4J activations together); at 100 the latent draws are the same sequence.
     */
    static final int GENERATION_BATCH = 100;

    /**
     * Validates the figures.
     *
     * @throws IllegalArgumentException on a negative or NaN distance, sample counts below 2, or a histogram that
     *                                  does not count {@code samples} predictions
     */
    public FashionEvaluation {
        Objects.requireNonNull(classHistogram, "classHistogram");
        if (!(frechetDistance >= 0)) {
            throw new IllegalArgumentException("frechetDistance must be >= 0, but was " + frechetDistance);
        }
        if (samples < 2 || referenceSamples < 2) {
            throw new IllegalArgumentException("samples and referenceSamples must be >= 2, but were " + samples
                    + " and " + referenceSamples);
        }
        if (classHistogram.total() != samples) {
            throw new IllegalArgumentException("classHistogram must count " + samples + " predictions, but counted "
                    + classHistogram.total());
        }
    }

    /**
     * Scores a generator (see the class documentation). Generates in batches of {@value #GENERATION_BATCH} in
     * inference mode; the test split's features are computed once per classifier and data set and then reused.
     *
     * @param generator  maps {@code [n, latentSize]} to {@code [n, 1, 28, 28]} or {@code [n, 784]} in {@code [-1, 1]}
     * @param classifier supplies the features and predicted classes
     * @param data       Fashion-MNIST, for the test split
     * @param samples    generated samples, {@code >= 2}; {@link #DEFAULT_SAMPLES} in the examples
     * @param seed       seeds the latent noise
     * @throws IllegalArgumentException if samples is below 2
     * @throws IllegalStateException    if the generator returns another number of samples than asked for, samples of
     *                                  another shape, or NaN or infinite values; the message names the shapes
     */
    public static FashionEvaluation of(Generator generator, FashionClassifier classifier, FashionMnist data,
            int samples, long seed) {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(data, "data");
        requireSamples(samples);
        LatentSampler latent = LatentSamplers.gaussian(generator.latentSize());
        Random random = new Random(seed);
        double[][] features = new double[samples][];
        int[] predicted = new int[samples];
        for (int from = 0; from < samples; from += GENERATION_BATCH) {
            int count = Math.min(GENERATION_BATCH, samples - from);
            INDArray z = latent.sample(count, random);
            INDArray images = generator.generate(z);
            requireImages(images, z, count);
            FashionClassifier.Readout readout = classifier.readout(images, true);
            System.arraycopy(readout.features(), 0, features, from, count);
            System.arraycopy(readout.predicted(), 0, predicted, from, count);
        }
        FrechetDistance.Gaussian generated = FrechetDistance.Gaussian.fit(features);
        double distance = FrechetDistance.between(generated, classifier.testSplitGaussian(data));
        ClassHistogram histogram = ClassHistogram.of(predicted, FashionMnist.CLASS_NAMES.size());
        return new FashionEvaluation(distance, histogram, samples, data.testSize(), classifier.testAccuracy());
    }

    /**
     * The distance a perfect generator would score: {@code samples} training images, drawn without replacement
     * with {@code new Random(seed)}, against the test split, through the same classifier. Quote it beside
     * {@link #of} figures at the same sample count.
     *
     * @param samples {@code 2..data.trainSize()}
     * @throws IllegalArgumentException if samples is outside that range
     */
    public static double referenceFloor(FashionClassifier classifier, FashionMnist data, int samples, long seed) {
        Objects.requireNonNull(classifier, "classifier");
        Objects.requireNonNull(data, "data");
        requireSamples(samples);
        if (samples > data.trainSize()) {
            throw new IllegalArgumentException("samples must be <= " + data.trainSize()
                    + " (the training images), but was " + samples);
        }
        int[] rows = firstOfShuffle(data.trainSize(), samples, new Random(seed));
        INDArray train = data.images(FashionMnist.Split.TRAIN);
        INDArray pixels = train.reshape('c', data.trainSize(),
                (long) FashionMnist.IMAGE_SIZE * FashionMnist.IMAGE_SIZE);
        double[][] features = new double[samples][];
        for (int from = 0; from < samples; from += GENERATION_BATCH) {
            int[] batch = Arrays.copyOfRange(rows, from, Math.min(samples, from + GENERATION_BATCH));
            double[][] part = classifier.features(Nd4j.pullRows(pixels, 1, batch));
            System.arraycopy(part, 0, features, from, part.length);
        }
        return FrechetDistance.between(FrechetDistance.Gaussian.fit(features), classifier.testSplitGaussian(data));
    }

    /**
     * The protocol in words, to print beside the figures, e.g. "Frechet distance over the 128-d features of the
     * project's CNN classifier (test accuracy 0.8881): 10,000 generated samples against the 10,000 test images;
     * class histogram of the generated samples' predicted classes".
     */
    public String protocol() {
        return protocol(samples, referenceSamples, classifierAccuracy);
    }

    /** The protocol sentence for a floor or an evaluation with these counts. */
    static String protocol(int samples, int referenceSamples, double classifierAccuracy) {
        return String.format(Locale.ROOT, "Frechet distance over the %d-d features of the project's CNN classifier"
                + " (test accuracy %.4f): %,d generated samples against the %,d test images; class histogram of the"
                + " generated samples' predicted classes", FashionClassifier.FEATURE_SIZE, classifierAccuracy,
                samples, referenceSamples);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Frechet distance %.3f, classes %s", frechetDistance, classHistogram);
    }

    private static void requireSamples(int samples) {
        if (samples < 2) {
            throw new IllegalArgumentException("samples must be >= 2 (a covariance needs two), but was " + samples);
        }
    }

    private static void requireImages(INDArray images, INDArray latent, int count) {
        if (images == null || !FashionClassifier.isImageShape(images.shape()) || images.size(0) != count) {
            throw new IllegalStateException("the generator must return one [1, 28, 28] or [784] image per latent row,"
                    + " but latent "
                    + Arrays.toString(latent.shape()) + " gave "
                    + (images == null ? "null" : Arrays.toString(images.shape())));
        }
        if (images.isNaN().any() || images.isInfinite().any()) {
            throw new IllegalStateException("the generator returned NaN or infinite values (samples "
                    + Arrays.toString(images.shape()) + ")");
        }
    }

    /** The first {@code count} of a seeded Fisher-Yates shuffle of {@code 0..n-1}: a sample without replacement. */
    private static int[] firstOfShuffle(int n, int count, Random random) {
        int[] values = new int[n];
        Arrays.setAll(values, i -> i);
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(n - i);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
        return Arrays.copyOf(values, count);
    }
}
