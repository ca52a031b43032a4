package org.wgan.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.wgan.examples.support.InvalidOptionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wgan export}: the newest checkpoint's generator as a plain DL4J zip ({@link GeneratorExport}), and the EMA
 * generator beside it ({@code <name>-ema.zip}) when the run keeps one.
 */
@Command(name = "export", mixinStandardHelpOptions = true, description = "Writes a run's generator as a DL4J zip.")
final class ExportCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "<run folder>", description = "the --output of wgan train")
    private Path run;

    @Option(names = "--output", required = true, paramLabel = "<file.zip>", description = "the generator's zip")
    private Path output;

    @Override
    public Integer call() throws IOException {
        if (!output.getFileName().toString().endsWith(".zip")) {
            throw new InvalidOptionException("--output must name a .zip file, but was " + output);
        }
        ImageRun opened = ImageRun.restored(run, "export");
        RunSettings settings = opened.settings();
        long step = opened.trainer().generatorStep();
        GeneratorExport.write(settings, opened.generator(false), step, false, output);
        System.out.println("generator of step " + step + " in " + output.toAbsolutePath());
        if (opened.ema() != null) {
            Path ema = output.resolveSibling(GeneratorExport.baseName(output) + "-ema.zip");
            GeneratorExport.write(settings, opened.generator(true), step, true, ema);
            System.out.println("EMA generator in " + ema.toAbsolutePath());
        }
        return 0;
    }
}
