package org.wgan.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.wgan.core.data.IdxFilesTest.gzip;
import static org.wgan.core.data.IdxFilesTest.idx;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.data.FashionMnist.Split;

class FashionMnistTest {

    private static final int PIXELS = 28 * 28;

    /** Training images: all 0, all 255, all 51, and one whose pixel (r, c) is (28 r + c) mod 256. */
    private static final int[] TRAIN_FILL = {0, 255, 51, -1};
    private static final byte[] TRAIN_LABELS = {9, 0, 3, 7};
    /** Test images: all 10, all 20. */
    private static final int[] TEST_FILL = {10, 20};
    private static final byte[] TEST_LABELS = {1, 8};

    @TempDir
    Path directory;

    private static byte[] images(int[] fills, int rows, int columns) {
        byte[] data = new byte[fills.length * rows * columns];
        for (int k = 0; k < fills.length; k++) {
            for (int p = 0; p < rows * columns; p++) {
                data[k * rows * columns + p] = (byte) (fills[k] >= 0 ? fills[k] : p);
            }
        }
        return data;
    }

    private static void writeImages(Path file, int[] fills, int rows, int columns) throws IOException {
        Files.write(file, gzip(idx(0x00000803, new int[] {fills.length, rows, columns}, images(fills, rows, columns))));
    }

    private static void writeLabels(Path file, byte[] labels) throws IOException {
        Files.write(file, gzip(idx(0x00000801, new int[] {labels.length}, labels)));
    }

    @BeforeEach
    void writeATinyDataSet() throws IOException {
        writeImages(directory.resolve("train-images-idx3-ubyte.gz"), TRAIN_FILL, 28, 28);
        writeLabels(directory.resolve("train-labels-idx1-ubyte.gz"), TRAIN_LABELS);
        writeImages(directory.resolve("t10k-images-idx3-ubyte.gz"), TEST_FILL, 28, 28);
        writeLabels(directory.resolve("t10k-labels-idx1-ubyte.gz"), TEST_LABELS);
    }

    @Test
    void scalesPixelsFromZeroTo255OntoMinusOneToOne() throws IOException {
        INDArray images = FashionMnist.load(directory).images(Split.TRAIN);

        assertThat(images.getFloat(0, 0, 5, 7)).isEqualTo(-1f);
        assertThat(images.getFloat(1, 0, 5, 7)).isEqualTo(1f);
        assertThat(images.getFloat(2, 0, 5, 7)).isEqualTo(-0.6f);
        assertThat(images.getFloat(1, 0, 27, 27)).isEqualTo(1f);
    }

    @Test
    void imagesAreNchwFloatInFileOrder() throws IOException {
        FashionMnist fashion = FashionMnist.load(directory);

        INDArray train = fashion.images(Split.TRAIN);
        INDArray test = fashion.images(Split.TEST);

        assertThat(train.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(train.shape()).containsExactly(4, 1, 28, 28);
        assertThat(test.shape()).containsExactly(2, 1, 28, 28);
        // pixel (r, c) of the patterned image is 28 r + c mod 256: row-major, rows first
        assertThat(train.getFloat(3, 0, 1, 2)).isEqualTo((float) (30 / 127.5 - 1));
        assertThat(train.getFloat(3, 0, 9, 4)).isEqualTo((float) (0 / 127.5 - 1)); // 256 mod 256
        assertThat(train.getFloat(3, 0, 27, 27)).isEqualTo((float) (15 / 127.5 - 1)); // 783 mod 256
        assertThat(test.getFloat(0, 0, 0, 0)).isEqualTo((float) (10 / 127.5 - 1));
        assertThat(test.getFloat(1, 0, 14, 14)).isEqualTo((float) (20 / 127.5 - 1));
    }

    @Test
    void sizesAndLabelsAreThoseOfTheFiles() throws IOException {
        FashionMnist fashion = FashionMnist.load(directory);

        assertThat(fashion.trainSize()).isEqualTo(4);
        assertThat(fashion.testSize()).isEqualTo(2);
        assertThat(fashion.labels(Split.TRAIN)).containsExactly(9, 0, 3, 7);
        assertThat(fashion.labels(Split.TEST)).containsExactly(1, 8);
        assertThat(fashion).hasToString("FashionMnist[train=4, test=2]");
    }

    @Test
    void labelsAreACopy() throws IOException {
        FashionMnist fashion = FashionMnist.load(directory);

        fashion.labels(Split.TRAIN)[0] = 5;

        assertThat(fashion.labels(Split.TRAIN)[0]).isEqualTo(9);
    }

    @Test
    void namesTheTenClassesInLabelOrder() {
        assertThat(FashionMnist.CLASS_NAMES).containsExactly("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    }

    @Test
    void isAvailableOnlyWithAllFourFiles() throws IOException {
        assertThat(FashionMnist.isAvailable(directory)).isTrue();

        Files.delete(directory.resolve("t10k-labels-idx1-ubyte.gz"));

        assertThat(FashionMnist.isAvailable(directory)).isFalse();
        assertThat(FashionMnist.isAvailable(directory.resolve("nowhere"))).isFalse();
    }

    @Test
    void rejectsAMissingFileNamingItAndThePackage() throws IOException {
        Path labels = directory.resolve("t10k-labels-idx1-ubyte.gz");
        Files.delete(labels);

        assertThatThrownBy(() -> FashionMnist.load(directory)).isInstanceOf(NoSuchFileException.class)
                .hasMessage(labels + ": no such file; Fashion-MNIST is packaged for Debian and Ubuntu:"
                        + " apt-get install dataset-fashion-mnist");
    }

    @Test
    void rejectsMismatchedImageAndLabelCounts() throws IOException {
        Path images = directory.resolve("t10k-images-idx3-ubyte.gz");
        Path labels = directory.resolve("t10k-labels-idx1-ubyte.gz");
        writeLabels(labels, new byte[] {1, 2, 3});

        assertThatThrownBy(() -> FashionMnist.load(directory)).isInstanceOf(IdxFormatException.class)
                .hasMessage(labels + ": holds 3 labels, but " + images + " holds 2 images");
    }

    @Test
    void rejectsImagesOfAnotherSize() throws IOException {
        Path images = directory.resolve("train-images-idx3-ubyte.gz");
        writeImages(images, TRAIN_FILL, 28, 27);

        assertThatThrownBy(() -> FashionMnist.load(directory)).isInstanceOf(IdxFormatException.class)
                .hasMessage(images + ": expected 28x28 images, found 28x27 (rows x columns)");
    }

    @Test
    void rejectsALabelOutsideZeroToNine() throws IOException {
        Path labels = directory.resolve("train-labels-idx1-ubyte.gz");
        writeLabels(labels, new byte[] {9, 10, 0, 0});

        assertThatThrownBy(() -> FashionMnist.load(directory)).isInstanceOf(IdxFormatException.class)
                .hasMessage(labels + ": label 10 at index 1 is outside 0..9");
    }

    @Test
    void rejectsAMalformedFileWithTheReadersMessage() throws IOException {
        Path labels = directory.resolve("train-labels-idx1-ubyte.gz");
        Files.write(labels, gzip(idx(0x00000803, new int[] {1, 1, 1}, new byte[1])));

        assertThatThrownBy(() -> FashionMnist.load(directory)).isInstanceOf(IdxFormatException.class)
                .hasMessage(labels + ": bad magic number: expected 0x00000801 (rank 1), found 0x00000803 (rank 3)");
    }

    @Test
    void samplesAreBatchesOfImagesInMinusOneToOne() throws IOException {
        SampleSource source = FashionMnist.load(directory).samples(Split.TRAIN);

        INDArray batch = source.next(6, new Random(3));

        assertThat(batch.dataType()).isEqualTo(DataType.FLOAT);
        assertThat(batch.shape()).containsExactly(6, 1, 28, 28);
        assertThat(batch.minNumber().floatValue()).isGreaterThanOrEqualTo(-1f);
        assertThat(batch.maxNumber().floatValue()).isLessThanOrEqualTo(1f);
        assertThat(source).hasToString("Fashion-MNIST train (4 images)");
    }

    @Test
    void samplesDrawIndexIFromTheGivenRandomsIthNextInt() throws IOException {
        FashionMnist fashion = FashionMnist.load(directory);
        INDArray images = fashion.images(Split.TRAIN);
        Random expected = new Random(11);

        INDArray batch = fashion.samples(Split.TRAIN).next(20, new Random(11));

        for (int i = 0; i < 20; i++) {
            int row = expected.nextInt(4);
            assertThat(batch.slice(i)).as("sample %d", i).isEqualTo(images.slice(row));
        }
    }

    @Test
    void samplesAreDeterministicForASeedWhateverNd4jsGlobalRandom() throws IOException {
        SampleSource source = FashionMnist.load(directory).samples(Split.TRAIN);

        Nd4j.getRandom().setSeed(1);
        INDArray first = source.next(8, new Random(5));
        Nd4j.getRandom().setSeed(2);
        INDArray second = source.next(8, new Random(5));

        assertThat(second).isEqualTo(first);
    }

    @Test
    void samplesConsumeExactlyOneNextIntPerImage() throws IOException {
        // a resumed run continues the same stream only if a batch advances the random source by a known amount
        SampleSource source = FashionMnist.load(directory).samples(Split.TRAIN);
        Random used = new Random(17);
        Random reference = new Random(17);

        source.next(7, used);
        for (int i = 0; i < 7; i++) {
            reference.nextInt(4);
        }

        assertThat(used.nextLong()).isEqualTo(reference.nextLong());
    }

    @Test
    void samplesFromTheTestSplitDrawTestImages() throws IOException {
        INDArray batch = FashionMnist.load(directory).samples(Split.TEST).next(10, new Random(2));

        for (int i = 0; i < 10; i++) {
            float value = batch.getFloat(i, 0, 3, 3);
            assertThat(value).isIn((float) (10 / 127.5 - 1), (float) (20 / 127.5 - 1));
        }
    }

    @Test
    void samplesAreFreshArrays() throws IOException {
        FashionMnist fashion = FashionMnist.load(directory);

        fashion.samples(Split.TRAIN).next(5, new Random(1)).assign(42);

        assertThat(fashion.images(Split.TRAIN).maxNumber().floatValue()).isEqualTo(1f);
    }

    @Test
    void samplesRejectABatchSizeBelowOne() throws IOException {
        SampleSource source = FashionMnist.load(directory).samples(Split.TRAIN);

        assertThatIllegalArgumentException().isThrownBy(() -> source.next(0, new Random(1)))
                .withMessage("batchSize must be >= 1, but was 0");
    }

    /** The real data set, where Debian's dataset-fashion-mnist package is installed; skipped elsewhere. */
    @Nested
    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    class Installed {

        private FashionMnist fashion;

        @BeforeAll
        void load() throws IOException {
            assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY),
                    "Fashion-MNIST not installed at " + FashionMnist.DEFAULT_DIRECTORY
                            + ": apt-get install dataset-fashion-mnist");
            long start = System.nanoTime();
            fashion = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY);
            System.out.printf("Fashion-MNIST loaded from %s in %.2f s%n", FashionMnist.DEFAULT_DIRECTORY,
                    (System.nanoTime() - start) / 1e9);
        }

        @Test
        void holdsSixtyThousandTrainingAndTenThousandTestImages() {
            assertThat(fashion.trainSize()).isEqualTo(60_000);
            assertThat(fashion.testSize()).isEqualTo(10_000);
            assertThat(fashion.images(Split.TRAIN).shape()).containsExactly(60_000, 1, 28, 28);
            assertThat(fashion.images(Split.TEST).shape()).containsExactly(10_000, 1, 28, 28);
        }

        @Test
        void holdsSixThousandTrainingAndOneThousandTestImagesPerClass() {
            int[] train = new int[10];
            for (int label : fashion.labels(Split.TRAIN)) {
                train[label]++;
            }
            int[] test = new int[10];
            for (int label : fashion.labels(Split.TEST)) {
                test[label]++;
            }

            assertThat(train).containsOnly(6_000);
            assertThat(test).containsOnly(1_000);
        }

        @Test
        void pixelsSpanMinusOneToOne() {
            for (Split split : Split.values()) {
                INDArray images = fashion.images(split);
                assertThat(images.minNumber().floatValue()).as("%s", split).isEqualTo(-1f);
                assertThat(images.maxNumber().floatValue()).as("%s", split).isEqualTo(1f);
            }
        }

        @Test
        void theFirstTrainingImageIsAnAnkleBoot() {
            // checked on the file with Python's gzip module: label 9, raw pixel sum 76,247
            assertThat(fashion.labels(Split.TRAIN)[0]).isEqualTo(9);
            assertThat(FashionMnist.CLASS_NAMES.get(9)).isEqualTo("Ankle boot");
            double sum = fashion.images(Split.TRAIN).slice(0).castTo(DataType.DOUBLE).sumNumber().doubleValue();
            assertThat(sum).isCloseTo(76_247 / 127.5 - PIXELS, within(1e-3));
        }

        @Test
        void theFirstTestLabelsAreThoseOfTheFile() {
            assertThat(fashion.labels(Split.TEST)).startsWith(9, 2, 1, 1, 6);
        }

        @Test
        void samplesAreTrainingImages() {
            INDArray batch = fashion.samples(Split.TRAIN).next(64, new Random(1));
            Random expected = new Random(1);
            INDArray images = fashion.images(Split.TRAIN);

            assertThat(batch.shape()).containsExactly(64, 1, 28, 28);
            for (int i = 0; i < 64; i++) {
                assertThat(batch.slice(i)).isEqualTo(images.slice(expected.nextInt(60_000)));
            }
        }
    }
}
