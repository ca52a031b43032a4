package org.wgan.core.checkpoint;

import java.io.IOException;
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
 * on disk. {@link #latest()} reads the newest readable one: a newest file that turns out corrupt (a disk fault,
 * a copy cut short) is reported in the log and the one before it is used, never silently replaced by a fresh
 * start.
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

    /** A store in {@code directory} (created on the first save), keeping {@value #DEFAULT_KEEP} checkpoints. */
    public static CheckpointStore in(Path directory) {
        return new CheckpointStore(Objects.requireNonNull(directory, "directory"), DEFAULT_KEEP);
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
        return directory.resolve(String.format("checkpoint-%012d.zip", generatorStep));
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
                    .sorted(Comparator.comparingLong(CheckpointStore::stepOf)).toList();
        }
    }

    /**
     * The newest readable checkpoint, or empty when the folder holds none.
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

    private static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    @Override
    public String toString() {
        return "CheckpointStore[" + directory + ", keepLast=" + keep + "]";
    }
}
