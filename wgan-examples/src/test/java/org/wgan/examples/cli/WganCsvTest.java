package org.wgan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.examples.support.CommandOutcome;
import org.wgan.examples.support.InvalidOptionException;

/** {@code wgan train --data-csv}: rows of numbers, standardised per column, sampled back in the file's units. */
class WganCsvTest {

    @TempDir
    Path dir;

    private static CommandOutcome wgan(String... args) {
        return CommandOutcome.of(new Wgan(), args);
    }

    @Test
    void rowsAreStandardisedPerColumnAndDrawnAsNextIntSays() throws IOException {
        // a: 1, 3 -> mean 2, std 1; b: 10, 10 -> constant, std kept at 1
        Path file = Files.writeString(dir.resolve("rows.csv"), "a, b\n# a comment\n1,10\n\n3, 10\n");

        CsvRows rows = CsvRows.read(file);

        assertThat(rows.names()).containsExactly("a", "b");
        assertThat(rows.means()).containsExactly(2.0, 10.0);
        assertThat(rows.scales()).containsExactly(1.0, 1.0);
        INDArray batch = rows.next(4, new Random(7));
        Random expected = new Random(7);
        for (int i = 0; i < 4; i++) {
            int r = expected.nextInt(2);
            assertThat(batch.getFloat(i, 0)).isEqualTo(r == 0 ? -1f : 1f);
            assertThat(batch.getFloat(i, 1)).isEqualTo(0f);
        }
        double[][] back = CsvRows.unstandardise(batch, rows.means(), rows.scales());
        assertThat(back[0][0]).isIn(1.0, 3.0);
        assertThat(back[0][1]).isEqualTo(10.0);
        assertThat(CsvRows.read(Files.writeString(dir.resolve("plain.csv"), "1,2\n3,4\n")).names())
                .containsExactly("x1", "x2");
    }

    @Test
    void badRowsAreRefusedNamingTheLineAndColumn() throws IOException {
        Path text = Files.writeString(dir.resolve("text.csv"), "a,b\n1,2\n3,x\n");
        assertThatThrownBy(() -> CsvRows.read(text)).isInstanceOf(InvalidOptionException.class)
                .hasMessage("--data-csv " + text + ": line 3, column 2 is 'x', not a number");
        Path ragged = Files.writeString(dir.resolve("ragged.csv"), "1,2\n3\n");
        assertThatThrownBy(() -> CsvRows.read(ragged)).hasMessage("--data-csv " + ragged + ": line 2 has 1"
                + " columns, but the file's rows have 2");
        Path infinite = Files.writeString(dir.resolve("inf.csv"), "1,2\n3,Infinity\n");
        assertThatThrownBy(() -> CsvRows.read(infinite)).hasMessageContaining("line 2, column 2 is Infinity");
        Path one = Files.writeString(dir.resolve("one.csv"), "a\n1\n");
        assertThatThrownBy(() -> CsvRows.read(one)).hasMessageContaining("needs at least 2 rows of numbers, but"
                + " has 1");
    }

    @Test
    void trainsSamplesAndExportsRowsInTheFilesUnits() throws IOException {
        StringBuilder csv = new StringBuilder("height,weight\n");
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            csv.append(170 + 10 * random.nextGaussian()).append(',').append(70 + 5 * random.nextGaussian())
                    .append('\n');
        }
        Path file = Files.writeString(dir.resolve("people.csv"), csv);
        Path run = dir.resolve("run");

        CommandOutcome trained = wgan("train", "--data-csv", file.toString(), "--steps", "4", "--critic-steps", "1",
                "--batch-size", "16", "--width", "16", "--latent-size", "4", "--checkpoint-every", "2",
                "--sample-every", "2", "--no-progress", "--output", run.toString());

        assertThat(trained.exitCode()).as(trained.err()).isZero();
        RunSettings settings = RunSettings.readFrom(run);
        assertThat(settings.csv()).isTrue();
        assertThat(settings.model()).isEqualTo("MLP");
        assertThat(settings.means()[0]).isCloseTo(170, within(2.0));
        assertThat(settings.scales()[1]).isCloseTo(5, within(1.0));
        List<String> grid = Files.readAllLines(run.resolve("samples-000004.csv"));
        assertThat(grid).hasSize(65).first().isEqualTo("height,weight");
        Path out = dir.resolve("out.csv");
        assertThat(wgan("sample", "--run", run.toString(), "--count", "7", "--output", out.toString()).exitCode())
                .isZero();
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(8);
        // after 4 steps the generator is near its initialisation: near the mean in the file's units, not near 0
        double height = Double.parseDouble(lines.get(1).split(",")[0]);
        assertThat(height).isBetween(100.0, 240.0);
        wgan("sample", "--run", run.toString(), "--grid", dir.resolve("g.png").toString())
                .assertRejectedWith("the generator trained on CSV rows; pass --output <file.csv>, not --grid");
        wgan("train", "--data-csv", file.toString(), "--model", "DCGAN", "--output", dir.resolve("r2").toString())
                .assertRejectedWith("--model DCGAN trains on images; rows of --data-csv take --model MLP");

        Path zip = dir.resolve("mlp.zip");
        assertThat(wgan("export", "--run", run.toString(), "--output", zip.toString()).exitCode()).isZero();
        Path fromExport = dir.resolve("export.csv");
        assertThat(wgan("sample", "--model", zip.toString(), "--count", "7", "--output", fromExport.toString())
                .exitCode()).isZero();
        assertThat(Files.readAllLines(fromExport)).isEqualTo(lines);
    }
}
