package org.wgan.examples.support;

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
        int checked = threads();
        Nd4j.getEnvironment().setMaxThreads(checked);
        Nd4j.getEnvironment().setMaxMasterThreads(checked);
    }
}
