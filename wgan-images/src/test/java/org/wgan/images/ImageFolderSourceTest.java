package org.wgan.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.data.FashionMnist;

/**
 * {@link ImageFolderSource} on folders written here: Fashion-MNIST as PNGs (Debian's package; skipped where it is
 * not installed), a folder of bad and odd files, and small pictures with pixels computed by hand.
 */
class ImageFolderSourceTest {

    @TempDir
    Path dir;

    private static float scaled(int p) {
        return (float) (p / 127.5 - 1);
    }

    private static BufferedImage filled(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static Path write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        assertThat(ImageIO.write(image, format, file.toFile())).as("writer for " + format).isTrue();
        return file;
    }

    @Test
    void fashionMnistWrittenAsPngsReadsBackBitForBitWithItsLabels() throws IOException {
        assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist not installed");
        FashionMnist fashion = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY);
        INDArray images = fashion.images(FashionMnist.Split.TEST);
        int[] labels = fashion.labels(FashionMnist.Split.TEST);
        int n = 120;
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int p = (int) Math.round((images.getDouble(i, 0, y, x) + 1) * 127.5);
                    image.getRaster().setSample(x, y, 0, p);
                }
            }
            String name = FashionMnist.CLASS_NAMES.get(labels[i]).replace('/', '-');
            write(image, "png", dir.resolve(name).resolve(String.format("%05d.png", i)));
        }

        ImageFolderSource source = ImageFolderSource.builder(dir).size(28).labelsFromFolders(true).build();

        assertThat(source.imageCount()).isEqualTo(n);
        assertThat(source.skipped()).isEmpty();
        for (int k = 0; k < n; k++) {
            Path file = source.files().get(k);
            int i = Integer.parseInt(file.getFileName().toString().substring(0, 5));
            assertThat(source.image(k).reshape(784).toFloatVector())
                    .as(file.toString()).containsExactly(images.get(NDArrayIndex.point(i))
                            .reshape(784).toFloatVector());
            assertThat(source.classNames().get(source.labels()[k]))
                    .isEqualTo(FashionMnist.CLASS_NAMES.get(labels[i]).replace('/', '-'));
        }
    }

    @Test
    void batchesDrawRowsAsNextIntThenFlipsAsNextBooleanAndMirrorTheRows() throws IOException {
        // three 4x4 images, pixel (x, y) of image k = 10k + 4y + x, grey
        for (int k = 0; k < 3; k++) {
            BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    image.getRaster().setSample(x, y, 0, 10 * k + 4 * y + x);
                }
            }
            write(image, "png", dir.resolve("img" + k + ".png"));
        }
        ImageFolderSource plain = ImageFolderSource.builder(dir).size(4).build();
        ImageFolderSource flipped = ImageFolderSource.builder(dir).size(4).flips(true).build();

        INDArray batch = plain.next(5, new Random(3));
        Random expected = new Random(3);
        assertThat(batch.shape()).containsExactly(5, 1, 4, 4);
        for (int i = 0; i < 5; i++) {
            int k = expected.nextInt(3);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    assertThat(batch.getFloat(i, 0, y, x)).isEqualTo(scaled(10 * k + 4 * y + x));
                }
            }
        }
        INDArray flippedBatch = flipped.next(6, new Random(4));
        Random draws = new Random(4);
        int[] rows = new int[6];
        Arrays.setAll(rows, i -> draws.nextInt(3));
        int mirrored = 0;
        for (int i = 0; i < 6; i++) {
            boolean flip = draws.nextBoolean();
            mirrored += flip ? 1 : 0;
            for (int x = 0; x < 4; x++) {
                int source = flip ? 3 - x : x;
                assertThat(flippedBatch.getFloat(i, 0, 2, x)).isEqualTo(scaled(10 * rows[i] + 8 + source));
            }
        }
        assertThat(mirrored).isBetween(1, 5);
        assertThat(plain.next(5, new Random(3))).isEqualTo(batch);
    }

    @Test
    void rgbIsThreePlanesAndGreyIsTheRoundedLuma() throws IOException {
        write(filled(8, 8, (200 << 16) | (100 << 8) | 50), "png", dir.resolve("a.png"));

        INDArray rgb = ImageFolderSource.builder(dir).size(8).rgb().build().image(0);
        INDArray grey = ImageFolderSource.builder(dir).size(8).build().image(0);

        assertThat(rgb.shape()).containsExactly(1, 3, 8, 8);
        assertThat(rgb.getFloat(0, 0, 3, 3)).isEqualTo(scaled(200));
        assertThat(rgb.getFloat(0, 1, 3, 3)).isEqualTo(scaled(100));
        assertThat(rgb.getFloat(0, 2, 3, 3)).isEqualTo(scaled(50));
        // 0.299 * 200 + 0.587 * 100 + 0.114 * 50 = 124.2
        assertThat(grey.getFloat(0, 0, 5, 1)).isEqualTo(scaled(124));
    }

    @Test
    void otherShapesAreScaledThenCentreCroppedOrPaddedWithBlack() throws IOException {
        // 64x32: left half red, right half blue; scaled to 32 high it stays 64x32, and the crop keeps x 16..47
        BufferedImage halves = filled(64, 32, 0xff0000);
        for (int y = 0; y < 32; y++) {
            for (int x = 32; x < 64; x++) {
                halves.setRGB(x, y, 0x0000ff);
            }
        }
        write(halves, "png", dir.resolve("halves.png"));

        INDArray cropped = ImageFolderSource.builder(dir).size(32).rgb().build().image(0);
        INDArray padded = ImageFolderSource.builder(dir).size(32).rgb().fit(ImageFolderSource.Fit.PAD).build()
                .image(0);

        assertThat(cropped.getFloat(0, 0, 16, 0)).isEqualTo(1f);
        assertThat(cropped.getFloat(0, 2, 16, 0)).isEqualTo(-1f);
        assertThat(cropped.getFloat(0, 0, 16, 31)).isEqualTo(-1f);
        assertThat(cropped.getFloat(0, 2, 16, 31)).isEqualTo(1f);
        // padded: scaled to 32x16, rows 8..23; black above and below
        assertThat(padded.getFloat(0, 0, 2, 2)).isEqualTo(-1f);
        assertThat(padded.getFloat(0, 2, 29, 29)).isEqualTo(-1f);
        assertThat(padded.getFloat(0, 0, 16, 2)).isEqualTo(1f);
        assertThat(padded.getFloat(0, 2, 16, 29)).isEqualTo(1f);
    }

    @Test
    void badAndOddFilesAreSkippedWithTheirReasonsAndTheRestDecoded() throws IOException {
        write(filled(40, 30, 0x336699), "jpg", dir.resolve("mixed/photo.jpg"));
        write(filled(100, 60, 0x808080), "png", dir.resolve("mixed/wide.png"));
        write(filled(20, 20, 0x102030), "bmp", dir.resolve("mixed/small.bmp"));
        write(filled(16, 16, 0xffffff), "gif", dir.resolve("mixed/white.gif"));
        // 16-bit grey: 0xC000 is 49152 / 65535 of white, 191.25 -> 191
        BufferedImage deep = new BufferedImage(16, 16, BufferedImage.TYPE_USHORT_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                deep.getRaster().setSample(x, y, 0, 0xC000);
            }
        }
        write(deep, "png", dir.resolve("odd/deep.png"));
        Path cmyk = writeCmykJpeg(dir.resolve("odd/cmyk.jpg"));
        Path full = write(filled(64, 64, 0x00ff00), "jpg", dir.resolve("bad/whole.jpg"));
        byte[] jpeg = Files.readAllBytes(full);
        Files.write(dir.resolve("bad/truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
        // a noisy picture cut at 70%: the JPEG reader decodes what there is and warns of the missing end
        BufferedImage noisy = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(3);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noisy.setRGB(x, y, random.nextInt(0xffffff));
            }
        }
        byte[] noisyJpeg = Files.readAllBytes(write(noisy, "jpg", dir.resolve("bad/noisy-whole.jpg")));
        Files.delete(dir.resolve("bad/noisy-whole.jpg"));
        Files.write(dir.resolve("bad/cut.jpg"), Arrays.copyOf(noisyJpeg, noisyJpeg.length * 7 / 10));
        Files.writeString(dir.resolve("bad/notes.png"), "not a picture\n");
        write(filled(1, 1, 0), "png", dir.resolve("bad/dot.png"));
        Files.writeString(dir.resolve("readme.txt"), "ignored: not an image name");
        Files.writeString(dir.resolve(".hidden.png"), "ignored: hidden");

        ImageFolderSource source = ImageFolderSource.builder(dir).size(16).build();

        List<String> skipped = source.skipped().stream().map(s -> dir.relativize(s.file()).toString()).toList();
        assertThat(skipped).containsExactly("bad/cut.jpg", "bad/dot.png", "bad/notes.png", "bad/truncated.jpg");
        assertThat(source.skipped().get(0).reason())
                .isEqualTo("damaged (JPEG reader: Truncated File - Missing EOI marker)");
        assertThat(source.skipped().get(1).reason()).isEqualTo("1x1, smaller than half of the size 16");
        assertThat(source.skipped().get(2).reason()).startsWith("not a PNG, JPEG, BMP or GIF image");
        assertThat(source.skipped().get(3).reason()).startsWith("unreadable (IIOException: ");
        assertThat(source.imageCount()).isEqualTo(7);
        int deepIndex = source.files().indexOf(dir.resolve("odd/deep.png"));
        assertThat(source.image(deepIndex).getFloat(0, 0, 8, 8)).isEqualTo(scaled(191));
        // cyan is (0, 255, 255) in RGB; its luma 0.587 * 255 + 0.114 * 255 = 178.8 (JPEG rounding aside)
        int cmykIndex = source.files().indexOf(cmyk);
        assertThat(cmykIndex).isNotNegative();
        assertThat(source.image(cmykIndex).getFloat(0, 0, 8, 8)).isCloseTo(scaled(179), within(6 / 127.5f));
        INDArray cyan = ImageFolderSource.builder(dir.resolve("odd")).size(16).rgb().build().image(0);
        assertThat(cyan.getFloat(0, 0, 8, 8)).isCloseTo(-1f, within(6 / 127.5f));
        assertThat(cyan.getFloat(0, 1, 8, 8)).isCloseTo(1f, within(6 / 127.5f));
        assertThat(cyan.getFloat(0, 2, 8, 8)).isCloseTo(1f, within(6 / 127.5f));
        assertThat(source.image(source.files().indexOf(dir.resolve("mixed/white.gif"))).minNumber().floatValue())
                .isEqualTo(1f);

        assertThatIllegalArgumentException().isThrownBy(() -> ImageFolderSource.builder(dir).size(16).strict(true)
                .build()).withMessageContaining("4 of 11 image files cannot be used")
                .withMessageContaining("bad/dot.png (1x1, smaller than half of the size 16)")
                .withMessageContaining("strict");
    }

    /**
     * A CMYK JPEG as Adobe's software writes them: pure cyan (C 255, M 0, Y 0, K 0), stored inverted, with an Adobe
     * APP14 marker (transform 0: no colour transform) spliced in after SOI. The JDK's writer makes the 4-band
     * baseline JPEG from a bare raster; without the marker no reader would know the bands are CMYK.
     */
    private static Path writeCmykJpeg(Path file) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                raster.setPixel(x, y, new int[] {255 - 255, 255 - 0, 255 - 0, 255 - 0});
            }
        }
        Files.createDirectories(file.getParent());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
        } finally {
            writer.dispose();
        }
        byte[] jpeg = bytes.toByteArray();
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0};
        byte[] spliced = new byte[jpeg.length + adobe.length];
        System.arraycopy(jpeg, 0, spliced, 0, 2);
        System.arraycopy(adobe, 0, spliced, 2, adobe.length);
        System.arraycopy(jpeg, 2, spliced, 2 + adobe.length, jpeg.length - 2);
        return Files.write(file, spliced);
    }

    @Test
    void foldersWithNothingUsableAreRefusedNamingTheFolder() throws IOException {
        Path missing = dir.resolve("missing");
        assertThatIllegalArgumentException().isThrownBy(() -> ImageFolderSource.builder(missing).build())
                .withMessage("images folder " + missing + " does not exist");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("list.csv"), "1,2\n");
        assertThatIllegalArgumentException().isThrownBy(() -> ImageFolderSource.builder(empty).build())
                .withMessageStartingWith("images folder " + empty + " holds no PNG, JPEG, BMP or GIF file");
        Path junk = Files.createDirectories(dir.resolve("junk"));
        Files.writeString(junk.resolve("a.png"), "text");
        write(filled(3, 3, 0), "png", junk.resolve("b.png"));
        assertThatIllegalArgumentException().isThrownBy(() -> ImageFolderSource.builder(junk).size(32).build())
                .withMessageContaining("none of its 2 image files can be used")
                .withMessageContaining("b.png (3x3, smaller than half of the size 32)");
        Path loose = Files.createDirectories(dir.resolve("loose"));
        write(filled(8, 8, 0), "png", loose.resolve("top.png"));
        assertThatIllegalArgumentException().isThrownBy(() -> ImageFolderSource.builder(loose).size(8)
                .labelsFromFolders(true).build()).withMessageContaining("top.png lies directly in the folder");
        assertThat(ImageFolderSource.builder(loose).size(8).maxCacheBytes(63).build().streamed()).isTrue();
        assertThat(ImageFolderSource.builder(loose).size(8).maxCacheBytes(64).build().streamed()).isFalse();
        assertThatIllegalArgumentException().isThrownBy(() -> ImageFolderSource.builder(loose).size(2))
                .withMessageContaining("size");
    }

    @Test
    void theFingerprintFollowsNamesAndSizes() throws IOException {
        write(filled(8, 8, 0x112233), "png", dir.resolve("a.png"));
        write(filled(8, 8, 0x445566), "png", dir.resolve("b.png"));
        String first = ImageFolderSource.builder(dir).size(8).build().fingerprint();

        assertThat(ImageFolderSource.builder(dir).size(8).rgb().build().fingerprint()).isEqualTo(first);
        assertThat(first).startsWith("2 files, sha256 ").hasSize("2 files, sha256 ".length() + 64);
        Files.move(dir.resolve("b.png"), dir.resolve("c.png"));
        String renamed = ImageFolderSource.builder(dir).size(8).build().fingerprint();
        assertThat(renamed).isNotEqualTo(first);
        write(filled(8, 8, 0x778899), "png", dir.resolve("d.png"));
        assertThat(ImageFolderSource.builder(dir).size(8).build().fingerprint()).startsWith("3 files")
                .isNotEqualTo(renamed);
    }

    /** Ten 4x4 grey images, image k all {@code 20 k}, and a damaged one whose header is intact. */
    private Path streamFolder() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("stream"));
        for (int k = 0; k < 10; k++) {
            BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 4; x++) {
                    image.getRaster().setSample(x, y, 0, 20 * k);
                }
            }
            write(image, "png", folder.resolve("img" + k + ".png"));
        }
        return folder;
    }

    /** Image index of each sample in a batch, from its constant pixel value 20 k. */
    private static int[] indices(INDArray batch) {
        int[] out = new int[(int) batch.size(0)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (int) Math.round((batch.getFloat(i, 0, 1, 1) + 1) * 127.5 / 20);
        }
        return out;
    }

    @Test
    void aStreamedSetTakesEpochsOfItsOwnPermutationAcrossBatchSizes() throws IOException {
        ImageFolderSource source = ImageFolderSource.builder(streamFolder()).size(4).streaming(true).seed(3).build();
        assertThat(source.streamed()).isTrue();

        int[] drawn = new int[30];
        int at = 0;
        for (int batch : new int[] {5, 5, 3, 4, 3, 7, 3}) {
            for (int k : indices(source.next(batch, new Random(99)))) {
                drawn[at++] = k;
            }
        }

        // the files in sorted order are img0..img9: index k is image k
        StreamedImages stream = (StreamedImages) source.checkpointParticipant().orElseThrow();
        int[] expected = new int[30];
        for (int e = 0; e < 3; e++) {
            System.arraycopy(stream.permutation(e), 0, expected, 10 * e, 10);
        }
        assertThat(drawn).containsExactly(expected);
        assertThat(Arrays.stream(drawn, 0, 10).sorted().toArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(stream.permutation(0)).isNotEqualTo(stream.permutation(1));
    }

    @Test
    void aStreamedSetResumesFromItsCheckpointedPositionAndSkipsADamagedBody() throws IOException {
        Path folder = streamFolder();
        byte[] png = Files.readAllBytes(folder.resolve("img9.png"));
        // the signature and IHDR (33 bytes) stay: the header reads, the pixels do not
        Files.write(folder.resolve("img9.png"), Arrays.copyOf(png, 40));
        ImageFolderSource source = ImageFolderSource.builder(folder).size(4).streaming(true).build();
        assertThat(source.imageCount()).isEqualTo(10);
        CheckpointParticipant position = source.checkpointParticipant().orElseThrow();

        source.next(4, new Random(1));
        Map<String, INDArray> saved = Map.of(StreamedImages.POSITION,
                position.checkpointArrays().get(StreamedImages.POSITION).dup());
        int[] first = indices(source.next(6, new Random(1)));
        int[] second = indices(source.next(6, new Random(1)));
        assertThat(position.checkpointMismatches(saved)).isEmpty();
        position.restoreCheckpointArrays(saved);

        assertThat(indices(source.next(6, new Random(1)))).containsExactly(first);
        assertThat(indices(source.next(6, new Random(1)))).containsExactly(second);
        assertThat(Arrays.stream(first).boxed().toList()).doesNotContain(9);
        assertThat(((StreamedImages) position).damaged()).containsOnlyKeys(9);
        assertThat(position.checkpointMismatches(Map.of())).singleElement().asString()
                .contains("no 'imageFolderSource.position'");
    }
}
