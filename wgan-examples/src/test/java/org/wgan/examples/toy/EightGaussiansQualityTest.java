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
 * 5 critic steps, batch 64, 10,000 generator steps). Over seeds 1-5 on a Zen 4 EPYC (AVX-512) it ended at 5-8 modes,
 * good share 0.065-0.600 and sliced W1 0.0425-0.0764; seed 1 on an AVX2 host at 6/8, 0.199 and 0.082. The bars sit
 * below the worst of those with a margin, since this seed on another CPU behaves like another seed.
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
        assertThat(quality.modesCovered()).isGreaterThanOrEqualTo(4);
        assertThat(quality.goodShare()).isGreaterThanOrEqualTo(0.03);
        assertThat(result.evaluation().slicedW1()).isLessThanOrEqualTo(0.10);
    }
}
