package org.wgan.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.core.metrics.MixtureQuality;
import org.wgan.examples.support.ConsoleProgress;
import picocli.CommandLine;

/**
 * The README's 8-Gaussians figures, reproduced: the example's default run (weight clipping 0.01, RMSProp 5e-5,
 * 5 critic steps, batch 64, 10,000 generator steps, seed 1) measured modes 5/8, good share 0.341, sliced W1
 * 0.0638 on a 2-core machine in about 19 minutes. Bars leave room for other CPUs' rounding.
 * Run with {@code mvn -B test -Pslow}.
 */
@Tag("slow")
class EightGaussiansQualityTest {

    @Test
    void defaultRunCoversTheModesItWasMeasuredToCover(@TempDir Path output) {
        EightGaussians example = new EightGaussians();
        new CommandLine(example).parseArgs("--output", output.toString(), "--eval-every", "0");
        EightGaussiansTraining.Settings settings = example.settings();

        EightGaussiansTraining.Result result = new EightGaussiansTraining(settings)
                .train(ConsoleProgress.lines(settings.steps(), 100));

        MixtureQuality quality = result.evaluation().quality();
        assertThat(quality.modesCovered()).isGreaterThanOrEqualTo(5);
        assertThat(quality.goodShare()).isGreaterThanOrEqualTo(0.25);
        assertThat(result.evaluation().slicedW1()).isLessThanOrEqualTo(0.08);
    }
}
