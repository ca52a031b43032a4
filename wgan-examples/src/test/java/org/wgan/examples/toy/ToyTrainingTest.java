package org.wgan.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.examples.support.ConsoleProgress;
import picocli.CommandLine;

class ToyTrainingTest {

    /** Two iterations, both evaluated, with an EMA, as {@code toy-gan} parses them. */
    private static ToyTraining smoke(Path output, ToyTraining.Dataset dataset, ToyTraining.Constraint constraint) {
        ToyGan toy = new ToyGan();
        new CommandLine(toy).parseArgs("--dataset", dataset.name(), "--constraint", constraint.name(), "--steps", "2",
                "--eval-every", "1", "--ema-decay", "0.9", "--output", output.toString());
        return new ToyTraining(toy.settings());
    }

    @Test
    void gradientPenaltyRunEvaluatesAndWritesSamplesAndValueSurfaces(@TempDir Path output) throws IOException {
        List<ToyTraining.Evaluation> evaluations = smoke(output, ToyTraining.Dataset.TWENTY_FIVE_GAUSSIANS,
                ToyTraining.Constraint.GRADIENT_PENALTY).train(ConsoleProgress.none());

        assertThat(evaluations).extracting(ToyTraining.Evaluation::iteration).containsExactly(1L, 2L);
        assertThat(evaluations.get(1).figures()).containsPattern("modes \\d+/25, good share .*; EMA modes \\d+/25");
        assertThat(evaluations.get(1).mixture().quality().goodShare()).isBetween(0.0, 1.0);
        assertThat(evaluations.get(1).emaMixture()).isNotNull();
        List<String> csv = Files.readAllLines(output.resolve("samples-000002.csv"));
        assertThat(csv).hasSize(2_501).first().isEqualTo("x,y");
        assertThat(csv.get(1).split(",")).hasSize(2);
        assertThat(output.resolve("samples-000002-ema.csv")).exists();
        assertThat(ImageIO.read(output.resolve("critic-000002.png").toFile()).getWidth()).isEqualTo(600);
    }

    @Test
    void clippedSwissRollRunReportsSlicedW1(@TempDir Path output) {
        List<ToyTraining.Evaluation> evaluations = smoke(output, ToyTraining.Dataset.SWISS_ROLL,
                ToyTraining.Constraint.WEIGHT_CLIPPING).train(ConsoleProgress.none());

        assertThat(evaluations.get(1).figures()).matches("sliced W1 \\d\\.\\d{4}; EMA sliced W1 \\d\\.\\d{4}");
        assertThat(evaluations.get(1).mixture()).isNull();
    }

    @Test
    void evalEveryZeroEvaluatesOnlyAtTheEnd(@TempDir Path output) {
        ToyGan toy = new ToyGan();
        new CommandLine(toy).parseArgs("--steps", "2", "--eval-every", "0", "--batch-size", "16", "--output",
                output.toString());

        List<ToyTraining.Evaluation> evaluations = new ToyTraining(toy.settings()).train(ConsoleProgress.none());

        assertThat(evaluations).extracting(ToyTraining.Evaluation::iteration).containsExactly(2L);
    }
}
