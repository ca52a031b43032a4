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
import picocli.CommandLine;

class EightGaussiansTest {

    @Test
    void smokeRunPrintsTheMetricsAndWritesTheScatterPlot(@TempDir Path output) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        int exitCode;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exitCode = new CommandLine(new EightGaussians()).execute("--steps", "3", "--batch-size", "16",
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
        CommandLine cli = new CommandLine(new EightGaussians());
        cli.setErr(new java.io.PrintWriter(errors, true, StandardCharsets.UTF_8));

        int exitCode = cli.execute("--steps", "0");

        assertThat(exitCode).isNotZero();
        assertThat(errors.toString(StandardCharsets.UTF_8)).contains("maxGeneratorSteps must be >= 1, but was 0");
    }
}
