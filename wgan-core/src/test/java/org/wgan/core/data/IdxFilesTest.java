package org.wgan.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFilesTest {

    @TempDir
    Path directory;

    /** An IDX file's bytes: the magic number, the sizes and the data, as written, however inconsistent. */
    static byte[] idx(int magic, int[] sizes, byte[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
        bytes.putInt(magic);
        for (int size : sizes) {
            bytes.putInt(size);
        }
        bytes.put(data);
        return bytes.array();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(plain);
        }
        return out.toByteArray();
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(directory.resolve(name), bytes);
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    /** Two 2x3 images, 0..5 and 250..255. */
    private static final byte[] TWO_IMAGES = bytes(0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255);

    @Test
    void readsAGzipImagesFilesDimensionsAndBytesExactly() throws IOException {
        Path file = write("images.gz", gzip(idx(0x00000803, new int[] {2, 2, 3}, TWO_IMAGES)));

        IdxFiles.Contents contents = IdxFiles.readImages(file);

        assertThat(contents.file()).isEqualTo(file);
        assertThat(contents.dimensions()).containsExactly(2, 2, 3);
        assertThat(contents.rank()).isEqualTo(3);
        assertThat(contents.count()).isEqualTo(2);
        assertThat(contents.data()).containsExactly(TWO_IMAGES);
    }

    @Test
    void readsAPlainFileLikeAGzipOne() throws IOException {
        byte[] idx = idx(0x00000803, new int[] {2, 2, 3}, TWO_IMAGES);
        Path plain = write("images", idx);
        Path gzipped = write("images.gz", gzip(idx));

        IdxFiles.Contents fromPlain = IdxFiles.readImages(plain);

        assertThat(fromPlain.dimensions()).containsExactly(2, 2, 3);
        assertThat(fromPlain.data()).containsExactly(TWO_IMAGES);
        assertThat(IdxFiles.readImages(gzipped).data()).containsExactly(fromPlain.data());
    }

    @Test
    void bytesAreUnsigned() throws IOException {
        Path file = write("labels.gz", gzip(idx(0x00000801, new int[] {4}, bytes(0, 127, 128, 255))));

        IdxFiles.Contents contents = IdxFiles.readLabels(file);

        assertThat(contents.dimensions()).containsExactly(4);
        assertThat(new int[] {contents.unsigned(0), contents.unsigned(1), contents.unsigned(2), contents.unsigned(3)})
                .containsExactly(0, 127, 128, 255);
    }

    @Test
    void readsAnyRankByItsMagicNumber() throws IOException {
        Path file = write("pairs", idx(0x00000802, new int[] {3, 2}, bytes(1, 2, 3, 4, 5, 6)));

        IdxFiles.Contents contents = IdxFiles.read(file, 2);

        assertThat(contents.dimensions()).containsExactly(3, 2);
        assertThat(contents.data()).containsExactly(bytes(1, 2, 3, 4, 5, 6));
    }

    @Test
    void contentsCompareByValue() throws IOException {
        byte[] idx = idx(0x00000801, new int[] {2}, bytes(7, 8));
        Path file = write("labels", idx);

        assertThat(IdxFiles.readLabels(file)).isEqualTo(IdxFiles.readLabels(file))
                .hasSameHashCodeAs(IdxFiles.readLabels(file))
                .hasToString("IdxFiles.Contents[file=" + file + ", dimensions=[2]]");
    }

    @Test
    void rejectsAMissingFile() {
        Path file = directory.resolve("absent.gz");

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(NoSuchFileException.class)
                .hasMessage(file + ": no such file");
    }

    @Test
    void rejectsADirectory() {
        assertThatThrownBy(() -> IdxFiles.readImages(directory)).isInstanceOf(FileSystemException.class)
                .hasMessage(directory + ": is a directory, not an IDX file");
    }

    @Test
    void rejectsACorruptGzipStream() throws IOException {
        byte[] gzip = gzip(idx(0x00000803, new int[] {2, 2, 3}, TWO_IMAGES));
        // the deflate block header follows the 10-byte gzip header; 0xff there is a reserved block type
        gzip[10] = (byte) 0xff;
        Path file = write("images.gz", gzip);

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": corrupt gzip stream: ");
    }

    @Test
    void rejectsAGzipStreamWithABadChecksum() throws IOException {
        byte[] gzip = gzip(idx(0x00000803, new int[] {2, 2, 3}, TWO_IMAGES));
        // the trailer: CRC-32 of the data, then its length
        gzip[gzip.length - 8] ^= 1;
        Path file = write("images.gz", gzip);

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": corrupt gzip stream: Corrupt GZIP trailer");
    }

    @Test
    void rejectsATruncatedGzipStream() throws IOException {
        byte[] gzip = gzip(idx(0x00000803, new int[] {2, 2, 3}, TWO_IMAGES));
        Path file = write("images.gz", Arrays.copyOf(gzip, gzip.length - 12));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(file + ": gzip stream ends unexpectedly (truncated file?): ");
    }

    @Test
    void rejectsAFileOfAnotherFormatByItsMagicNumber() throws IOException {
        Path file = write("picture.png", bytes(0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": bad magic number: expected 0x00000803, found 0x89504E47 (not an IDX file)");
    }

    @Test
    void rejectsALabelsFileReadAsImages() throws IOException {
        Path file = write("labels.gz", gzip(idx(0x00000801, new int[] {2}, bytes(1, 2))));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": bad magic number: expected 0x00000803 (rank 3), found 0x00000801 (rank 1)");
    }

    @Test
    void rejectsDataOtherThanUnsignedBytes() throws IOException {
        Path file = write("floats.gz", gzip(idx(0x00000D03, new int[] {1, 1, 1}, new byte[4])));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": unsupported data type code 0x0D (float) in magic number 0x00000D03:"
                        + " expected 0x08 (unsigned byte), magic 0x00000803");
    }

    @Test
    void rejectsAnEmptyFile() throws IOException {
        Path file = write("empty", new byte[0]);

        assertThatThrownBy(() -> IdxFiles.readLabels(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": truncated header: expected a 4-byte magic number (0x00000801), found 0 bytes");
    }

    @Test
    void rejectsATruncatedHeader() throws IOException {
        // the magic number and one of three sizes
        Path file = write("images.gz", gzip(Arrays.copyOf(idx(0x00000803, new int[] {2, 2, 3}, new byte[0]), 8)));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": truncated header: expected 3 dimension sizes (12 bytes), found 4 bytes");
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        Path file = write("images.gz", gzip(idx(0x00000803, new int[] {2, 2, 3}, Arrays.copyOf(TWO_IMAGES, 7))));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": truncated data: expected 12 bytes for dimensions [2, 2, 3], found 7");
    }

    @Test
    void rejectsTrailingBytes() throws IOException {
        Path file = write("images", idx(0x00000803, new int[] {2, 2, 3}, Arrays.copyOf(TWO_IMAGES, 15)));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": 3 trailing bytes after the 12 bytes of data for dimensions [2, 2, 3]");
    }

    @Test
    void rejectsADimensionOfZero() throws IOException {
        Path file = write("images.gz", gzip(idx(0x00000803, new int[] {2, 0, 3}, new byte[0])));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": dimension 1 of 3 must be in 1..2147483647, but was 0");
    }

    @Test
    void rejectsADimensionBeyondTheSignedRangeAsItsUnsignedValue() throws IOException {
        Path file = write("labels", idx(0x00000801, new int[] {-1}, new byte[0]));

        assertThatThrownBy(() -> IdxFiles.readLabels(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": dimension 0 of 1 must be in 1..2147483647, but was 4294967295");
    }

    @Test
    void rejectsDimensionsTooLargeForOneArray() throws IOException {
        Path file = write("images", idx(0x00000803, new int[] {65536, 65536, 1}, new byte[0]));

        assertThatThrownBy(() -> IdxFiles.readImages(file)).isInstanceOf(IdxFormatException.class)
                .hasMessage(file + ": dimensions [65536, 65536]... hold more than 2147483639 bytes, too many for"
                        + " one array");
    }

    @Test
    void rejectsARankOutsideTheFormatsRange() {
        Path file = directory.resolve("any");

        assertThatIllegalArgumentException().isThrownBy(() -> IdxFiles.read(file, 0))
                .withMessage("rank must be in 1..255, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> IdxFiles.read(file, 256))
                .withMessage("rank must be in 1..255, but was 256");
    }

    @Test
    void formatExceptionsNameTheirFile() throws IOException {
        Path file = write("empty", new byte[0]);

        assertThatThrownBy(() -> IdxFiles.readLabels(file)).isInstanceOfSatisfying(IdxFormatException.class,
                e -> assertThat(e.file()).isEqualTo(file));
    }
}
