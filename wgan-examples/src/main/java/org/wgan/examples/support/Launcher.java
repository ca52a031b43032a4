package org.wgan.examples.support;

import java.io.PrintWriter;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

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
        commandLine.setParameterExceptionHandler(Launcher::usage);
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

    /** A rejected option value is reported as a parse error is; anything else is rethrown to picocli. */
    private static int handle(Exception exception, CommandLine commandLine, ParseResult parsed) throws Exception {
        if (!(exception instanceof InvalidOptionException)) {
            throw exception;
        }
        return usage(new ParameterException(commandLine, exception.getMessage(), exception), new String[0]);
    }

    /** The message, picocli's suggestions for a misspelt option, if any, and the usage; the invalid-input code. */
    private static int usage(ParameterException exception, String[] args) {
        CommandLine commandLine = exception.getCommandLine();
        PrintWriter err = commandLine.getErr();
        err.println(commandLine.getColorScheme().errorText(exception.getMessage()));
        UnmatchedArgumentException.printSuggestions(exception, err);
        commandLine.usage(err, commandLine.getColorScheme());
        return commandLine.getCommandSpec().exitCodeOnInvalidInput();
    }
}
