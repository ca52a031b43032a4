package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.core.listener.GeneratorStepEvent;

class TrainingHistoryTest {

    @TempDir
    Path folder;

    @Test
    void runningMedianTakesTheMedianOfTheLastWindowValues() {
        // windows: [5], [5,1], [5,1,4], [1,4,2], [4,2,8]
        assertThat(TrainingHistory.runningMedian(new double[] {5, 1, 4, 2, 8}, 3))
                .containsExactly(5, 3, 4, 2, 4);
        assertThatThrownBy(() -> TrainingHistory.runningMedian(new double[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("window must be >= 1, but was 0");
    }

    @Test
    void resumingDropsTheRowsAfterTheCheckpointAndKeepsTheRest() throws IOException {
        Path file = folder.resolve("history.csv");
        TrainingHistory first = new TrainingHistory(file);
        first.truncateTo(0);
        for (int step = 0; step < 5; step++) {
            first.onGeneratorStep(new GeneratorStepEvent(step, 5, -step, step, step, 0.5, 0.1), null);
        }
        first.flush();

        TrainingHistory resumed = new TrainingHistory(file);
        resumed.truncateTo(3);

        assertThat(resumed.rows()).extracting(TrainingHistory.Row::step).containsExactly(1L, 2L, 3L);
        assertThat(Files.readAllLines(file)).containsExactly(TrainingHistory.HEADER,
                "1,0.0,0.0,0.0,0.5,0.1", "2,-1.0,1.0,1.0,0.5,0.1", "3,-2.0,2.0,2.0,0.5,0.1");
    }

    @Test
    void aMalformedRowNamesTheFileAndLine() throws IOException {
        Path file = folder.resolve("history.csv");
        Files.write(file, List.of(TrainingHistory.HEADER, "1,2,3,4,5,6", "2,oops"));

        assertThatThrownBy(() -> new TrainingHistory(file).truncateTo(5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + " line 3 is malformed");
    }
}
