package org.wgan.examples.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.OptionChecks;
import org.wgan.examples.support.SampleGrid;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wgan sample}: images from a run's newest checkpoint (its generator, or with {@code --ema} its average),
 * {@code --count} PNG files into {@code --output} or one grid PNG with {@code --grid}; latent draws from
 * {@code --seed}.
 */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Writes images from a trained run.")
final class SampleCommand implements Callable<Integer> {

    @ArgGroup(multiplicity = "1")
    private Source source;

    static final class Source {
        @Option(names = "--run", required = true, paramLabel = "<run folder>",
                description = "the --output of wgan train (its newest checkpoint)")
        Path run;

        @Option(names = "--model", required = true, paramLabel = "<file.zip>", description = "a wgan export")
        Path model;
    }

    @Option(names = "--count", description = "images (default: ${DEFAULT-VALUE})")
    private int count = 64;

    @ArgGroup(multiplicity = "1")
    private Destination destination;

    static final class Destination {
        @Option(names = "--output", required = true, paramLabel = "<folder>", description = "one PNG per image")
        Path output;

        @Option(names = "--grid", required = true, paramLabel = "<file.png>", description = "one grid of them")
        Path grid;
    }

    @Option(names = "--ema", description = "sample the run's EMA generator")
    private boolean ema;

    @Option(names = "--seed", description = "seed of the latent draws (default: ${DEFAULT-VALUE})")
    private long seed = 1;

    /** A CSV run's samples: rows in the file's units, to {@code --output file.csv}. */
    private int writeRows(Generator generator, RunSettings settings, long step) throws IOException {
        if (destination.grid != null || !destination.output.getFileName().toString().endsWith(".csv")) {
            throw new InvalidOptionException("the generator trained on CSV rows; pass --output"
                    + " <file.csv>, not " + (destination.grid != null ? "--grid" : "--output "
                    + destination.output));
        }
        INDArray rows = generator.generate(LatentSamplers.gaussian(settings.latentSize()).sample(count,
                new Random(seed)));
        CsvRows.write(destination.output, settings.columnNames(), CsvRows.unstandardise(rows, settings.means(),
                settings.scales()));
        System.out.println(count + " rows of generator step " + step + " in " + destination.output.toAbsolutePath());
        return 0;
    }

    @Override
    public Integer call() throws IOException {
        OptionChecks.atLeast("--count", count, 1);
        Generator generator;
        int latentSize;
        int size;
        long step;
        if (source.model != null) {
            if (ema) {
                throw new InvalidOptionException("--ema samples a run's EMA; an export's EMA is its own file"
                        + " (<name>-ema.zip)");
            }
            GeneratorExport.Loaded loaded = GeneratorExport.read(source.model);
            generator = loaded.generator();
            latentSize = loaded.description().latentSize();
            size = loaded.description().imageSize();
            step = loaded.description().generatorStep();
            if (loaded.description().run().csv()) {
                return writeRows(generator, loaded.description().run(), step);
            }
        } else {
            ImageRun opened = ImageRun.restored(source.run, "sample from");
            RunSettings settings = opened.settings();
            generator = opened.generator(ema);
            latentSize = settings.latentSize();
            size = settings.size();
            step = opened.trainer().generatorStep();
            if (settings.csv()) {
                return writeRows(generator, settings, step);
            }
        }
        LatentSampler latent = LatentSamplers.gaussian(latentSize);
        Random random = new Random(seed);
        if (destination.grid != null) {
            SampleGrid.write(destination.grid, generator.generate(latent.sample(count, random)),
                    Math.min(count, 8), ImageRun.gridScale(size));
            System.out.println(count + " samples of generator step " + step + " in "
                    + destination.grid.toAbsolutePath());
            return 0;
        }
        for (int from = 0; from < count; from += 100) {
            int n = Math.min(100, count - from);
            INDArray images = generator.generate(latent.sample(n, random));
            SampleGrid.writeEach(destination.output, "sample-", images, from);
        }
        System.out.println(count + " samples of generator step " + step + " in "
                + destination.output.toAbsolutePath());
        return 0;
    }
}
