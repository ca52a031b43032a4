package org.wgan.examples.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every example takes (a picocli mixin): {@code --seed}, {@code --output} (by default
 * {@code wgan-output/<command name>}, the command's {@code @Command(name)}) and {@code --threads}, ND4J's thread
 * count for the process (on 2 cores, 1 thread ran the toy MLPs about twice as fast as ND4J's default).
 */
public final class CommonOptions {

    @Spec(Spec.Target.MIXEE)
    private CommandSpec command;

    @Option(names = "--seed", description = "seed of the networks, the data draws and the noise"
            + " (default: ${DEFAULT-VALUE})")
    private long seed = 1;

    @Option(names = "--output", paramLabel = "<folder>", description = "folder for the files it writes"
            + " (default: wgan-output/${COMMAND-NAME})")
    private Path output;

    @Option(names = "--threads", description = "ND4J threads; 1 ran these small networks fastest on 2 cores"
            + " (default: ${DEFAULT-VALUE})")
    private int threads = 1;

    /** The seed; any value is accepted. */
    public long seed() {
        return seed;
    }

    /**
     * The folder given with {@code --output}, or else {@code wgan-output/<command name>/<subfolders...>}.
     *
     * @throws IllegalStateException if no folder was given and the options were not parsed by picocli
     */
    public Path folder(String... subfolders) {
        if (output != null) {
            return output;
        }
        if (command == null) {
            throw new IllegalStateException("--output has no default outside a picocli command; pass --output");
        }
        return Path.of("wgan-output", command.name()).resolve(Path.of("", subfolders));
    }

    /**
     * {@link #folder(String...)}, checked by {@link #requireWritable}: called before training, so that a folder the
     * run cannot write fails at once rather than at the run's first output, minutes or hours in. {@code --threads} is
     * checked first, so that a rejected command line creates no folder.
     *
     * @throws InvalidOptionException if {@code --threads} is below 1
     * @throws IOException            one line naming the folder and {@code --output}, if it cannot be written
     */
    public Path writableFolder(String... subfolders) throws IOException {
        threads();
        return requireWritable(folder(subfolders));
    }

    /**
     * {@code folder}, created if missing (with the folders above it) and proven writable by creating and deleting a
     * file in it.
     *
     * @throws IOException one line naming the folder, what is wrong ({@code "it is a file, not a folder"}, a folder
     *                     above it that is a file, or the file system's refusal) and {@code --output}
     */
    public static Path requireWritable(Path folder) throws IOException {
        Path absolute = folder.toAbsolutePath();
        for (Path above = absolute; above != null; above = above.getParent()) {
            if (Files.exists(above)) {
                if (!Files.isDirectory(above)) {
                    throw unwritable(absolute, (above.equals(absolute) ? "it" : above) + " is a file, not a folder",
                            null);
                }
                break;
            }
        }
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw unwritable(absolute, "cannot create it (" + withoutPath(absolute, e) + ")", e);
        }
        try {
            Files.delete(Files.createTempFile(absolute, ".write-check-", ".tmp"));
        } catch (IOException e) {
            throw unwritable(absolute, "cannot create a file in it (" + withoutPath(absolute, e) + ")", e);
        }
        return folder;
    }

    private static IOException unwritable(Path folder, String why, IOException cause) {
        return new IOException("cannot write the output folder " + folder + ": " + why + "; pass --output with a"
                + " folder you can write to (it is created if missing)", cause);
    }

    /** The exception's line without the folder's path in front, which the message names already. */
    private static String withoutPath(Path folder, IOException exception) {
        String line = Launcher.describe(exception);
        String path = folder + ": ";
        return line.startsWith(path) ? line.substring(path.length()) : line;
    }

    /**
     * ND4J's thread count.
     *
     * @throws InvalidOptionException if it is below 1
     */
    public int threads() {
        return OptionChecks.atLeast("--threads", threads, 1);
    }

    /**
     * Sets ND4J's thread counts (its native ops and its BLAS calls) to {@link #threads()}.
     *
     * @throws InvalidOptionException if it is below 1
     */
    public void applyThreads() {
        applyThreads(threads());
    }

    /** Sets ND4J's thread counts (its native ops and its BLAS calls) to {@code threads}, already checked. */
    public static void applyThreads(int threads) {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
    }
}
