package org.wgan.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class CheckpointStoreTest {

    private static final Checkpoint SAMPLE = SampleCheckpoints.sample();

    @TempDir
    Path folder;

    private static Checkpoint atStep(long generatorStep) {
        return new Checkpoint(generatorStep, SAMPLE.criticUpdates(), SAMPLE.randomState(), SAMPLE.generator(),
                SAMPLE.critic(), SAMPLE.arrays(), SAMPLE.metadata());
    }

    /**
     * Flips one bit in the compressed data of the critic's parameters: one that inflates without an error into other
     * numbers (a reader that trusted {@code ZipFile} loaded them).
     */
    private static void flipAByteOfTheCriticsParameters(Path file) throws IOException {
        ZipLayout.Region data = ZipLayout.dataRegions(file).get("critic/parameters");
        byte[] bytes = Files.readAllBytes(file);
        bytes[data.start() + 64] ^= 0x10;
        Files.write(file, bytes);
    }

    @Test
    void aNewestCheckpointWithAFlippedByteIsReportedAndTheOneBeforeIsUsed() throws IOException {
        CheckpointStore store = CheckpointStore.in(folder);
        store.save(atStep(3));
        Path newest = store.save(atStep(4));
        flipAByteOfTheCriticsParameters(newest);
        Logger logger = (Logger) LoggerFactory.getLogger(CheckpointStore.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try {
            Checkpoint latest = store.latest().orElseThrow();

            assertThat(latest.generatorStep()).isEqualTo(3);
            SampleCheckpoints.assertSameNumbers(latest, atStep(3));
            assertThat(log.list).singleElement().satisfies(event -> assertThat(event.getFormattedMessage())
                    .contains(newest.toString()).contains("entry critic/parameters")
                    .contains(store.fileFor(3).toString()));
        } finally {
            logger.detachAppender(log);
        }

        flipAByteOfTheCriticsParameters(store.fileFor(3));
        assertThatThrownBy(store::latest).isInstanceOf(IOException.class)
                .hasMessageContaining("no readable checkpoint in " + folder)
                .hasMessageContaining(newest.toString()).hasMessageContaining(store.fileFor(3).toString());
    }

    private static List<Path> list(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.toList();
        }
    }

    @Test
    void openingAStoreRemovesTemporaryFilesOfKilledWritesOnly() throws IOException {
        Path checkpoint = folder.resolve("checkpoint-000000000003.zip");
        SAMPLE.writeTo(checkpoint);
        // named as AtomicFiles names a checkpoint's temporary file: "." + the checkpoint's name + "." + digits + ".tmp"
        Path killedWrite = Files.write(folder.resolve(".checkpoint-000000000004.zip.8127341.tmp"), new byte[100]);
        Path otherTemporary = Files.write(folder.resolve(".model.zip.123.tmp"), new byte[1]);
        Path notes = Files.write(folder.resolve(".checkpoint-notes.tmp"), new byte[1]);
        Path copy = Files.write(folder.resolve("checkpoint-000000000002.zip.tmp"), new byte[1]);
        Path written = folder.resolve("checkpoint-000000000005.zip");
        List<Path> duringTheWrite = new ArrayList<>();

        // a store opened while another checkpoint is being written (the bytes reach the temporary file)
        CheckpointFormat.write(written, atStep(5), out -> new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (duringTheWrite.isEmpty()) {
                    CheckpointStore.in(folder);
                    duringTheWrite.addAll(list(folder));
                }
                out.write(b, off, len);
            }
        });

        assertThat(killedWrite).doesNotExist();
        assertThat(duringTheWrite).hasSize(5).filteredOn(p -> p.getFileName().toString()
                .startsWith(".checkpoint-000000000005.zip.")).hasSize(1);
        assertThat(list(folder)).containsExactlyInAnyOrder(checkpoint, written, otherTemporary, notes, copy);
        SampleCheckpoints.assertSameNumbers(Checkpoint.readFrom(written), atStep(5));
    }

    @Test
    void createsAMissingFolderAtOnce() {
        Path missing = folder.resolve("runs/one/checkpoints");

        CheckpointStore store = CheckpointStore.in(missing);

        assertThat(store.directory()).isDirectory();
        assertThat(missing).isEmptyDirectory();
    }

    @Test
    void rejectsAFolderThatIsAFileOrLiesUnderOne() throws IOException {
        Path file = Files.write(folder.resolve("run.txt"), new byte[] {1});

        assertThatIllegalArgumentException().isThrownBy(() -> CheckpointStore.in(file))
                .withMessageStartingWith("checkpoint directory must be a writable folder, but was " + file
                        + " (a file, not a folder)");
        assertThatIllegalArgumentException().isThrownBy(() -> CheckpointStore.in(file.resolve("checkpoints")))
                .withMessageStartingWith("checkpoint directory must be a writable folder, but was "
                        + file.resolve("checkpoints") + " (cannot create it: ")
                .withMessageEndingWith("; pass a folder that this user can create and write in");
        assertThat(file).hasBinaryContent(new byte[] {1});
    }

    @Test
    void rejectsAFolderItCannotWriteIn() throws IOException {
        Path readOnly = Files.createDirectory(folder.resolve("read-only"));
        Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assumeFalse(Files.isWritable(readOnly), "root writes in read-only folders");

            assertThatIllegalArgumentException().isThrownBy(() -> CheckpointStore.in(readOnly))
                    .withMessageStartingWith("checkpoint directory must be a writable folder, but was " + readOnly
                            + " (cannot write a file in it: ");
        } finally {
            Files.setPosixFilePermissions(readOnly, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
