package org.wgan.examples.support;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Runs an example's picocli command and turns what can go wrong into one of three endings, none of them with a stack
 * trace but the last:
 *
 * <ul>
 *   <li>exit code {@value #USAGE_EXIT_CODE}, the message and the usage on stderr: the command line is wrong, whatever
 *       the files hold. picocli cannot parse it, or an option value is rejected ({@link InvalidOptionException},
 *       thrown while the command validates its options, before it trains or reads data; its message names the
 *       option, the rule and the value).</li>
 *   <li>exit code {@value #IO_ERROR_EXIT_CODE}, one line on stderr (no usage): a file or folder the command line names
 *       cannot be used: missing or corrupt data, an output folder that is a file or cannot be written, a folder
 *       holding another run. Any {@link IOException} (or {@link UncheckedIOException}) the command throws; the line
 *       ({@link #describe}) starts with the path, and the examples add what to do where they know it.</li>
 *   <li>exit code 1 with picocli's stack trace: any other exception, a fault of the program.</li>
 * </ul>
 *
 * <p>A main calls {@link #exit}, which also applies {@link NativeSetup}; a test calls {@link #execute} (or
 * {@link #commandLine}, to redirect the streams) and reads the exit code.
 */
public final class Launcher {

    /** The exit code of a rejected command line (picocli's {@link CommandLine.ExitCode#USAGE}). */
    public static final int USAGE_EXIT_CODE = CommandLine.ExitCode.USAGE;

    /** The exit code of a file or folder the run cannot use (printed as one line; a fault exits with 1 as well). */
    public static final int IO_ERROR_EXIT_CODE = CommandLine.ExitCode.SOFTWARE;

    private Launcher() {
    }

    /** A command line for {@code command} that reports rejected option values and I/O errors as described above. */
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

    /**
     * The line printed for an I/O error: its message on one line, or, for a {@link FileSystemException} that gives
     * only the path (as the JDK's do), the path and what the exception's type says ({@code "/data/x: no such file or
     * folder"}).
     */
    public static String describe(IOException exception) {
        String message = exception.getMessage();
        if (exception instanceof FileSystemException files && files.getReason() == null && files.getFile() != null) {
            message = files.getFile() + (files.getOtherFile() == null ? "" : " -> " + files.getOtherFile()) + ": "
                    + reason(files);
        }
        if (message == null || message.isBlank()) {
            message = exception.getClass().getSimpleName();
        }
        return message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String reason(FileSystemException exception) {
        if (exception instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (exception instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (exception instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (exception instanceof NotDirectoryException) {
            return "not a folder";
        }
        if (exception instanceof DirectoryNotEmptyException) {
            return "folder not empty";
        }
        return exception.getClass().getSimpleName();
    }

    /**
     * A rejected option value is reported as a parse error is, an I/O error as one line; anything else is rethrown to
     * picocli.
     */
    private static int handle(Exception exception, CommandLine commandLine, ParseResult parsed) throws Exception {
        if (exception instanceof InvalidOptionException) {
            return usage(new ParameterException(commandLine, exception.getMessage(), exception), new String[0]);
        }
        IOException io = exception instanceof UncheckedIOException unchecked ? unchecked.getCause()
                : exception instanceof IOException checked ? checked : null;
        if (io == null) {
            throw exception;
        }
        commandLine.getErr().println(commandLine.getColorScheme().errorText(describe(io)));
        return IO_ERROR_EXIT_CODE;
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
