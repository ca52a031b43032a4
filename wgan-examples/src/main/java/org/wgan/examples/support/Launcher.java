package org.wgan.examples.support;

import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * Runs an example's picocli command. A command line picocli cannot parse, and an option value the example rejects
 * ({@link InvalidOptionException}, thrown while the command validates its options), both end the same way: the
 * message and the usage on stderr, no stack trace, exit code {@value #USAGE_EXIT_CODE}. Any other exception is a
 * fault and keeps picocli's default: its stack trace, exit code 1.
 *
 * <p>A main calls {@link #exit}, which also applies {@link NativeSetup}; a test calls {@link #execute} (or
 * {@link #commandLine}, to redirect the streams) and reads the exit code.
 */
public final class Launcher {

    /** The exit code of a rejected command line (picocli's {@link CommandLine.ExitCode#USAGE}). */
    public static final int USAGE_EXIT_CODE = CommandLine.ExitCode.USAGE;

    private Launcher() {
    }

    /** A command line for {@code command} that reports rejected option values as usage errors. */
    public static CommandLine commandLine(Object command) {
        CommandLine commandLine = new CommandLine(Objects.requireNonNull(command, "command"));
        commandLine.setExecutionExceptionHandler(Launcher::handle);
        return commandLine;
    }

    /** Parses {@code args}, runs {@code command} and returns the exit code. */
    public static int execute(Object command, String... args) {
        return commandLine(command).execute(args);
    }

    /**
     * What a main does: applies {@link NativeSetup#apply()} before any ND4J class loads, creates the command,
     * {@link #execute executes} it and ends the JVM with its exit code.
     */
    public static void exit(Supplier<?> command, String... args) {
        NativeSetup.apply();
        System.exit(execute(command.get(), args));
    }

    private static int handle(Exception exception, CommandLine commandLine, ParseResult parsed) throws Exception {
        if (!(exception instanceof InvalidOptionException)) {
            throw exception;
        }
        // the same report as a parse error: message, usage, exit code of the command's invalid input
        ParameterException usage = new ParameterException(commandLine, exception.getMessage(), exception);
        String[] args = parsed == null ? new String[0] : parsed.originalArgs().toArray(String[]::new);
        return commandLine.getParameterExceptionHandler().handleParseException(usage, args);
    }
}
