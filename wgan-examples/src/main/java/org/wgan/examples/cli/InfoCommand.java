package org.wgan.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wgan.core.checkpoint.CheckpointStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code wgan info}: a run folder's settings, data and checkpoints. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Describes a run folder.")
final class InfoCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "<run folder>", description = "the --output of wgan train")
    private Path run;

    @Override
    public Integer call() throws IOException {
        RunSettings settings = RunSettings.readFrom(run);
        System.out.println("run " + run.toAbsolutePath() + " (wgan " + settings.wganVersion() + ")");
        settings.fixed().forEach((key, value) -> System.out.println("  " + key + ": " + value));
        System.out.println("  images used: " + settings.imageCount());
        System.out.println("  steps: " + settings.steps() + ", checkpoint every " + settings.checkpointEvery()
                + ", samples every " + settings.sampleEvery());
        CheckpointStore store = CheckpointStore.in(run.resolve("checkpoints"));
        System.out.println("  checkpoints: " + store.files().stream().map(p -> p.getFileName().toString()).toList());
        return 0;
    }
}
