package org.wgan.core.checkpoint;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.internal.Checks;

/**
 * Everything a training run needs to continue exactly: made by {@code WganTrainer.checkpoint()}, restored by
 * {@code WganTrainer.restore(...)}. Resuming from it repeats and skips no step: the random state continues the
 * same stream of latent noise, real-sample draws and penalty interpolation weights (for sample sources that draw
 * from the trainer's random source, as every source of this library does).
 *
 * @param generatorStep  generator steps completed
 * @param criticUpdates  critic updates applied
 * @param randomState    the trainer's {@link Random}, serialized (see {@link #random()})
 * @param generator      the generator's parameters, optimizer state and update count
 * @param critic         the critic's
 * @param arrays         the participants' arrays by name ({@link CheckpointParticipant})
 * @param metadata       free-form text (the settings, the time it was written)
 */
public record Checkpoint(long generatorStep, long criticUpdates, byte[] randomState, NetworkSnapshot generator,
        NetworkSnapshot critic, Map<String, INDArray> arrays, Map<String, String> metadata) {

    public Checkpoint {
        Checks.atLeast("generatorStep", generatorStep, 0);
        Checks.atLeast("criticUpdates", criticUpdates, 0);
        Objects.requireNonNull(randomState, "randomState");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(critic, "critic");
        arrays = Map.copyOf(arrays);
        metadata = Map.copyOf(metadata);
    }

    /** A new {@link Random} in the saved state. */
    public Random random() {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(randomState))) {
            return (Random) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new IllegalStateException("checkpoint's random state cannot be read: " + e.getMessage(), e);
        }
    }

    /** The state of a {@link Random}, as {@link #randomState()} holds it. */
    public static byte[] serialize(Random random) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(random);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes this checkpoint to {@code file} atomically: to a temporary file in the same folder, flushed to disk,
     * then renamed over {@code file}. A crash or error midway leaves {@code file} as it was.
     *
     * @throws IOException if writing fails (the temporary file is removed)
     */
    public void writeTo(Path file) throws IOException {
        CheckpointFormat.write(file, this, out -> out);
    }

    /**
     * Reads a checkpoint written by {@link #writeTo(Path)}, verifying every entry first: its size and CRC-32, and
     * the SHA-256 the file lists for it (files of format version 1, which list none, are checked by CRC-32 only).
     *
     * @throws CorruptCheckpointException naming the file, the entry and the fault if a byte differs from those
     *                                    written, an entry is missing, or the file is truncated
     * @throws IOException                naming the file and what is wrong with it (missing, another format)
     */
    public static Checkpoint readFrom(Path file) throws IOException {
        return CheckpointFormat.read(file);
    }

    @Override
    public String toString() {
        return "Checkpoint[generatorStep=" + generatorStep + ", criticUpdates=" + criticUpdates + ", arrays="
                + arrays.keySet() + "]";
    }
}
