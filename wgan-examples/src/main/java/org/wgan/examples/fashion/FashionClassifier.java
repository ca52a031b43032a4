package org.wgan.examples.fashion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.wgan.core.checkpoint.AtomicFiles;
import org.wgan.core.data.FashionMnist;
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
 * <p>Training takes a while, so {@link #loadOrTrain} keeps the trained network in a cache file (a DL4J model zip
 * with the training settings in an extra entry) and reuses it while those settings match.
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
    /** The zip entry that holds the training settings. */
    static final String METADATA_ENTRY = "wgan-fashion-classifier.properties";

    private static final int CLASSES = FashionMnist.CLASS_NAMES.size();
    private static final int PIXELS = FashionMnist.IMAGE_SIZE * FashionMnist.IMAGE_SIZE;
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

        private Properties toProperties(double testAccuracy) {
            Properties properties = new Properties();
            properties.setProperty("architectureVersion", Integer.toString(architectureVersion));
            properties.setProperty("seed", Long.toString(seed));
            properties.setProperty("epochs", Integer.toString(epochs));
            properties.setProperty("trainingImages", Integer.toString(trainingImages));
            properties.setProperty("testAccuracy", Double.toString(testAccuracy));
            return properties;
        }

        /** @throws IllegalArgumentException if a key is missing or malformed */
        private static Settings fromProperties(Properties properties) {
            return new Settings(Integer.parseInt(required(properties, "architectureVersion")),
                    Long.parseLong(required(properties, "seed")),
                    Integer.parseInt(required(properties, "epochs")),
                    Integer.parseInt(required(properties, "trainingImages")));
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "architecture v%d, seed %d, %d epochs on %,d training images",
                    architectureVersion, seed, epochs, trainingImages);
        }
    }

    private FashionClassifier(MultiLayerNetwork network, Settings settings, double testAccuracy) {
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
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, but was " + epochs);
        }
        Settings settings = new Settings(ARCHITECTURE_VERSION, seed, epochs, trainingImages);
        if (Files.exists(cacheFile)) {
            FashionClassifier cached = readCache(cacheFile, settings, log);
            if (cached != null) {
                return cached;
            }
        }
        FashionClassifier trained = train(data, settings, log);
        writeCache(trained, cacheFile, log);
        return trained;
    }

    /** The cached classifier, or null (with the reason logged) if the file is unreadable or its settings differ. */
    static FashionClassifier readCache(Path cacheFile, Settings wanted, Consumer<String> log) {
        Properties properties;
        Settings found;
        double accuracy;
        try {
            properties = readMetadata(cacheFile);
            found = Settings.fromProperties(properties);
            accuracy = Double.parseDouble(required(properties, "testAccuracy"));
        } catch (IOException | RuntimeException e) {
            log.accept("Fashion classifier cache " + cacheFile + " is unreadable (" + e + "); retraining");
            return null;
        }
        if (!found.equals(wanted)) {
            log.accept("Fashion classifier cache " + cacheFile + " holds " + found + ", not " + wanted
                    + "; retraining");
            return null;
        }
        try {
            MultiLayerNetwork network = ModelSerializer.restoreMultiLayerNetwork(cacheFile.toFile(), false);
            checkArchitecture(network);
            log.accept(String.format(Locale.ROOT, "Fashion classifier loaded from %s (%s, test accuracy %.4f)",
                    cacheFile, found, accuracy));
            return new FashionClassifier(network, found, accuracy);
        } catch (IOException | RuntimeException e) {
            log.accept("Fashion classifier cache " + cacheFile + " is unreadable (" + e + "); retraining");
            return null;
        }
    }

    private static Properties readMetadata(Path cacheFile) throws IOException {
        try (ZipFile zip = new ZipFile(cacheFile.toFile())) {
            ZipEntry entry = zip.getEntry(METADATA_ENTRY);
            if (entry == null) {
                throw new IOException("no " + METADATA_ENTRY + " entry");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Properties properties = new Properties();
                properties.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1)));
                return properties;
            }
        }
    }

    private static String required(Properties properties, String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("missing key " + key);
        }
        return value;
    }

    /** A restored network must have the shape this class reads (a foreign network under our metadata would not). */
    private static void checkArchitecture(MultiLayerNetwork network) {
        if (network.getnLayers() != LAYERS || network.numParams() != PARAMETERS) {
            throw new IllegalStateException("expected " + LAYERS + " layers and " + PARAMETERS + " parameters, found "
                    + network.getnLayers() + " and " + network.numParams());
        }
    }

    private static void writeCache(FashionClassifier classifier, Path cacheFile, Consumer<String> log) {
        try {
            ByteArrayOutputStream model = new ByteArrayOutputStream();
            ModelSerializer.writeModel(classifier.network, model, false);
            AtomicFiles.write(cacheFile, out -> writeWithMetadata(model.toByteArray(),
                    classifier.settings.toProperties(classifier.testAccuracy), out));
            log.accept("Fashion classifier written to " + cacheFile);
        } catch (IOException | RuntimeException e) {
            log.accept("Fashion classifier cache " + cacheFile + " could not be written (" + e
                    + "); continuing without it");
        }
    }

    private static void writeWithMetadata(byte[] modelZip, Properties metadata, OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(modelZip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                zip.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(zip);
                zip.closeEntry();
            }
        }
        StringWriter text = new StringWriter();
        metadata.store(text, "Fashion-MNIST classifier of org.wgan.examples.fashion.FashionClassifier");
        zip.putNextEntry(new ZipEntry(METADATA_ENTRY));
        zip.write(text.toString().getBytes(StandardCharsets.ISO_8859_1));
        zip.closeEntry();
        zip.finish();
    }

    private static MultiLayerNetwork network(long seed) {
        MultiLayerConfiguration configuration = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(32).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(64).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().nOut(FEATURE_SIZE).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(CLASSES)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE, 1,
                        CNN2DFormat.NCHW))
                .build();
        MultiLayerNetwork network = new MultiLayerNetwork(configuration);
        network.init();
        return network;
    }

    private static FashionClassifier train(FashionMnist data, Settings settings, Consumer<String> log) {
        log.accept("Fashion classifier: training (" + settings + ")");
        MultiLayerNetwork network = network(settings.seed());
        INDArray pixels = data.images(FashionMnist.Split.TRAIN).reshape('c', data.trainSize(), PIXELS);
        int[] labels = data.labels(FashionMnist.Split.TRAIN);
        INDArray testImages = data.images(FashionMnist.Split.TEST);
        int[] testLabels = data.labels(FashionMnist.Split.TEST);
        Random random = new Random(settings.seed());
        int[] order = new int[settings.trainingImages()];
        Arrays.setAll(order, i -> i);
        FashionClassifier classifier = new FashionClassifier(network, settings, Double.NaN);
        Readout last = null;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            long start = System.nanoTime();
            shuffle(order, random);
            for (int from = 0; from < order.length; from += BATCH_SIZE) {
                int[] rows = Arrays.copyOfRange(order, from, Math.min(order.length, from + BATCH_SIZE));
                INDArray features = Nd4j.pullRows(pixels, 1, rows)
                        .reshape('c', rows.length, 1, FashionMnist.IMAGE_SIZE, FashionMnist.IMAGE_SIZE);
                INDArray oneHot = Nd4j.zeros(DataType.FLOAT, rows.length, CLASSES);
                for (int i = 0; i < rows.length; i++) {
                    oneHot.putScalar(i, labels[rows[i]], 1f);
                }
                network.fit(new DataSet(features, oneHot));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // the last pass also yields the test split's features, which the first evaluation would compute anyway
            last = classifier.readout(testImages, epoch == settings.epochs());
            log.accept(String.format(Locale.ROOT, "Fashion classifier: epoch %d/%d, %.1f s, last minibatch loss"
                    + " %.4f, test accuracy %.4f", epoch, settings.epochs(), seconds, network.score(),
                    accuracy(last.predicted(), testLabels)));
        }
        FashionClassifier trained = new FashionClassifier(network, settings, accuracy(last.predicted(), testLabels));
        trained.testSplit = FrechetDistance.Gaussian.fit(last.features());
        trained.testSplitOf = new WeakReference<>(data);
        return trained;
    }

    /** Fisher-Yates with the given source, so that the order depends on the seed alone. */
    private static void shuffle(int[] values, Random random) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
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

    private static double accuracy(int[] predicted, int[] labels) {
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
