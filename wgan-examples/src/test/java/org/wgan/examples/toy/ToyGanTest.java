package org.wgan.examples.toy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.wgan.examples.support.CommandOutcome;

class ToyGanTest {

    @Test
    void rejectsEachOptionValueNamingTheOptionBeforeTraining() {
        CommandOutcome.of(new ToyGan(), "--steps", "0").assertRejectedWith("--steps must be >= 1, but was 0");
        CommandOutcome.of(new ToyGan(), "--eval-every", "-1")
                .assertRejectedWith("--eval-every must be >= 0, but was -1");
        CommandOutcome.of(new ToyGan(), "--ema-decay", "1")
                .assertRejectedWith("--ema-decay must be in [0, 1), but was 1.0");
        CommandOutcome.of(new ToyGan(), "--penalty-weight", "-1")
                .assertRejectedWith("--penalty-weight must be finite and >= 0, but was -1.0");
        CommandOutcome.of(new ToyGan(), "--dataset", "MNIST").assertRejectedWith("Invalid value for option"
                + " '--dataset': expected one of [EIGHT_GAUSSIANS, TWENTY_FIVE_GAUSSIANS, SWISS_ROLL] (case-sensitive)"
                + " but was 'MNIST'");
    }

    @Test
    void helpNamesTheStepBudgetStepsWithTheRecipesDefaults() {
        CommandOutcome help = CommandOutcome.of(new ToyGan(), "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("--steps=<steps>")
                .contains("generator steps (default: 9000)")
                .contains("samples per batch (default: 256)").contains("gradient penalty weight (default: 0.1)")
                .contains("(default: wgan-output/toy-gan)").doesNotContain("--iterations");
    }
}
