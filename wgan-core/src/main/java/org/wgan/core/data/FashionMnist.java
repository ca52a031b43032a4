package org.wgan.core.data;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.internal.Checks;

/**
 * Fashion-MNIST (Xiao, Rasul and Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning
 * Algorithms", 2017): 28x28 grey-scale images of clothing in ten classes ({@link #CLASS_NAMES}), 60,000 for
 * training and 10,000 for testing, 6,000 and 1,000 per class.
 *
 * <p>Read from the four gzip-compressed IDX files of the original release ({@code train-images-idx3-ubyte.gz},
 * {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}), which
 * Debian and Ubuntu install in {@link #DEFAULT_DIRECTORY} with {@code apt-get install dataset-fashion-mnist}. Pixels
 * {@code p} in {@code 0..255} (0 is the background) are scaled to {@code p / 127.5 - 1}, in {@code [-1, 1]}, the range
 * of a {@code tanh} generator's output; they are held once, as float32 off the Java heap (about 190 MB for the
 * training split).
 *
 * <pre>{@code
 * FashionMnist fashion = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY);
 * SampleSource real = fashion.samples(FashionMnist.Split.TRAIN);   // [batch, 1, 28, 28], NCHW
 * }</pre>
 *
 * <p>Immutable once loaded, and safe to share between threads as long as no one writes to the arrays that
 * {@link #images(Split)} returns.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

    /** The class names, indexed by label. */
    public static final List<String> CLASS_NAMES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Image height and width in pixels. */
    public static final int IMAGE_SIZE = 28;

    private static final int PIXELS = IMAGE_SIZE * IMAGE_SIZE;
    private static final float[] SCALED = new float[256];
    /** Pixels converted per pass when filling the off-heap array: small enough to stay in cache. */
    private static final int CHUNK_PIXELS = 256 * PIXELS;

    static {
        for (int p = 0; p < SCALED.length; p++) {
            SCALED[p] = (float) (p / 127.5 - 1);
        }
    }

    /** The two splits of the data set. */
    public enum Split {
        /** The 60,000 training images. */
        TRAIN("train"),
        /** The 10,000 test images. */
        TEST("t10k");

        private final String prefix;

        Split(String prefix) {
            this.prefix = prefix;
        }

        private Path images(Path directory) {
            return directory.resolve(prefix + "-images-idx3-ubyte.gz");
        }

        private Path labels(Path directory) {
            return directory.resolve(prefix + "-labels-idx1-ubyte.gz");
        }
    }

    /** One split: pixels {@code [n, 784]}, scaled, and labels. */
    private record Part(INDArray pixels, int[] labels) {
        int size() {
            return labels.length;
        }
    }

    private final Part train;
    private final Part test;

    private FashionMnist(Part train, Part test) {
        this.train = train;
        this.test = test;
    }

    /**
     * Whether {@code directory} holds the four files as readable regular files (their contents are checked only
     * by {@link #load(Path)}).
     */
    public static boolean isAvailable(Path directory) {
        Objects.requireNonNull(directory, "directory");
        for (Split split : Split.values()) {
            for (Path file : List.of(split.images(directory), split.labels(directory))) {
                if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Loads both splits from the four IDX files in {@code directory} (gzip-compressed or plain, under the
     * {@code .gz} names), checking that each images file holds 28x28 images, that its labels file holds as many
     * labels, and that every label is in {@code 0..9}. Takes about a second for the full data set.
     *
     * @param directory usually {@link #DEFAULT_DIRECTORY}
     * @throws NoSuchFileException if a file is missing; the message names it and the Debian package
     * @throws IdxFormatException  if a file is malformed or does not hold what Fashion-MNIST should; the message
     *                             names the file and the fault
     * @throws IOException         if a file cannot be read
     */
    public static FashionMnist load(Path directory) throws IOException {
        Objects.requireNonNull(directory, "directory");
        for (Split split : Split.values()) {
            for (Path file : List.of(split.images(directory), split.labels(directory))) {
                if (!Files.exists(file)) {
                    throw new NoSuchFileException(file.toString(), null, "no such file; Fashion-MNIST is packaged"
                            + " for Debian and Ubuntu: apt-get install dataset-fashion-mnist");
                }
            }
        }
        return new FashionMnist(loadPart(directory, Split.TRAIN), loadPart(directory, Split.TEST));
    }

    private static Part loadPart(Path directory, Split split) throws IOException {
        IdxFiles.Contents images = IdxFiles.readImages(split.images(directory));
        int rows = images.dimensions()[1];
        int columns = images.dimensions()[2];
        if (rows != IMAGE_SIZE || columns != IMAGE_SIZE) {
            throw new IdxFormatException(images.file(), "expected " + IMAGE_SIZE + "x" + IMAGE_SIZE
                    + " images, found " + rows + "x" + columns + " (rows x columns)");
        }
        // the labels first: they are small, and a mismatch should fail before the pixels are converted
        int[] labels = labels(IdxFiles.readLabels(split.labels(directory)));
        if (labels.length != images.count()) {
            throw new IdxFormatException(split.labels(directory), "holds " + labels.length + " labels, but "
                    + images.file() + " holds " + images.count() + " images");
        }
        return new Part(scaledPixels(images), labels);
    }

    private static int[] labels(IdxFiles.Contents contents) throws IdxFormatException {
        int[] labels = new int[contents.count()];
        for (int i = 0; i < labels.length; i++) {
            int label = contents.unsigned(i);
            if (label >= CLASS_NAMES.size()) {
                throw new IdxFormatException(contents.file(), "label " + label + " at index " + i
                        + " is outside 0.." + (CLASS_NAMES.size() - 1));
            }
            labels[i] = label;
        }
        return labels;
    }

    /** {@code [n, 784]} float32, c order, outside any workspace, scaled through a lookup table in chunks. */
    private static INDArray scaledPixels(IdxFiles.Contents images) {
        byte[] data = images.data();
        INDArray pixels = Nd4j.createUninitializedDetached(DataType.FLOAT, 'c', images.count(), PIXELS);
        FloatBuffer out = pixels.data().asNioFloat();
        float[] chunk = new float[Math.min(data.length, CHUNK_PIXELS)];
        for (int from = 0; from < data.length; from += chunk.length) {
            int length = Math.min(chunk.length, data.length - from);
            for (int i = 0; i < length; i++) {
                chunk[i] = SCALED[data[from + i] & 0xFF];
            }
            out.put(chunk, 0, length);
        }
        return pixels;
    }

    /** The number of training images (60,000 in the full data set). */
    public int trainSize() {
        return train.size();
    }

    /** The number of test images (10,000 in the full data set). */
    public int testSize() {
        return test.size();
    }

    /**
     * A split's images, {@code [n, 1, 28, 28]} float32 (NCHW), in {@code [-1, 1]}, in file order. This is a view of
     * the loaded data, not a copy: writing to it changes what {@link #samples(Split)} draws.
     */
    public INDArray images(Split split) {
        Part part = part(split);
        return part.pixels().reshape('c', part.size(), 1, IMAGE_SIZE, IMAGE_SIZE);
    }

    /** A split's labels, {@code 0..9} (see {@link #CLASS_NAMES}), in file order: a fresh copy. */
    public int[] labels(Split split) {
        return part(split).labels().clone();
    }

    /**
     * Real samples from a split: each call draws {@code batchSize} images uniformly with replacement, index
     * {@code i} being {@code random.nextInt(n)} for {@code i = 0, 1, ...} in turn, and consults nothing else, so a
     * seeded random source gives the same batches again and a restored one continues the same stream.
     *
     * @return a source of {@code [batchSize, 1, 28, 28]} float32 batches in {@code [-1, 1]}, fresh arrays
     */
    public SampleSource samples(Split split) {
        return new Sampler(split, part(split).pixels());
    }

    private Part part(Split split) {
        return switch (Objects.requireNonNull(split, "split")) {
            case TRAIN -> train;
            case TEST -> test;
        };
    }

    @Override
    public String toString() {
        return "FashionMnist[train=" + trainSize() + ", test=" + testSize() + "]";
    }

    private static final class Sampler implements SampleSource {
        private final Split split;
        private final INDArray pixels;
        private final int size;

        Sampler(Split split, INDArray pixels) {
            this.split = split;
            this.pixels = pixels;
            this.size = (int) pixels.size(0);
        }

        @Override
        public INDArray next(int batchSize, Random random) {
            int[] rows = new int[Checks.atLeast("batchSize", batchSize, 1)];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = random.nextInt(size);
            }
            return Nd4j.pullRows(pixels, 1, rows).reshape('c', batchSize, 1, IMAGE_SIZE, IMAGE_SIZE);
        }

        @Override
        public String toString() {
            return "Fashion-MNIST " + split.name().toLowerCase(Locale.ROOT) + " (" + size + " images)";
        }
    }
}
