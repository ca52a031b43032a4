package org.wgan.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
}
