package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class TrainingOptionsTest {

    @Command(name = "trainer")
    static final class Holder {
        @Mixin
        private final TrainingOptions training;

        Holder(TrainingOptions training) {
            this.training = training;
        }
    }

    private static TrainingOptions parse(TrainingOptions defaults, String... args) {
        new CommandLine(new Holder(defaults)).parseArgs(args);
        return defaults;
    }

    @Test
    void defaultsAreTheCommandsAndShowInTheHelp() {
        TrainingOptions training = parse(new TrainingOptions(9_000, 5, 256));

        assertThat(training.steps()).isEqualTo(9_000);
        assertThat(training.criticSteps()).isEqualTo(5);
        assertThat(training.criticStepsOr(1)).isEqualTo(5);
        assertThat(training.batchSize()).isEqualTo(256);
        String help = new CommandLine(new Holder(new TrainingOptions(9_000, 5, 256))).getUsageMessage();
        assertThat(help.replaceAll("\\s+", " "))
                .contains("generator steps (default: 9000)").contains("critic steps per generator step (default: 5)")
                .contains("samples per batch (default: 256)").contains("--no-progress");
    }

    @Test
    void givenValuesWin() {
        TrainingOptions training = parse(new TrainingOptions(9_000, 5, 256), "--steps", "2", "--critic-steps", "1",
                "--batch-size", "8");

        assertThat(training.steps()).isEqualTo(2);
        assertThat(training.criticSteps()).isEqualTo(1);
        assertThat(training.batchSize()).isEqualTo(8);
    }

    @Test
    void recipeCriticStepsApplyUnlessGiven() {
        assertThat(parse(TrainingOptions.withRecipeCriticSteps(10, 64)).criticStepsOr(1)).isEqualTo(1);
        assertThat(parse(TrainingOptions.withRecipeCriticSteps(10, 64), "--critic-steps", "3").criticStepsOr(1))
                .isEqualTo(3);
        assertThatThrownBy(() -> parse(TrainingOptions.withRecipeCriticSteps(10, 64)).criticSteps())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("--critic-steps defaults to the recipe's here; call criticStepsOr");
    }

    @Test
    void rejectsEachValueBelowOneNamingItsOption() {
        TrainingOptions training = parse(new TrainingOptions(10, 5, 64), "--steps", "0", "--critic-steps", "-2",
                "--batch-size", "0");

        assertThatThrownBy(training::steps).isInstanceOf(InvalidOptionException.class)
                .hasMessage("--steps must be >= 1, but was 0");
        assertThatThrownBy(training::criticSteps).isInstanceOf(InvalidOptionException.class)
                .hasMessage("--critic-steps must be >= 1, but was -2");
        assertThatThrownBy(() -> training.criticStepsOr(5)).hasMessage("--critic-steps must be >= 1, but was -2");
        assertThatThrownBy(training::batchSize).isInstanceOf(InvalidOptionException.class)
                .hasMessage("--batch-size must be >= 1, but was 0");
    }
}
