package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryFileTest {

    @TempDir
    Path folder;

    private Path file;
    private HistoryFile history;

    @BeforeEach
    void create() throws IOException {
        FakeRun.create(folder, 100);
        file = folder.resolve("history.csv");
        history = new HistoryFile(file);
    }

    @Test
    void readsOnlyWhatWasAppended() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 10));
        HistoryFile.Read first = history.read();
        assertThat(first.restarted()).isFalse();
        assertThat(first.rows()).extracting(Row::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(first.rows().get(0)).isEqualTo(new Row(1, FakeRun.event(0).criticLoss(),
                FakeRun.event(0).generatorLoss(), FakeRun.event(0).wassersteinEstimate(), FakeRun.event(0).penalty(),
                0.02));
        assertThat(history.read().rows()).isEmpty();
        FakeRun.append(folder, FakeRun.rows(11, 12));
        assertThat(history.read().rows()).extracting(Row::step).containsExactly(11L, 12L);
    }

    @Test
    void waitsForTheNewlineOfAPartialLastLine() throws IOException {
        String rows = FakeRun.rows(1, 3);
        int cut = rows.length() - 6;
        FakeRun.append(folder, rows.substring(0, cut));
        assertThat(history.read().rows()).extracting(Row::step).containsExactly(1L, 2L);
        assertThat(history.read().rows()).isEmpty();
        FakeRun.append(folder, rows.substring(cut));
        assertThat(history.read().rows()).extracting(Row::step).containsExactly(3L);
    }

    @Test
    void readsAgainAFileTruncatedOnResume() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 50));
        assertThat(history.read().rows()).hasSize(50);
        // what TrainingHistory.truncateTo(20) does
        Files.writeString(file, Row.HEADER + "\n" + FakeRun.rows(1, 20));
        HistoryFile.Read read = history.read();
        assertThat(read.restarted()).isTrue();
        assertThat(read.rows()).extracting(Row::step).startsWith(1L).endsWith(20L).hasSize(20);
    }

    @Test
    void readsAgainAFileRewrittenAndGrownPastWhereItWas() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 30));
        assertThat(history.read().rows()).hasSize(30);
        // truncated back to step 10, then trained on to 40 between two reads: longer than before, other bytes
        String resumed = Row.HEADER + "\n" + FakeRun.rows(1, 10) + FakeRun.rows(11, 40).replace(",0.02\n",
                ",0.03\n");
        Files.writeString(file, resumed);
        HistoryFile.Read read = history.read();
        assertThat(read.restarted()).isTrue();
        assertThat(read.rows()).hasSize(40);
        assertThat(read.rows().get(39).seconds()).isEqualTo(0.03);
    }

    @Test
    void skipsAMalformedLineAndToleratesAMissingFile() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 2) + "garbage,1\n" + FakeRun.rows(3, 3));
        assertThat(history.read().rows()).extracting(Row::step).containsExactly(1L, 2L, 3L);
        Files.delete(file);
        HistoryFile.Read gone = history.read();
        assertThat(gone.restarted()).isTrue();
        assertThat(gone.rows()).isEmpty();
        assertThat(history.read().restarted()).isFalse();
    }
}
