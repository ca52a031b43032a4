package org.wgan.core.checkpoint;

import java.io.DataInputStream;
import java.io.DataOutputStream;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The checkpoint file: a zip archive (its CRC-32 per entry catches corrupt bytes; a truncated archive has no
 * central directory and fails to open) holding {@value #MANIFEST} (format, version, counters, array names,
 * metadata), the serialized random state and one entry per array: a magic number, the data type, the shape and
 * the elements in C order, big-endian.
 */
final class CheckpointFormat {

    static final String FORMAT = "wgan-checkpoint";
    static final int VERSION = 1;
    static final String MANIFEST = "checkpoint.properties";
    private static final String RANDOM = "random.ser";
    private static final int ARRAY_MAGIC = 0x57474e41; // "WGNA"

    private CheckpointFormat() {
    }

    static void write(Path file, Checkpoint checkpoint, UnaryOperator<OutputStream> wrap) throws IOException {
        AtomicFiles.write(file, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            writeEntries(zip, checkpoint);
            zip.finish();
        }, wrap);
    }

    private static void writeEntries(ZipOutputStream zip, Checkpoint checkpoint) throws IOException {
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
        putEntry(zip, MANIFEST, text.toString().getBytes(StandardCharsets.UTF_8));
        putEntry(zip, RANDOM, checkpoint.randomState());
        writeArray(zip, "generator/parameters", checkpoint.generator().parameters());
        writeArray(zip, "generator/optimizerState", checkpoint.generator().optimizerState());
        writeArray(zip, "critic/parameters", checkpoint.critic().parameters());
        writeArray(zip, "critic/optimizerState", checkpoint.critic().optimizerState());
        for (int i = 0; i < names.size(); i++) {
            writeArray(zip, "arrays/" + i, checkpoint.arrays().get(names.get(i)));
        }
    }

    private static void putEntry(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static void writeArray(ZipOutputStream zip, String name, INDArray array) throws IOException {
        DataType type = array.dataType();
        if (type != DataType.FLOAT && type != DataType.DOUBLE) {
            throw new IOException("checkpoint array " + name + " is " + type + "; only FLOAT and DOUBLE are saved");
        }
        zip.putNextEntry(new ZipEntry(name));
        DataOutputStream out = new DataOutputStream(zip);
        out.writeInt(ARRAY_MAGIC);
        out.writeByte(type == DataType.FLOAT ? 0 : 1);
        long[] shape = array.isEmpty() ? new long[] {0} : array.shape();
        out.writeInt(shape.length);
        for (long size : shape) {
            out.writeLong(size);
        }
        long length = array.isEmpty() ? 0 : array.length();
        if (length > 0) {
            INDArray flat = array.dup('c').reshape(length);
            if (type == DataType.FLOAT) {
                float[] values = flat.toFloatVector();
                ByteBuffer buffer = ByteBuffer.allocate(values.length * Float.BYTES);
                buffer.asFloatBuffer().put(values);
                out.write(buffer.array());
            } else {
                double[] values = flat.toDoubleVector();
                ByteBuffer buffer = ByteBuffer.allocate(values.length * Double.BYTES);
                buffer.asDoubleBuffer().put(values);
                out.write(buffer.array());
            }
        }
        out.flush();
        zip.closeEntry();
    }

    static Checkpoint read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "checkpoint file does not exist");
        }
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Properties manifest = new Properties();
            manifest.load(new StringReader(new String(entry(zip, file, MANIFEST), StandardCharsets.UTF_8)));
            String format = manifest.getProperty("format");
            if (!FORMAT.equals(format)) {
                throw new IOException("checkpoint " + file + " is not a wgan checkpoint (format '" + format + "')");
            }
            int version = (int) number(manifest, file, "version");
            if (version != VERSION) {
                throw new IOException("checkpoint " + file + " has format version " + version + "; this library"
                        + " reads version " + VERSION);
            }
            NetworkSnapshot generator = new NetworkSnapshot(readArray(zip, file, "generator/parameters"),
                    readArray(zip, file, "generator/optimizerState"), number(manifest, file, "generator.updateCount"));
            NetworkSnapshot critic = new NetworkSnapshot(readArray(zip, file, "critic/parameters"),
                    readArray(zip, file, "critic/optimizerState"), number(manifest, file, "critic.updateCount"));
            int count = (int) number(manifest, file, "arrays");
            Map<String, INDArray> arrays = new LinkedHashMap<>();
            for (int i = 0; i < count; i++) {
                String name = manifest.getProperty("array." + i);
                if (name == null) {
                    throw new IOException("checkpoint " + file + " lists " + count + " arrays but names no array." + i);
                }
                arrays.put(name, readArray(zip, file, "arrays/" + i));
            }
            Map<String, String> metadata = new TreeMap<>();
            for (String key : manifest.stringPropertyNames()) {
                if (key.startsWith("metadata.")) {
                    metadata.put(key.substring("metadata.".length()), manifest.getProperty(key));
                }
            }
            return new Checkpoint(number(manifest, file, "generatorStep"), number(manifest, file, "criticUpdates"),
                    entry(zip, file, RANDOM), generator, critic, arrays, metadata);
        } catch (ZipException e) {
            throw new IOException("checkpoint " + file + " is corrupt or truncated: " + e.getMessage(), e);
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

    private static byte[] entry(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry entry = zip.getEntry(name);
        if (entry == null) {
            throw new IOException("checkpoint " + file + " has no entry " + name);
        }
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        } catch (ZipException e) {
            throw new IOException("checkpoint " + file + ": entry " + name + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static INDArray readArray(ZipFile zip, Path file, String name) throws IOException {
        byte[] bytes = entry(zip, file, name);
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
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
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
            throw new IOException("expected " + expected + " bytes for shape " + java.util.Arrays.toString(shape)
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
