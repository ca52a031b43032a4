package org.wgan.core.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checkpoint file, format version {@value #VERSION}: a zip archive of
 * <ul>
 * <li>{@value #MANIFEST}: format, version, counters, array names and metadata, as a properties file;
 * <li>{@value #RANDOM}: the trainer's serialized {@link java.util.Random};
 * <li>one entry per array ({@code generator/parameters}, {@code generator/optimizerState}, {@code critic/...},
 *     {@code arrays/<i>} for the manifest's {@code array.<i>}): a magic number, the data type, the shape and the
 *     elements in C order, big-endian;
 * <li>{@value #DIGESTS}, written last: the SHA-256 of every other entry, one {@code <hex>  <name>} line each, as
 *     {@code sha256sum} writes them (an unzipped checkpoint can be checked with {@code sha256sum -c}).
 * </ul>
 *
 * <p>Reading verifies every entry before it interprets one. {@link ZipFile} alone does not: it inflates a flipped
 * byte into other numbers without an error (DESIGN.md section 7), so each entry is read in full and its size and
 * CRC-32 compared with the archive's central directory; then the entries must be exactly those {@value #DIGESTS}
 * lists, each with its SHA-256 (which catches an entry rewritten with a CRC-32 to match). Any mismatch, and an
 * archive that cannot be opened (a truncated file has no central directory), is a
 * {@link CorruptCheckpointException} naming the file, the entry and the fault. Version 1 files (written before
 * {@value #DIGESTS} existed) still load, verified by their CRC-32s; a version 2 file without the list is corrupt.
 */
final class CheckpointFormat {

    static final String FORMAT = "wgan-checkpoint";
    static final int VERSION = 2;
    /** The first version whose files must hold {@link #DIGESTS}. */
    private static final int FIRST_VERSION_WITH_DIGESTS = 2;
    static final String MANIFEST = "checkpoint.properties";
    static final String DIGESTS = "SHA256SUMS";
    private static final String RANDOM = "random.ser";
    private static final int ARRAY_MAGIC = 0x57474e41; // "WGNA"
    private static final Pattern DIGEST_LINE = Pattern.compile("([0-9a-f]{64})  (.+)");

    private CheckpointFormat() {
    }

    static void write(Path file, Checkpoint checkpoint, UnaryOperator<OutputStream> wrap) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            StringBuilder digests = new StringBuilder();
            writeEntries(zip, digests, checkpoint);
            // last, so that a file holding it was written to the end
            putEntry(zip, DIGESTS, digests.toString().getBytes(StandardCharsets.UTF_8));
            zip.finish();
        }, wrap);
    }

    private static void writeEntries(ZipOutputStream zip, StringBuilder digests, Checkpoint checkpoint)
            throws IOException {
        Properties manifest = new Properties();
        manifest.setProperty("format", FORMAT);
        manifest.setProperty("version", Integer.toString(VERSION));
        manifest.setProperty("generatorStep", Long.toString(checkpoint.generatorStep()));
        manifest.setProperty("criticUpdates", Long.toString(checkpoint.criticUpdates()));
        manifest.setProperty("generator.updateCount", Long.toString(checkpoint.generator().updateCount()));
        manifest.setProperty("critic.updateCount", Long.toString(checkpoint.critic().updateCount()));
        List<String> names = new ArrayList<>(new TreeMap<>(checkpoint.arrays()).keySet());
        manifest.setProperty("arrays", Integer.toString(names.size()));
        for (int i = 0; i < names.size(); i++) {
            manifest.setProperty("array." + i, names.get(i));
        }
        checkpoint.metadata().forEach((key, value) -> manifest.setProperty("metadata." + key, value));
        StringWriter text = new StringWriter();
        manifest.store(text, "wgan checkpoint");
        putListedEntry(zip, digests, MANIFEST, text.toString().getBytes(StandardCharsets.UTF_8));
        putListedEntry(zip, digests, RANDOM, checkpoint.randomState());
        putArray(zip, digests, "generator/parameters", checkpoint.generator().parameters());
        putArray(zip, digests, "generator/optimizerState", checkpoint.generator().optimizerState());
        putArray(zip, digests, "critic/parameters", checkpoint.critic().parameters());
        putArray(zip, digests, "critic/optimizerState", checkpoint.critic().optimizerState());
        for (int i = 0; i < names.size(); i++) {
            putArray(zip, digests, "arrays/" + i, checkpoint.arrays().get(names.get(i)));
        }
    }

    private static void putArray(ZipOutputStream zip, StringBuilder digests, String name, INDArray array)
            throws IOException {
        putListedEntry(zip, digests, name, arrayBytes(name, array));
    }

    /** Writes an entry and appends its line to the {@value #DIGESTS} list. */
    private static void putListedEntry(ZipOutputStream zip, StringBuilder digests, String name, byte[] bytes)
            throws IOException {
        putEntry(zip, name, bytes);
        digests.append(sha256(bytes)).append("  ").append(name).append('\n');
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] arrayBytes(String name, INDArray array) throws IOException {
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IOException("checkpoint array " + name + " is " + type + "; only FLOAT and DOUBLE are saved");
        }
        long[] shape = array.isEmpty() ? new long[] {0} : array.shape();
        long length = array.isEmpty() ? 0 : array.length();
        int width = type == DataType.FLOAT ? Float.BYTES : Double.BYTES;
        int header = Integer.BYTES + 1 + Integer.BYTES + shape.length * Long.BYTES;
        ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(header + length * width));
        buffer.putInt(ARRAY_MAGIC);
        buffer.put((byte) (type == DataType.FLOAT ? 0 : 1));
        buffer.putInt(shape.length);
        for (long size : shape) {
            buffer.putLong(size);
        }
        if (length > 0) {
            INDArray flat = array.dup('c').reshape(length);
            if (type == DataType.FLOAT) {
                buffer.asFloatBuffer().put(flat.toFloatVector());
            } else {
                buffer.asDoubleBuffer().put(flat.toDoubleVector());
            }
        }
        return buffer.array();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file does not exist");
        }
        Map<String, byte[]> entries = verifiedEntries(file);
        Properties manifest = new Properties();
        manifest.load(new StringReader(new String(entry(entries, file, MANIFEST), StandardCharsets.UTF_8)));
        String format = manifest.getProperty("format");
        if (!FORMAT.equals(format)) {
            throw new IOException("checkpoint " + file + " is not a wgan checkpoint (format '" + format + "')");
        }
        int version = (int) number(manifest, file, "version");
        if (version < 1 || version > VERSION) {
            throw new IOException("checkpoint " + file + " has format version " + version + "; this library"
                    + " reads versions 1 to " + VERSION);
        }
        if (version >= FIRST_VERSION_WITH_DIGESTS && !entries.containsKey(DIGESTS)) {
            throw new CorruptCheckpointException(file, "format version " + version + " has no entry " + DIGESTS
                    + ", which lists every entry's SHA-256", null);
        }
        NetworkSnapshot generator = new NetworkSnapshot(readArray(entries, file, "generator/parameters"),
                readArray(entries, file, "generator/optimizerState"), number(manifest, file, "generator.updateCount"));
        NetworkSnapshot critic = new NetworkSnapshot(readArray(entries, file, "critic/parameters"),
                readArray(entries, file, "critic/optimizerState"), number(manifest, file, "critic.updateCount"));
        int count = (int) number(manifest, file, "arrays");
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            String name = manifest.getProperty("array." + i);
            if (name == null) {
                throw new IOException("checkpoint " + file + " lists " + count + " arrays but names no array." + i);
            }
            arrays.put(name, readArray(entries, file, "arrays/" + i));
        }
        Map<String, String> metadata = new TreeMap<>();
        for (String key : manifest.stringPropertyNames()) {
            if (key.startsWith("metadata.")) {
                metadata.put(key.substring("metadata.".length()), manifest.getProperty(key));
            }
        }
        return new Checkpoint(number(manifest, file, "generatorStep"), number(manifest, file, "criticUpdates"),
                entry(entries, file, RANDOM), generator, critic, arrays, metadata);
    }

    /**
     * Every entry's bytes, each checked against the size and CRC-32 of the central directory, and, when the file
     * holds {@value #DIGESTS}, the entries checked to be exactly those it lists, with their SHA-256.
     *
     * @throws CorruptCheckpointException naming the entry and the fault
     */
    private static Map<String, byte[]> verifiedEntries(Path file) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry entry : Collections.list(zip.entries())) {
                String name = entry.getName();
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                } catch (IOException e) {
                    throw new CorruptCheckpointException(file, "entry " + name + " cannot be inflated: "
                            + describe(e), e);
                }
                if (bytes.length != entry.getSize()) {
                    throw new CorruptCheckpointException(file, "entry " + name + " holds " + bytes.length
                            + " bytes, but the archive lists " + entry.getSize(), null);
                }
                CRC32 crc = new CRC32();
                crc.update(bytes);
                if (crc.getValue() != entry.getCrc()) {
                    throw new CorruptCheckpointException(file, String.format("entry %s has CRC-32 %08x, but the"
                            + " archive lists %08x", name, crc.getValue(), entry.getCrc()), null);
                }
                if (entries.put(name, bytes) != null) {
                    throw new CorruptCheckpointException(file, "entry " + name + " appears twice", null);
                }
            }
        } catch (ZipException | EOFException | IllegalArgumentException e) {
            // ZipFile answers an entry name that is not valid UTF-8 with an IllegalArgumentException, an end record
            // pointing past the end of the file with a bare EOFException
            throw new CorruptCheckpointException(file, describe(e), e);
        }
        if (entries.containsKey(DIGESTS)) {
            verifyDigests(file, entries);
        }
        return entries;
    }

    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static void verifyDigests(Path file, Map<String, byte[]> entries) throws CorruptCheckpointException {
        Map<String, String> listed = new TreeMap<>();
        for (String line : new String(entries.get(DIGESTS), StandardCharsets.UTF_8).split("\n")) {
            Matcher m = DIGEST_LINE.matcher(line);
            if (!m.matches() || listed.put(m.group(2), m.group(1)) != null) {
                throw new CorruptCheckpointException(file, "entry " + DIGESTS + " holds a malformed or repeated"
                        + " line '" + line + "'", null);
            }
        }
        TreeSet<String> present = new TreeSet<>(entries.keySet());
        present.remove(DIGESTS);
        if (!present.equals(listed.keySet())) {
            throw new CorruptCheckpointException(file, "the archive holds the entries " + present + ", but entry "
                    + DIGESTS + " lists " + listed.keySet(), null);
        }
        for (Map.Entry<String, String> digest : listed.entrySet()) {
            String actual = sha256(entries.get(digest.getKey()));
            if (!actual.equals(digest.getValue())) {
                throw new CorruptCheckpointException(file, "entry " + digest.getKey() + " has SHA-256 " + actual
                        + ", but entry " + DIGESTS + " lists " + digest.getValue(), null);
            }
        }
    }

    private static long number(Properties manifest, Path file, String key) throws IOException {
        String value = manifest.getProperty(key);
        try {
            long number = Long.parseLong(value);
            if (number < 0) {
                throw new NumberFormatException("negative");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new IOException("checkpoint " + file + " has no valid " + key + " (found '" + value + "')", e);
        }
    }

    /** An entry's bytes, taken out of {@code entries} (each is parsed once; its bytes are garbage afterwards). */
    private static byte[] entry(Map<String, byte[]> entries, Path file, String name) throws IOException {
        byte[] bytes = entries.remove(name);
        if (bytes == null) {
            throw new IOException("checkpoint " + file + " has no entry " + name);
        }
        return bytes;
    }

    private static INDArray readArray(Map<String, byte[]> entries, Path file, String name) throws IOException {
        byte[] bytes = entry(entries, file, name);
        try {
            return parseArray(bytes);
        } catch (EOFException | ArithmeticException e) {
            throw new IOException("checkpoint " + file + ": array " + name + " is truncated or malformed", e);
        } catch (IOException e) {
            throw new IOException("checkpoint " + file + ": array " + name + " is malformed: " + e.getMessage(), e);
        }
    }

    /** One array entry; a malformed one throws an IOException saying what is wrong. */
    private static INDArray parseArray(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int magic = in.readInt();
        if (magic != ARRAY_MAGIC) {
            throw new IOException(String.format("bad magic 0x%08x", magic));
        }
        int typeCode = in.readByte();
        if (typeCode != 0 && typeCode != 1) {
            throw new IOException("unknown data type code " + typeCode);
        }
        DataType type = typeCode == 0 ? DataType.FLOAT : DataType.DOUBLE;
        int rank = in.readInt();
        if (rank < 0 || rank > 32) {
            throw new IOException("rank " + rank);
        }
        long[] shape = new long[rank];
        long length = 1;
        for (int i = 0; i < rank; i++) {
            shape[i] = in.readLong();
            if (shape[i] < 0) {
                throw new IOException("negative dimension " + shape[i]);
            }
            length = Math.multiplyExact(length, shape[i]);
        }
        int width = type == DataType.FLOAT ? Float.BYTES : Double.BYTES;
        int header = Integer.BYTES + 1 + Integer.BYTES + rank * Long.BYTES;
        long expected = header + length * width;
        if (bytes.length != expected) {
            throw new IOException("expected " + expected + " bytes for shape " + Arrays.toString(shape)
                    + ", found " + bytes.length);
        }
        if (length == 0) {
            return Nd4j.empty(type);
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, header, bytes.length - header);
        if (type == DataType.FLOAT) {
            float[] values = new float[Math.toIntExact(length)];
            data.asFloatBuffer().get(values);
            return Nd4j.createFromArray(values).reshape('c', shape);
        }
        double[] values = new double[Math.toIntExact(length)];
        data.asDoubleBuffer().get(values);
        return Nd4j.createFromArray(values).reshape('c', shape);
    }
}
