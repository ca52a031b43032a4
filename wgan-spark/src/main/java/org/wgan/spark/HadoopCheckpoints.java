package org.wgan.spark;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointStore;

/**
 * A run's checkpoints on a Hadoop file system ({@code hdfs://}, {@code s3a://}, or {@code file://} through Hadoop's
 * local file system), for a cluster whose workers share no folder. Task 0 writes each checkpoint to a local file
 * with the core's atomic store, then uploads it here under a temporary name and renames it to
 * {@code checkpoint-<step>.zip}, so a reader never sees half of one (HDFS renames atomically; S3A's rename copies,
 * so there a crash can leave a temporary file, which readers ignore). Reading downloads a file to a local temporary
 * one and reads it with {@link Checkpoint#readFrom(Path)}, which verifies every entry.
 *
 * <p>The Hadoop configuration is the default one ({@code core-site.xml} and {@code hdfs-site.xml} on the class path,
 * as {@code spark-submit} sets up from {@code HADOOP_CONF_DIR}).
 */
final class HadoopCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(HadoopCheckpoints.class);

    private final org.apache.hadoop.fs.Path directory;
    private final int keep;

    /**
     * @param directory the folder's URI (created if missing)
     * @param keep      the checkpoints kept: older ones are deleted after each upload
     */
    HadoopCheckpoints(String directory, int keep) {
        this.directory = new org.apache.hadoop.fs.Path(URI.create(directory));
        this.keep = keep;
    }

    private FileSystem fileSystem() throws IOException {
        return directory.getFileSystem(new Configuration());
    }

    /** The URI of the checkpoint at this generator step. */
    String fileFor(long generatorStep) {
        return new org.apache.hadoop.fs.Path(directory, CheckpointStore.fileName(generatorStep)).toUri().toString();
    }

    /**
     * Uploads a checkpoint file written locally as the checkpoint of {@code generatorStep}, then deletes the oldest
     * beyond the number kept.
     */
    void upload(Path local, long generatorStep) throws IOException {
        FileSystem fs = fileSystem();
        fs.mkdirs(directory);
        String name = CheckpointStore.fileName(generatorStep);
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(directory, name);
        org.apache.hadoop.fs.Path temporary = new org.apache.hadoop.fs.Path(directory,
                "." + name + "." + System.nanoTime() + ".tmp");
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), temporary);
        fs.delete(target, false);
        if (!fs.rename(temporary, target)) {
            fs.delete(temporary, false);
            throw new IOException("cannot rename " + temporary + " to " + target);
        }
        List<org.apache.hadoop.fs.Path> files = files(fs);
        for (int i = 0; i < files.size() - keep; i++) {
            fs.delete(files.get(i), false);
        }
    }

    /** The checkpoint at {@code uri} (one of {@link #fileFor}'s), downloaded and verified. */
    Checkpoint read(String uri) throws IOException {
        return read(fileSystem(), new org.apache.hadoop.fs.Path(URI.create(uri)));
    }

    /**
     * The newest checkpoint that reads and verifies, or empty when the folder holds none; newer files that fail are
     * named in a warning.
     *
     * @throws IOException if checkpoint files exist but none can be read (each file's fault is in the message)
     */
    Optional<Checkpoint> latest() throws IOException {
        FileSystem fs = fileSystem();
        List<org.apache.hadoop.fs.Path> files = files(fs);
        List<String> faults = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            try {
                Checkpoint checkpoint = read(fs, files.get(i));
                if (!faults.isEmpty()) {
                    LOG.warn("skipped unreadable newer checkpoints {}; using {}", faults, files.get(i));
                }
                return Optional.of(checkpoint);
            } catch (IOException e) {
                faults.add(files.get(i) + ": " + e.getMessage());
            }
        }
        if (!faults.isEmpty()) {
            throw new IOException("no readable checkpoint in " + directory + ": " + String.join("; ", faults));
        }
        return Optional.empty();
    }

    private static Checkpoint read(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        Path local = Files.createTempFile("wgan-spark-checkpoint", ".zip");
        try {
            fs.copyToLocalFile(false, file, new org.apache.hadoop.fs.Path(local.toUri()), true);
            return Checkpoint.readFrom(local);
        } finally {
            Files.deleteIfExists(local);
        }
    }

    /** The checkpoint files, oldest first (none if the folder does not exist). */
    private List<org.apache.hadoop.fs.Path> files(FileSystem fs) throws IOException {
        if (!fs.exists(directory)) {
            return List.of();
        }
        FileStatus[] entries = fs.listStatus(directory);
        return Arrays.stream(entries).map(FileStatus::getPath).filter(p -> CheckpointStore.stepOf(p.getName()) >= 0)
                .sorted(Comparator.comparingLong(p -> CheckpointStore.stepOf(p.getName()))).toList();
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
