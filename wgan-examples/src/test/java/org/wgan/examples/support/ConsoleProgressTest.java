package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.wgan.core.listener.GeneratorStepEvent;

class ConsoleProgressTest {

    /** What {@code progress} printed on stdout for the generator steps {@code from..to-1}, line by line. */
    private static List<String> printed(ConsoleProgress progress, long completed, long to) {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        try (ConsoleProgress started = progress.start(completed)) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            for (long step = completed; step < to; step++) {
                started.onGeneratorStep(new GeneratorStepEvent(step, 5, -0.25, 0.5, 0.25, 0.1, 0.01), null);
            }
        } finally {
            System.setOut(original);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
    }

    @Test
    void linesComeEveryNStepsAndAtTheLastWithTheEstimateSpeedAndEta() {
        List<String> lines = printed(ConsoleProgress.lines(5, 2), 0, 5);

        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("step 2/5  W estimate 0\\.2500  \\d+\\.\\d{3} s/step  ETA PT.*S");
        assertThat(lines.get(1)).startsWith("step 4/5  W estimate 0.2500");
        assertThat(lines.get(2)).startsWith("step 5/5  W estimate 0.2500").endsWith("ETA PT0S");
    }

    @Test
    void aResumedRunCountsOnFromItsCheckpoint() {
        List<String> lines = printed(ConsoleProgress.lines(10, 4), 6, 10);

        assertThat(lines).extracting(line -> line.substring(0, line.indexOf("  "))).containsExactly("step 8/10",
                "step 10/10");
    }

    @Test
    void noneAndABarPrintNothingOnStdout() {
        assertThat(printed(ConsoleProgress.none(), 0, 3)).isEmpty();
        assertThat(printed(ConsoleProgress.bar("test", 3), 0, 3)).isEmpty();
    }

    @Test
    void rejectsFewerThanOneStepBetweenLines() {
        assertThatThrownBy(() -> ConsoleProgress.lines(10, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("every must be >= 1, but was 0");
    }

    @Test
    void theBarShowsTheEstimateBothLossesAndAPenaltyWhereThereIsOne() {
        GeneratorStepEvent penalised = new GeneratorStepEvent(9, 5, -1.25, 0.5, 1.5, 0.25, 0.1);
        GeneratorStepEvent clipped = new GeneratorStepEvent(9, 5, -1.25, 0.5, 1.5, Double.NaN, 0.1);

        assertThat(ConsoleProgress.extraMessage(penalised))
                .isEqualTo(" W 1.5000  critic -1.2500  generator 0.5000  penalty 0.2500");
        assertThat(ConsoleProgress.extraMessage(clipped)).isEqualTo(" W 1.5000  critic -1.2500  generator 0.5000");
    }
}
