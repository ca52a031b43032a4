package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.training.TrainingSummary;

class RunModelTest {

    private static final StopHandle NO_STOP = reason -> {
        throw new AssertionError("the dashboard never stops training");
    };

    @TempDir
    Path temp;

    private Path folder;
    private LiveFeed feed;
    private RunModel model;

    @BeforeEach
    void create() throws IOException {
        folder = FakeRun.create(temp.resolve("run"), 100);
        feed = new LiveFeed();
        model = new RunModel(folder, feed);
    }

    private List<Long> steps() {
        List<Long> steps = new ArrayList<>();
        model.historyAfter(0).get("rows").forEach(row -> steps.add(row.get(0).asLong()));
        return steps;
    }

    private void train(long fromStep, long toStep) {
        for (long s = fromStep; s <= toStep; s++) {
            feed.onGeneratorStep(FakeRun.event(s - 1), NO_STOP);
        }
    }

    @Test
    void mergesTheFileAndTheNewerLiveSteps() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 5));
        train(1, 8);
        assertThat(model.refresh()).isTrue();
        assertThat(steps()).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        // the file catches up: nothing repeats, nothing changes
        FakeRun.append(folder, FakeRun.rows(6, 8));
        model.refresh();
        assertThat(steps()).hasSize(8);
        assertThat(model.refresh()).isFalse();
    }

    @Test
    void aTrainerRestartedAtAnEarlierStepDropsTheStepsAfterIt() throws IOException {
        train(1, 20);
        model.refresh();
        long epoch = model.state().get("epoch").asLong();
        train(11, 12);
        model.refresh();
        assertThat(steps()).hasSize(12).endsWith(11L, 12L);
        assertThat(model.state().get("epoch").asLong()).isEqualTo(epoch + 1);
    }

    @Test
    void aRewrittenHistoryStartsANewEpoch() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 30));
        model.refresh();
        long epoch = model.state().get("epoch").asLong();
        Files.writeString(folder.resolve("history.csv"), Row.HEADER + "\n" + FakeRun.rows(1, 10));
        model.refresh();
        assertThat(steps()).hasSize(10);
        assertThat(model.state().get("epoch").asLong()).isGreaterThan(epoch);
    }

    @Test
    void theFeedOverrunStillLeavesTheNewestSteps() throws IOException {
        train(1, LiveFeed.CAPACITY * 3L);
        model.refresh();
        List<Long> steps = steps();
        assertThat(steps).hasSizeLessThanOrEqualTo(LiveFeed.CAPACITY).endsWith(LiveFeed.CAPACITY * 3L);
        assertThat(steps).isSorted();
    }

    @Test
    void statusFollowsTheListener() throws IOException {
        model.refresh();
        assertThat(model.state().get("status").asText()).isEqualTo("idle");
        train(1, 100);
        model.refresh();
        JsonNode state = model.state();
        assertThat(state.get("step").asLong()).isEqualTo(100);
        assertThat(state.get("etaSeconds").isNull()).isTrue();
        feed.onTrainingEnd(new TrainingSummary(100, 500, -1, 1, 1, "step budget", 2.0));
        model.refresh();
        assertThat(model.state().get("status").asText()).isEqualTo("finished");
    }

    @Test
    void aFinishedRunWithoutListenerIsFinished() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 100));
        model.refresh();
        assertThat(model.state().get("status").asText()).isEqualTo("finished");
    }

    @Test
    void withoutListenerARunIsRunningOnlyWhileItsHistoryIsWritten() throws IOException {
        FakeRun.append(folder, FakeRun.rows(1, 40));
        model.refresh();
        assertThat(model.state().get("status").asText()).isEqualTo("running");
        // a run stopped early, opened later: written long ago
        Files.setLastModifiedTime(folder.resolve("history.csv"), java.nio.file.attribute.FileTime.fromMillis(
                System.currentTimeMillis() - 2 * RunModel.RECENT_MILLIS));
        model.refresh();
        assertThat(model.state().get("status").asText()).isEqualTo("idle");
    }

    @Test
    void aGridIsListedOnlyOnceItStopsGrowing() throws IOException {
        Path grid = FakeRun.grid(folder, 10, false);
        byte[] whole = Files.readAllBytes(grid);
        Files.write(grid, java.util.Arrays.copyOf(whole, whole.length / 2));
        model.refresh();
        assertThat(model.samples().get("files")).isEmpty();
        Files.write(grid, whole);
        model.refresh();
        assertThat(model.samples().get("files")).isEmpty();
        model.refresh();
        assertThat(model.samples().get("files")).hasSize(1);
        assertThat(model.state().get("latestSample").asText()).isEqualTo("samples-000010.png");
    }

    @Test
    void aGridWrittenEarlierIsListedAtOnce() throws IOException {
        Path grid = FakeRun.grid(folder, 10, true);
        Files.setLastModifiedTime(grid, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis()
                - 2 * RunModel.SETTLED_MILLIS));
        model.refresh();
        assertThat(model.samples().get("files").get(0).get("name").asText()).isEqualTo("samples-000010-ema.png");
    }

    @Test
    void historyComesInPages() throws IOException {
        train(1, RunModel.HISTORY_PAGE / 4);
        FakeRun.append(folder, FakeRun.rows(1, RunModel.HISTORY_PAGE + 5));
        model.refresh();
        JsonNode first = model.historyAfter(0);
        assertThat(first.get("rows")).hasSize(RunModel.HISTORY_PAGE);
        assertThat(first.get("more").asBoolean()).isTrue();
        JsonNode second = model.historyAfter(RunModel.HISTORY_PAGE);
        assertThat(second.get("rows")).hasSize(5);
        assertThat(second.get("more").asBoolean()).isFalse();
    }
}
