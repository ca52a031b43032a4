package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * A test fixture: what a command run through {@link Launcher} printed (through picocli's streams) and returned.
 *
 * @param exitCode the exit code a main would exit with
 * @param out      what picocli printed on its standard output (help, version)
 * @param err      what it printed on its error stream (messages, usage, stack traces)
 */
public record CommandOutcome(int exitCode, String out, String err) {

    /** Runs {@code command} with {@code args} as a main would, capturing picocli's two streams. */
    public static CommandOutcome of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Launcher.commandLine(command);
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CommandOutcome(exitCode, out.toString(), err.toString());
    }

    /**
     * Asserts that the command line was rejected as a main reports it: exit code 2, {@code message} on the first line
     * of stderr, then the usage, and no stack trace.
     */
    public void assertRejectedWith(String message) {
        assertThat(exitCode).as("exit code; stderr:%n%s", err).isEqualTo(Launcher.USAGE_EXIT_CODE);
        assertThat(err).startsWith(message + System.lineSeparator()).contains("Usage: ").doesNotContain("\tat ");
    }
}
