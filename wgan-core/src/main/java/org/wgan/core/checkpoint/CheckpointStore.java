package org.wgan.core.checkpoint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.internal.Checks;

/**
 * A folder of checkpoints named by generator step ({@code checkpoint-000000001000.zip}), each written atomically
 * ({@link Checkpoint#writeTo(Path)}), the oldest removed beyond {@link #keepLast(int)} once a newer one is safely
 * on disk. {@link #latest()} reads the newest checkpoint that passes verification (every entry's size, CRC-32 and
 * SHA-256, see {@link Checkpoint#readFrom(Path)}): a newest file that turns out corrupt (a disk fault, a copy cut
 * short) is reported in the log and the one before it is used, never silently replaced by a fresh start.
 *
 * <p>{@link #in(Path)} prepares the folder before any training: it creates it if missing, checks that a
 * checkpoint can be written there (so a wrong path fails at once, not at the first checkpoint), and removes the
 * temporary files of checkpoint writes that a killed process left ({@code .checkpoint-<step>.zip.<digits>.tmp});
 * one that a running writer holds is left alone.
 */
public final class CheckpointStore {

    /** Default number of checkpoints kept. */
    public static final int DEFAULT_KEEP = 3;

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{12})\\.zip");

    private final Path directory;
    private final int keep;

    private CheckpointStore(Path directory, int keep) {
        this.directory = directory;
        this.keep = keep;
    }

    /**
     * A store in {@code directory}, keeping {@value #DEFAULT_KEEP} checkpoints: the folder is created if missing,
     * checked writable, and cleared of temporary files that interrupted checkpoint writes left.
     *
     * @throws IllegalArgumentException naming the path if it is not a folder, cannot be created, or cannot be
     *                                  written in
     * @throws UncheckedIOException     if the folder cannot be listed (a stale temporary file that cannot be
     *                                  removed is named in a warning in the log)
     */
    public static CheckpointStore in(Path directory) {
        Objects.requireNonNull(directory, "directory");
        requireWritableFolder(directory);
        try {
            removeAbandonedTemporaries(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory + " for stale temporary checkpoint files", e);
        }
        return new CheckpointStore(directory, DEFAULT_KEEP);
    }

    private static void requireWritableFolder(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (FileAlreadyExistsException e) {
            throw notWritable(directory, "a file, not a folder", e);
        } catch (IOException e) {
            throw notWritable(directory, "cannot create it: " + describe(e), e);
        }
        try {
            // what a checkpoint write does first: a temporary file beside its target
            Path probe = Files.createTempFile(directory, "." + fileName(0) + ".", ".tmp");
            Files.delete(probe);
        } catch (IOException e) {
            throw notWritable(directory, "cannot write a file in it: " + describe(e), e);
        }
    }

    private static IllegalArgumentException notWritable(Path directory, String reason, IOException cause) {
        return new IllegalArgumentException("checkpoint directory must be a writable folder, but was " + directory
                + " (" + reason + "); pass a folder that this user can create and write in", cause);
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    private static void removeAbandonedTemporaries(Path directory) throws IOException {
        List<Path> temporaries;
        try (Stream<Path> entries = Files.list(directory)) {
            temporaries = entries.filter(p -> {
                String target = AtomicFiles.targetOf(p.getFileName().toString());
                return target != null && NAME.matcher(target).matches();
            }).toList();
        }
        for (Path temporary : temporaries) {
            try {
                if (AtomicFiles.deleteIfAbandoned(temporary)) {
                    LOG.info("removed {}, left by a checkpoint write that did not finish", temporary);
                }
            } catch (IOException e) {
                // it only takes space: no reason to refuse the folder
                LOG.warn("cannot remove {}, which a checkpoint write may have left: {}", temporary, describe(e));
            }
        }
    }

    /**
     * The same folder, keeping the newest {@code count} checkpoints.
     *
     * @throws IllegalArgumentException if count is below 1
     */
    public CheckpointStore keepLast(int count) {
        Checks.atLeast("keepLast", count, 1);
        return new CheckpointStore(directory, count);
    }

    public Path directory() {
        return directory;
    }

    /** The file a checkpoint at this generator step is saved to. */
    public Path fileFor(long generatorStep) {
        return directory.resolve(fileName(generatorStep));
    }

    /**
     * The name of the checkpoint file of this generator step, {@code checkpoint-<12 digits>.zip}: the layout other
     * stores of checkpoint files (wgan-spark's on a Hadoop file system) keep as well.
     */
    public static String fileName(long generatorStep) {
        return String.format("checkpoint-%012d.zip", generatorStep);
    }

    /**
     * Saves a checkpoint atomically, then removes the oldest beyond the number kept.
     *
     * @return the file written
     * @throws IOException if it cannot be written (earlier checkpoints are untouched)
     */
    public Path save(Checkpoint checkpoint) throws IOException {
        Path file = fileFor(checkpoint.generatorStep());
        checkpoint.writeTo(file);
        List<Path> files = files();
        for (int i = 0; i < files.size() - keep; i++) {
            if (!files.get(i).equals(file)) {
                Files.deleteIfExists(files.get(i));
            }
        }
        return file;
    }

    /** The checkpoint files in the folder, oldest first (none if the folder does not exist). */
    public List<Path> files() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOfFile)).toList();
        }
    }

    /**
     * The newest checkpoint that reads and verifies ({@link Checkpoint#readFrom(Path)}), or empty when the folder
     * holds none. Newer files that fail are named, with their faults, in a warning in the log.
     *
     * @throws IOException if checkpoint files exist but none can be read (each file's fault is in the message)
     */
    public Optional<Checkpoint> latest() throws IOException {
        List<Path> files = new ArrayList<>(files());
        List<String> faults = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            try {
                Checkpoint checkpoint = Checkpoint.readFrom(file);
                if (!faults.isEmpty()) {
                    LOG.warn("skipped unreadable newer checkpoints {}; using {}", faults, file);
                }
                return Optional.of(checkpoint);
            } catch (NoSuchFileException e) {
                // removed meanwhile: not a fault
            } catch (IOException e) {
                faults.add(e.getMessage());
            }
        }
        if (!faults.isEmpty()) {
            throw new IOException("no readable checkpoint in " + directory + ": " + String.join("; ", faults));
        }
        return Optional.empty();
    }

    private static long stepOfFile(Path file) {
        return stepOf(file.getFileName().toString());
    }

    /** The generator step a {@link #fileName(long) checkpoint file name} names, or -1 for any other name. */
    public static long stepOf(String fileName) {
        Matcher m = NAME.matcher(fileName);
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public String toString() {
        return "CheckpointStore[" + directory + ", keepLast=" + keep + "]";
    }
}
