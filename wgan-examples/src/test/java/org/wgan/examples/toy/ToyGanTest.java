package org.wgan.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToyGanTest {

    private static ToyGan smoke(Path output, ToyGan.Dataset dataset, ToyGan.Constraint constraint) {
        ToyGan toy = new ToyGan();
        toy.dataset = dataset;
        toy.constraint = constraint;
        toy.iterations = 2;
        toy.evalEvery = 1;
        toy.emaDecay = 0.9;
        toy.output = output;
        return toy;
    }

    @Test
    void gradientPenaltyRunEvaluatesAndWritesSamplesAndValueSurfaces(@TempDir Path output) throws IOException {
        List<ToyGan.Evaluation> evaluations = smoke(output, ToyGan.Dataset.TWENTY_FIVE_GAUSSIANS,
                ToyGan.Constraint.GRADIENT_PENALTY).train();

        assertThat(evaluations).extracting(ToyGan.Evaluation::iteration).containsExactly(1L, 2L);
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
        List<ToyGan.Evaluation> evaluations = smoke(output, ToyGan.Dataset.SWISS_ROLL,
                ToyGan.Constraint.WEIGHT_CLIPPING).train();

        assertThat(evaluations.get(1).figures()).matches("sliced W1 \\d\\.\\d{4}; EMA sliced W1 \\d\\.\\d{4}");
        assertThat(evaluations.get(1).mixture()).isNull();
    }
}
