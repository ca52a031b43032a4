package org.wgan.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.wgan.core.internal.Checks;

/**
 * Reads IDX files of unsigned bytes, the format of MNIST and Fashion-MNIST (LeCun et al., "The MNIST database of
 * handwritten digits"), gzip-compressed or plain.
 *
 * <p>Layout, all integers big-endian: a 4-byte magic number {@code 0x0000TTRR} (two zero bytes, the data type
 * code {@code TT}, which must be {@code 0x08} for unsigned bytes, and the rank {@code RR}), then {@code RR}
 * 4-byte dimension sizes, then the product of the sizes in data bytes, row-major, and nothing after them. Labels
 * files have magic {@code 0x00000801} ({@code [n]}), image files {@code 0x00000803} ({@code [n, rows, columns]}).
 * A file that starts with the gzip magic bytes {@code 0x1f 0x8b} is decompressed on the fly; any other file is read
 * as plain IDX. The data is read once, straight into the returned array.
 *
 * <p>Every failure is an {@link IOException} whose message starts with the file's path and says what was wrong:
 * {@link NoSuchFileException} for a missing file, {@link IdxFormatException} for malformed contents (bad gzip
 * stream, bad magic number, unsupported data type, a dimension below 1, truncated data or header, trailing bytes),
 * and other {@code IOException}s for I/O failures (e.g. a directory or an unreadable file).
 */
public final class IdxFiles {

    /** The data type code of unsigned bytes, the only one this reader accepts. */
    public static final int UNSIGNED_BYTE = 0x08;
    /** The magic number of an IDX labels file: unsigned bytes, rank 1. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** The magic number of an IDX images file: unsigned bytes, rank 3. */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** The largest Java array the JVM reliably allocates. */
    private static final long MAX_DATA_BYTES = Integer.MAX_VALUE - 8;
    private static final int BUFFER_BYTES = 1 << 16;

    private IdxFiles() {
    }

    /**
     * An IDX file's contents. The arrays are the reader's own, handed over without a copy (an image file can hold
     * tens of megabytes); equality compares their contents.
     *
     * @param file       the file they were read from
     * @param dimensions the dimension sizes, each {@code >= 1}, e.g. {@code [60000, 28, 28]}
     * @param data       the product of the dimension sizes in bytes, row-major; read each with
     *                   {@link #unsigned(int)} ({@code 255} is stored as the byte {@code -1})
     */
    public record Contents(Path file, int[] dimensions, byte[] data) {

        /**
         * @throws IllegalArgumentException if there are no dimensions, one is below 1, or the data length is not
         *                                  their product
         */
        public Contents {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(dimensions, "dimensions");
            Objects.requireNonNull(data, "data");
            if (dimensions.length == 0) {
                throw new IllegalArgumentException("dimensions must hold at least one size, but was empty");
            }
            long product = 1;
            for (int d : dimensions) {
                if (d < 1) {
                    throw new IllegalArgumentException("every dimension must be >= 1, but dimensions were "
                            + Arrays.toString(dimensions));
                }
                product *= d;
                if (product > MAX_DATA_BYTES) {
                    break;
                }
            }
            if (product != data.length) {
                throw new IllegalArgumentException("data must hold the product of the dimensions "
                        + Arrays.toString(dimensions) + " in bytes, but held " + data.length);
            }
        }

        /** The rank: the number of dimensions. */
        public int rank() {
            return dimensions.length;
        }

        /** The first dimension: the number of items (labels or images). */
        public int count() {
            return dimensions[0];
        }

        /** The byte at {@code index} as an unsigned value in {@code 0..255}. */
        public int unsigned(int index) {
            return Byte.toUnsignedInt(data[index]);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Contents that && file.equals(that.file)
                    && Arrays.equals(dimensions, that.dimensions) && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * file.hashCode() + Arrays.hashCode(dimensions)) + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "IdxFiles.Contents[file=" + file + ", dimensions=" + Arrays.toString(dimensions) + "]";
        }
    }

    /**
     * Reads an IDX labels file: magic {@code 0x00000801}, data {@code [n]}.
     *
     * @throws NoSuchFileException  if the file does not exist
     * @throws IdxFormatException   if its contents are malformed (see the class comment)
     * @throws IOException          if it cannot be read
     */
    public static Contents readLabels(Path file) throws IOException {
        return read(file, 1);
    }

    /**
     * Reads an IDX images file: magic {@code 0x00000803}, data {@code [n, rows, columns]}.
     *
     * @throws NoSuchFileException  if the file does not exist
     * @throws IdxFormatException   if its contents are malformed (see the class comment)
     * @throws IOException          if it cannot be read
     */
    public static Contents readImages(Path file) throws IOException {
        return read(file, 3);
    }

    /**
     * Reads an IDX file of unsigned bytes of the given rank: magic {@code 0x00000800 | rank}.
     *
     * @param rank the expected number of dimensions, {@code 1..255}
     * @throws IllegalArgumentException if rank is outside 1..255
     * @throws NoSuchFileException      if the file does not exist
     * @throws IdxFormatException       if its contents are malformed (see the class comment)
     * @throws IOException              if it cannot be read
     */
    public static Contents read(Path file, int rank) throws IOException {
        Objects.requireNonNull(file, "file");
        if (rank < 1 || rank > 0xFF) {
            throw Checks.invalid("rank", "in 1..255", rank);
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a directory, not an IDX file");
        }
        try (InputStream in = open(file)) {
            return read(file, rank, in);
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip stream: " + e.getMessage(), e);
        } catch (EOFException e) {
            // the header and data are read with readNBytes, which never throws EOFException: this is the inflater
            throw new IdxFormatException(file, "gzip stream ends unexpectedly (truncated file?): " + e.getMessage(), e);
        }
    }

    /** The file's bytes, decompressed if it starts with the gzip magic bytes. */
    private static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER_BYTES);
        try {
            raw.mark(2);
            int first = raw.read();
            int second = raw.read();
            raw.reset();
            if (first == 0x1f && second == 0x8b) {
                return new GZIPInputStream(raw, BUFFER_BYTES);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    private static Contents read(Path file, int rank, InputStream in) throws IOException {
        int expectedMagic = (UNSIGNED_BYTE << 8) | rank;
        byte[] magicBytes = new byte[4];
        int got = in.readNBytes(magicBytes, 0, 4);
        if (got < 4) {
            throw new IdxFormatException(file, "truncated header: expected a 4-byte magic number (0x"
                    + hex(expectedMagic) + "), found " + got + " bytes");
        }
        int magic = ByteBuffer.wrap(magicBytes).getInt();
        checkMagic(file, magic, expectedMagic);

        byte[] sizeBytes = new byte[4 * rank];
        got = in.readNBytes(sizeBytes, 0, sizeBytes.length);
        if (got < sizeBytes.length) {
            throw new IdxFormatException(file, "truncated header: expected " + rank + " dimension sizes ("
                    + sizeBytes.length + " bytes), found " + got + " bytes");
        }
        ByteBuffer sizes = ByteBuffer.wrap(sizeBytes);
        int[] dimensions = new int[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            int size = sizes.getInt();
            if (size < 1) {
                // sizes are unsigned 32-bit in IDX; above 2^31 - 1 they read as negative ints
                throw new IdxFormatException(file, "dimension " + i + " of " + rank + " must be in 1.."
                        + Integer.MAX_VALUE + ", but was " + Integer.toUnsignedString(size));
            }
            dimensions[i] = size;
            length *= size;
            if (length > MAX_DATA_BYTES) {
                throw new IdxFormatException(file, "dimensions " + Arrays.toString(Arrays.copyOf(dimensions, i + 1))
                        + (i + 1 < rank ? "..." : "") + " hold more than " + MAX_DATA_BYTES
                        + " bytes, too many for one array");
            }
        }

        byte[] data = new byte[(int) length];
        got = in.readNBytes(data, 0, data.length);
        if (got < data.length) {
            throw new IdxFormatException(file, "truncated data: expected " + data.length + " bytes for dimensions "
                    + Arrays.toString(dimensions) + ", found " + got);
        }
        long trailing = in.transferTo(OutputStream.nullOutputStream());
        if (trailing > 0) {
            throw new IdxFormatException(file, trailing + " trailing bytes after the " + data.length
                    + " bytes of data for dimensions " + Arrays.toString(dimensions));
        }
        return new Contents(file, dimensions, data);
    }

    private static void checkMagic(Path file, int magic, int expectedMagic) throws IdxFormatException {
        if (magic == expectedMagic) {
            return;
        }
        if ((magic >>> 16) != 0) {
            throw new IdxFormatException(file, "bad magic number: expected 0x" + hex(expectedMagic) + ", found 0x"
                    + hex(magic) + " (not an IDX file)");
        }
        int type = (magic >>> 8) & 0xFF;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(file, "unsupported data type code 0x" + String.format("%02X", type) + " ("
                    + typeName(type) + ") in magic number 0x" + hex(magic) + ": expected 0x08 (unsigned byte), magic 0x"
                    + hex(expectedMagic));
        }
        throw new IdxFormatException(file, "bad magic number: expected 0x" + hex(expectedMagic) + " (rank "
                + (expectedMagic & 0xFF) + "), found 0x" + hex(magic) + " (rank " + (magic & 0xFF) + ")");
    }

    private static String hex(int value) {
        return String.format("%08X", value);
    }

    private static String typeName(int type) {
        return switch (type) {
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> "not an IDX type";
        };
    }
}
