package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

class LauncherTest {

    /** A command that validates its options as the examples do, then fails with {@code --fail} if asked to. */
    @Command(name = "probe", mixinStandardHelpOptions = true)
    static final class Probe implements Callable<Integer> {
        @Mixin
        private final TrainingOptions training = new TrainingOptions(10, 5, 64);

        @Mixin
        private final CommonOptions common = new CommonOptions();

        @Option(names = "--fail", description = "throw this exception: state, argument, io, unchecked-io, no-file")
        private String fail;

        @Override
        public Integer call() throws IOException {
            training.steps();
            training.criticSteps();
            training.batchSize();
            common.threads();
            if ("state".equals(fail)) {
                throw new IllegalStateException("a fault, not an option");
            }
            if ("argument".equals(fail)) {
                throw new IllegalArgumentException("maxGeneratorSteps must be >= 1, but was 0");
            }
            if ("io".equals(fail)) {
                throw new IOException("/data/x.gz: bad magic number;\n  pass --data with intact files");
            }
            if ("unchecked-io".equals(fail)) {
                throw new UncheckedIOException(new FileSystemException("/out/a.png", null, "disk full"));
            }
            if ("no-file".equals(fail)) {
                throw new NoSuchFileException("/data/x.gz");
            }
            return 0;
        }
    }

    private static CommandOutcome run(String... args) {
        return CommandOutcome.of(new Probe(), args);
    }

    @Test
    void acceptedOptionsRunTheCommand() {
        assertThat(run("--steps", "3", "--threads", "2").exitCode()).isZero();
        assertThat(Launcher.execute(new Probe())).isZero();
    }

    @Test
    void rejectedOptionValuePrintsItsMessageAndTheUsageAndExitsWithTwoWithoutAStackTrace() {
        CommandOutcome outcome = run("--critic-steps", "0");

        assertThat(outcome.exitCode()).isEqualTo(2).isEqualTo(Launcher.USAGE_EXIT_CODE);
        assertThat(outcome.err()).startsWith("--critic-steps must be >= 1, but was 0")
                .contains("Usage: probe").contains("--batch-size=<batchSize>")
                .doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(outcome.out()).isEmpty();
        outcome.assertRejectedWith("--critic-steps must be >= 1, but was 0");
    }

    @Test
    void everyRejectedOptionIsNamedInTheMessage() {
        run("--steps", "0").assertRejectedWith("--steps must be >= 1, but was 0");
        run("--batch-size", "-1").assertRejectedWith("--batch-size must be >= 1, but was -1");
        run("--threads", "0").assertRejectedWith("--threads must be >= 1, but was 0");
    }

    @Test
    void commandLinePicocliCannotParseEndsTheSameWay() {
        CommandOutcome notANumber = run("--steps", "many");
        CommandOutcome unknown = run("--iterations", "5");

        assertThat(notANumber.exitCode()).isEqualTo(2);
        assertThat(notANumber.err()).startsWith("Invalid value for option '--steps': 'many' is not a long")
                .contains("Usage: probe").doesNotContain("\tat ");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("Unknown options: '--iterations', '5'").contains("Usage: probe")
                .doesNotContain("\tat ");
        CommandOutcome misspelt = run("--critic-step", "3");
        assertThat(misspelt.exitCode()).isEqualTo(2);
        assertThat(misspelt.err()).contains("Possible solutions: --critic-steps").contains("Usage: probe");
    }

    @Test
    void faultsThatAreNotOptionValuesKeepTheirStackTraceAndExitCodeOne() {
        CommandOutcome state = run("--fail", "state");
        CommandOutcome argument = run("--fail", "argument");

        assertThat(state.exitCode()).isEqualTo(1);
        assertThat(state.err()).contains("java.lang.IllegalStateException: a fault, not an option").contains("\tat ")
                .doesNotContain("Usage:");
        assertThat(argument.exitCode()).isEqualTo(1);
        assertThat(argument.err()).contains("java.lang.IllegalArgumentException").contains("\tat ");
    }

    @Test
    void ioErrorsPrintOneLineNamingThePathAndExitWithOneWithoutAStackTraceOrUsage() {
        CommandOutcome io = run("--fail", "io");
        CommandOutcome unchecked = run("--fail", "unchecked-io");
        CommandOutcome noFile = run("--fail", "no-file");

        assertThat(io.exitCode()).isEqualTo(1).isEqualTo(Launcher.IO_ERROR_EXIT_CODE);
        assertThat(io.err()).isEqualTo("/data/x.gz: bad magic number; pass --data with intact files"
                + System.lineSeparator());
        assertThat(unchecked.exitCode()).isEqualTo(Launcher.IO_ERROR_EXIT_CODE);
        assertThat(unchecked.err()).isEqualTo("/out/a.png: disk full" + System.lineSeparator());
        assertThat(noFile.exitCode()).isEqualTo(Launcher.IO_ERROR_EXIT_CODE);
        assertThat(noFile.err()).isEqualTo("/data/x.gz: no such file or folder" + System.lineSeparator());
        assertThat(io.out()).isEmpty();
    }

    @Test
    void describesFileSystemExceptionsThatGiveOnlyThePath() {
        assertThat(Launcher.describe(new AccessDeniedException("/out"))).isEqualTo("/out: permission denied");
        assertThat(Launcher.describe(new FileSystemException("/a", "/b", null)))
                .isEqualTo("/a -> /b: FileSystemException");
        assertThat(Launcher.describe(new IOException())).isEqualTo("IOException");
    }
}
