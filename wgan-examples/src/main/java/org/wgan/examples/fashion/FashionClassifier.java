package org.wgan.examples.fashion;

import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.data.FashionMnist;
import org.wgan.core.internal.Checks;
import org.wgan.core.metrics.FrechetDistance;

/**
 * A small Fashion-MNIST classifier whose penultimate activations serve as the feature space of the Frechet distance
 * in {@link FashionEvaluation} (the role Inception-v3's pool features play in Heusel et al.'s FID, "GANs Trained by a
 * Two Time-Scale Update Rule Converge to a Local Nash Equilibrium", 2017), and whose predictions give the class
 * histogram of generated samples.
 *
 * <p>LeNet-shaped, float32, input {@code [n, 1, 28, 28]} (NCHW) in {@code [-1, 1]}: conv 5x5, 32 channels, ReLU ->
 * max-pool 2 -> conv 5x5, 64 channels, ReLU -> max-pool 2 -> dense 128 ReLU (the {@value #FEATURE_SIZE}-d feature
 * layer) -> softmax over the 10 classes (cross-entropy), Adam(1e-3), minibatches of {@value #BATCH_SIZE} shuffled
 * with {@code new Random(seed)}, weights initialised from the same seed.
 *
 * <p>{@link FashionClassifierTraining} builds and trains the network. Training takes a while, so {@link #loadOrTrain}
 * keeps the trained network in a cache file ({@link FashionClassifierCache}: a DL4J model zip with the training
 * settings in an extra entry) and reuses it while those settings match.
 *
 * <p>Speed: DL4J 1.0.0-M2.1 runs {@code ConvolutionLayer} and {@code SubsamplingLayer} through its own im2col and
 * matrix products, not through libnd4j's conv2d, so libnd4j's oneDNN build does not speed this network up (measured:
 * the same time per image with and without {@code -Dorg.bytedeco.javacpp.platform.extension=-onednn}). DL4J's
 * oneDNN layer helpers are off by default ({@code org.eclipse.deeplearning4j.helpers.disable=true}); switched on,
 * their availability check fails (it looks for {@code org.nd4j.nativeblas.Nd4jCpu$Environment}, a class M2.1 no
 * longer has), and forcing them in gave outputs that differed from the built-in path, so they stay off. Inference
 * took about 1.5-3 ms an image here (10,000 images in 15-30 s), roughly half of what training takes per image.
 *
 * <p>Not thread-safe: use one instance from one thread at a time. {@link FashionMnist}'s arrays are only read.
 */
public final class FashionClassifier {

    /**
     * Epochs of the default classifier. Measured with seed 1 (the accuracy after each epoch is the same on every
     * run): test accuracy 0.8669, 0.8859, 0.8881, 0.8969, 0.8965, 0.8971, 0.9033 and 0.9061 after epochs 1 to 8.
     * An epoch took 190-490 s on a 2-core machine that other training runs shared (one ND4J thread). Three epochs
     * (0.888) keep the first run of the Fashion-MNIST example to about 10-20 minutes; the README's figures use
     * this classifier and quote its accuracy. The cache makes training a one-off.
     */
    public static final int DEFAULT_EPOCHS = 3;
    /** Seed of the default classifier. */
    public static final long DEFAULT_SEED = 1;
    /** Where the examples keep the default classifier. */
    public static final Path DEFAULT_CACHE_FILE = Path.of("wgan-output", "fashion-classifier.zip");
    /** Width of the feature layer. */
    public static final int FEATURE_SIZE = 128;
    /** Minibatch size of the training. */
    public static final int BATCH_SIZE = 128;

    /** Bumped whenever the architecture or the training changes, so that older caches are retrained. */
    static final int ARCHITECTURE_VERSION = 1;

    static final int CLASSES = FashionMnist.CLASS_NAMES.size();
    static final int PIXELS = FashionMnist.IMAGE_SIZE * FashionMnist.IMAGE_SIZE;
    /** Layers: 0 conv, 1 pool, 2 conv, 3 pool, 4 dense (features), 5 output. */
    private static final int FEATURE_LAYER = 4;
    private static final int LAYERS = 6;
    /** 832 + 51,264 + 131,200 + 1,290: conv 1, conv 2, dense, output (weights and biases). */
    static final long PARAMETERS = 184_586;
    /** Images per forward pass at inference: bounds the activations (conv 1 alone is 74 KB an image). */
    private static final int INFERENCE_BATCH = 500;

    private final MultiLayerNetwork network;
    private final Settings settings;
    private final double testAccuracy;
    /** The data set whose test-split Gaussian {@link #testSplit} holds; weak, so the cache never keeps it alive. */
    private WeakReference<FashionMnist> testSplitOf = new WeakReference<>(null);
    private FrechetDistance.Gaussian testSplit;

    /** What a cached network was trained with; a cache is reused only when all of it matches. */
    record Settings(int architectureVersion, long seed, int epochs, int trainingImages) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "architecture v%d, seed %d, %d epochs on %,d training images",
                    architectureVersion, seed, epochs, trainingImages);
        }
    }

    FashionClassifier(MultiLayerNetwork network, Settings settings, double testAccuracy) {
        this.network = network;
        this.settings = settings;
        this.testAccuracy = testAccuracy;
    }

    /**
     * {@link #loadOrTrain(FashionMnist, Path, long, int, Consumer)} with {@link #DEFAULT_SEED} and
     * {@link #DEFAULT_EPOCHS}.
     */
    public static FashionClassifier loadOrTrain(FashionMnist data, Path cacheFile, Consumer<String> log) {
        return loadOrTrain(data, cacheFile, DEFAULT_SEED, DEFAULT_EPOCHS, log);
    }

    /**
     * The classifier trained on the whole training split for {@code epochs} epochs from {@code seed}: read from
     * {@code cacheFile} if that holds one trained with the same settings (and the same architecture version),
     * otherwise trained (190-490 s an epoch on 2 shared cores, see {@link #DEFAULT_EPOCHS}) and written there,
     * atomically (a temporary file in the same folder, then renamed). A cache that cannot be read, or was trained
     * with other settings, is reported through {@code log} and replaced; one that cannot be written is reported and
     * the trained classifier returned all the same.
     *
     * @param data      Fashion-MNIST; the test split gives the recorded {@link #testAccuracy()}
     * @param cacheFile the cache; its folder is created if missing
     * @param seed      seeds the initial weights and the minibatch shuffling
     * @param epochs    {@code >= 1}
     * @param log       receives one line per step (loaded, reasons to retrain, each epoch's time and accuracy)
     * @throws IllegalArgumentException if epochs is below 1
     */
    public static FashionClassifier loadOrTrain(FashionMnist data, Path cacheFile, long seed, int epochs,
            Consumer<String> log) {
        Objects.requireNonNull(data, "data");
        return loadOrTrain(data, data.trainSize(), cacheFile, seed, epochs, log);
    }

    /**
     * As {@link #loadOrTrain(FashionMnist, Path, long, int, Consumer)}, trained on the first {@code trainingImages}
     * images of the training split only (for quick tests).
     *
     * @throws IllegalArgumentException if trainingImages is outside {@code 1..data.trainSize()} or epochs below 1
     */
    static FashionClassifier loadOrTrain(FashionMnist data, int trainingImages, Path cacheFile, long seed,
            int epochs, Consumer<String> log) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(cacheFile, "cacheFile");
        Objects.requireNonNull(log, "log");
        if (trainingImages < 1 || trainingImages > data.trainSize()) {
            throw new IllegalArgumentException("trainingImages must be in 1.." + data.trainSize() + ", but was "
                    + trainingImages);
        }
        Checks.atLeast("epochs", epochs, 1);
        Settings settings = new Settings(ARCHITECTURE_VERSION, seed, epochs, trainingImages);
        if (Files.exists(cacheFile)) {
            FashionClassifier cached = FashionClassifierCache.read(cacheFile, settings, log);
            if (cached != null) {
                return cached;
            }
        }
        FashionClassifier trained = FashionClassifierTraining.train(data, settings, log);
        FashionClassifierCache.write(trained, cacheFile, log);
        return trained;
    }

    /** A restored network must have the shape this class reads (a foreign network under our metadata would not). */
    static void checkArchitecture(MultiLayerNetwork network) {
        if (network.getnLayers() != LAYERS || network.numParams() != PARAMETERS) {
            throw new IllegalStateException("expected " + LAYERS + " layers and " + PARAMETERS + " parameters, found "
                    + network.getnLayers() + " and " + network.numParams());
        }
    }

    /** Keeps the Gaussian of {@code data}'s test-split features, computed while training, for the evaluations. */
    void keepTestSplitGaussian(FashionMnist data, FrechetDistance.Gaussian gaussian) {
        testSplit = gaussian;
        testSplitOf = new WeakReference<>(data);
    }

    /** The trained network (written by the cache). */
    MultiLayerNetwork network() {
        return network;
    }

    /** What the network was trained with. */
    Settings settings() {
        return settings;
    }

    /** A copy of the network's flattened parameters, {@code [1, 184586]}. */
    INDArray parameters() {
        return network.params().dup();
    }

    /** Accuracy on the whole test split, measured when the classifier was trained. */
    public double testAccuracy() {
        return testAccuracy;
    }

    /** Epochs the classifier was trained for. */
    public int epochs() {
        return settings.epochs();
    }

    /** Seed of the initial weights and the shuffling. */
    public long seed() {
        return settings.seed();
    }

    /**
     * The share of {@code images} whose {@link #predict predicted} class is the label.
     *
     * @param images {@code [n, 1, 28, 28]} or {@code [n, 784]}, in {@code [-1, 1]}
     * @param labels {@code n} labels in {@code 0..9}
     * @throws IllegalArgumentException if the shape is neither, or the lengths differ
     */
    public double accuracy(INDArray images, int[] labels) {
        Objects.requireNonNull(labels, "labels");
        int n = imageCount(images);
        if (labels.length != n) {
            throw new IllegalArgumentException("labels must hold one label per image, but images were "
                    + Arrays.toString(images.shape()) + " and labels " + labels.length);
        }
        return accuracy(predict(images), labels);
    }

    /** The share of {@code predicted} classes equal to the labels. */
    static double accuracy(int[] predicted, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            if (predicted[i] == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }

    /**
     * The most probable class of each image.
     *
     * @param images {@code [n, 1, 28, 28]} or {@code [n, 784]}, in {@code [-1, 1]}
     * @return {@code n} classes in {@code 0..9} (indices into {@link FashionMnist#CLASS_NAMES})
     * @throws IllegalArgumentException if the shape is neither
     */
    public int[] predict(INDArray images) {
        return readout(images, false).predicted();
    }

    /**
     * The activations of the {@value #FEATURE_SIZE}-unit dense layer, the feature space of the Frechet distance.
     * Runs in batches of {@value #INFERENCE_BATCH} images.
     *
     * @param images {@code [n, 1, 28, 28]} or {@code [n, 784]}, in {@code [-1, 1]}
     * @return {@code [n][128]}
     * @throws IllegalArgumentException if the shape is neither
     */
    public double[][] features(INDArray images) {
        return readout(images, true).features();
    }

    /** Features and predicted classes from one pass. */
    record Readout(double[][] features, int[] predicted) {
    }

    /** Features (when asked for; null otherwise) and predictions, in batches. */
    Readout readout(INDArray images, boolean withFeatures) {
        int n = imageCount(images);
        INDArray input = images.reshape('c', n, 1, FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE);
        if (input.dataType() != DataType.FLOAT) {
            input = input.castTo(DataType.FLOAT);
        }
        double[][] features = withFeatures ? new double[n][] : null;
        int[] predicted = new int[n];
        for (int from = 0; from < n; from += INFERENCE_BATCH) {
            int to = Math.min(n, from + INFERENCE_BATCH);
            INDArray batch = input.get(NDArrayIndex.interval(from, to));
            List<INDArray> activations = network.feedForward(batch, false);
            if (withFeatures) {
                double[][] part = activations.get(FEATURE_LAYER + 1).castTo(DataType.DOUBLE).toDoubleMatrix();
                System.arraycopy(part, 0, features, from, part.length);
            }
            int[] classes = activations.get(activations.size() - 1).argMax(1).toIntVector();
            System.arraycopy(classes, 0, predicted, from, classes.length);
        }
        return new Readout(features, predicted);
    }

    /**
     * The Gaussian fitted to the features of {@code data}'s test split, computed on the first call for a data set
     * and kept for the next calls with the same one.
     */
    synchronized FrechetDistance.Gaussian testSplitGaussian(FashionMnist data) {
        Objects.requireNonNull(data, "data");
        if (testSplitOf.get() != data) {
            testSplit = FrechetDistance.Gaussian.fit(features(data.images(FashionMnist.Split.TEST)));
            testSplitOf = new WeakReference<>(data);
        }
        return testSplit;
    }

    /** Whether {@code shape} is {@code [n, 1, 28, 28]} or {@code [n, 784]} with {@code n >= 1}. */
    static boolean isImageShape(long[] shape) {
        boolean image = shape.length == 4 && shape[1] == 1 && shape[2] == FashionMnist.IMAGE_SIZE
                && shape[3] == FashionMnist.IMAGE_SIZE;
        boolean flat = shape.length == 2 && shape[1] == PIXELS;
        return (image || flat) && shape[0] >= 1;
    }

    /** {@code n} of a {@code [n, 1, 28, 28]} or {@code [n, 784]} array. */
    private static int imageCount(INDArray images) {
        Objects.requireNonNull(images, "images");
        long[] shape = images.shape();
        if (!isImageShape(shape)) {
            throw new IllegalArgumentException("images must be [n, 1, 28, 28] or [n, 784] with n >= 1, but was "
                    + Arrays.toString(shape));
        }
        return Math.toIntExact(shape[0]);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "FashionClassifier[%s, test accuracy %.4f]", settings, testAccuracy);
    }
}
