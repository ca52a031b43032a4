package org.wgan.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.examples.support.CommandOutcome;
import org.wgan.examples.support.Launcher;
import picocli.CommandLine;

class EightGaussiansTest {

    @Test
    void smokeRunPrintsTheMetricsAndWritesTheScatterPlot(@TempDir Path output) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exitCode;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exitCode = Launcher.execute(new EightGaussians(), "--steps", "3", "--batch-size", "16",
                    "--eval-every", "0", "--no-progress", "--output", output.toString());
        } finally {
            System.setOut(original);
        }

        String printed = captured.toString(StandardCharsets.UTF_8);
        assertThat(exitCode).isZero();
        assertThat(printed).contains("step 3/3").containsPattern("modes \\d/8, good share \\d\\.\\d{3}, sliced W1 \\d");
        Path png = output.resolve("samples.png");
        assertThat(png).exists();
        assertThat(ImageIO.read(Files.newInputStream(png)).getWidth()).isEqualTo(700);
    }

    @Test
    void rejectsANonPositiveStepCountWithTheOptionNamed() {
        ByteArrayOutputStream errors = new ByteArrayOutputStream();
        CommandLine cli = Launcher.commandLine(new EightGaussians());
        cli.setErr(new java.io.PrintWriter(errors, true, StandardCharsets.UTF_8));

        int exitCode = cli.execute("--steps", "0");

        assertThat(exitCode).isNotZero().isEqualTo(Launcher.USAGE_EXIT_CODE);
        // validated as the option, before any training: its name, the rule and the value, then the usage
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("--steps must be >= 1, but was 0")
                .contains("Usage: eight-gaussians").doesNotContain("\tat ");
    }

    @Test
    void rejectsTheClipValueAndLearningRateNamingThem() {
        CommandOutcome.of(new EightGaussians(), "--clip-value", "0")
                .assertRejectedWith("--clip-value must be finite and > 0, but was 0.0");
        CommandOutcome.of(new EightGaussians(), "--learning-rate", "NaN")
                .assertRejectedWith("--learning-rate must be finite and > 0, but was NaN");
        CommandOutcome.of(new EightGaussians(), "--eval-every", "-5")
                .assertRejectedWith("--eval-every must be >= 0, but was -5");
    }
}
