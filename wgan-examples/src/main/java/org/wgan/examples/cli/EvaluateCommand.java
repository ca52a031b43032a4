package org.wgan.examples.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Generator;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.metrics.FrechetDistance;
import org.wgan.core.metrics.WassersteinDistances;
import org.wgan.examples.support.InvalidOptionException;
import org.wgan.examples.support.OptionChecks;
import org.wgan.images.ImageFolderSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code wgan evaluate}: a run's newest generator against a folder of held-out images, read as the run read its
 * training images (size, channels, fit; no flips). Two distances over the pixels in [-1, 1], each beside its
 * floor, the same distance between as many of the run's training images and the held-out ones:
 * <ul>
 *   <li>sliced W1: the mean exact 1-D W1 over {@value #DIRECTIONS} random unit directions of pixel space;</li>
 *   <li>the Frechet distance of a fixed random projection of the pixels to {@value #PROJECTED} dimensions (Gaussian
 *       entries of variance 1 / pixels, seed 7): FID's formula without a trained feature network, which this
 *       library cannot download; it compares first and second moments, not perceptual features, and its values are
 *       not comparable with FID's.</li>
 * </ul>
 * The figures are written to {@code evaluation-<step>.txt} in the run folder as well.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Scores a run's generator against held-out images.")
final class EvaluateCommand implements Callable<Integer> {

    static final int DIRECTIONS = 256;
    static final int PROJECTED = 64;

    @Option(names = "--run", required = true, paramLabel = "<run folder>", description = "the --output of wgan train")
    private Path run;

    @Option(names = "--images", required = true, paramLabel = "<folder>", description = "held-out images")
    private Path images;

    @Option(names = "--samples", description = "generated samples, at most the held-out and training images"
            + " (default: ${DEFAULT-VALUE})")
    private int samples = 2_000;

    @Option(names = "--ema", description = "score the run's EMA generator")
    private boolean ema;

    @Option(names = "--seed", description = "seed of the latent draws, the training images and the directions"
            + " (default: ${DEFAULT-VALUE})")
    private long seed = 1;

    @Override
    public Integer call() throws IOException {
        OptionChecks.atLeast("--samples", samples, 2);
        // the run first: a run of other data fails before its networks are built and restored, a missing
        // checkpoint or EMA before the images are decoded
        RunSettings settings = RunSettings.readFrom(run);
        if (settings.csv()) {
            throw new InvalidOptionException("--run " + run + " trained on CSV rows; evaluate scores image runs");
        }
        if (settings.fashionMnist()) {
            throw new InvalidOptionException("--run " + run + " is a run of fashion-gan; score it in the features of"
                    + " its Fashion-MNIST classifier with fashion-gan --evaluate-only --output " + run);
        }
        ImageRun opened = ImageRun.restored(settings, run, "evaluate");
        Generator generator = opened.generator(ema);
        ImageFolderSource heldOut = read(images, settings, "--images");
        ImageFolderSource training = read(Path.of(settings.images()), settings, "the run's images");
        int n = Math.min(samples, Math.min(heldOut.imageCount(), training.imageCount()));
        LatentSampler latent = LatentSamplers.gaussian(settings.latentSize());
        Random random = new Random(seed);
        double[][] generated = new double[n][];
        for (int from = 0; from < n; from += 100) {
            int count = Math.min(100, n - from);
            INDArray batch = generator.generate(latent.sample(count, random));
            for (int i = 0; i < count; i++) {
                generated[from + i] = flat(batch.slice(i));
            }
        }
        double[][] real = first(heldOut, n);
        double[][] reference = drawn(training, n, new Random(seed + 1));
        long step = opened.trainer().generatorStep();
        String text = String.format(Locale.ROOT, "%s generator of step %d, %d samples against %d held-out images"
                + " of %s (%dx%d, %d channel%s)%n"
                + "sliced W1 over pixels (%d directions): %.5f   floor (%d training images): %.5f%n"
                + "Frechet distance of a random %d-d projection of the pixels: %.4f   floor: %.4f%n",
                ema ? "EMA" : "the", step, n, n, images, settings.size(), settings.size(), settings.channels(),
                settings.channels() == 1 ? "" : "s", DIRECTIONS,
                WassersteinDistances.sliced(generated, real, DIRECTIONS, new Random(seed + 2)), n,
                WassersteinDistances.sliced(reference, real, DIRECTIONS, new Random(seed + 2)), PROJECTED,
                projectedFrechet(generated, real), projectedFrechet(reference, real));
        System.out.print(text);
        Files.writeString(run.resolve(String.format("evaluation-%06d%s.txt", step, ema ? "-ema" : "")), text,
                StandardCharsets.UTF_8);
        return 0;
    }

    private static ImageFolderSource read(Path folder, RunSettings settings, String what) {
        ImageFolderSource.Builder builder = ImageFolderSource.builder(folder).size(settings.size())
                .fit(ImageFolderSource.Fit.valueOf(settings.fit()));
        if (settings.channels() == 3) {
            builder.rgb();
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException(what + ": " + e.getMessage());
        }
    }

    private static double[] flat(INDArray image) {
        return image.reshape(image.length()).toDoubleVector();
    }

    private static double[][] first(ImageFolderSource source, int n) {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            out[i] = flat(source.image(i));
        }
        return out;
    }

    /** {@code n} distinct images drawn from {@code source} (a partial Fisher-Yates shuffle). */
    private static double[][] drawn(ImageFolderSource source, int n, Random random) {
        int[] order = new int[source.imageCount()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(order.length - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
            out[i] = flat(source.image(order[i]));
        }
        return out;
    }

    /** The Frechet distance between the two samples' projections by one fixed Gaussian matrix (seed 7). */
    static double projectedFrechet(double[][] a, double[][] b) {
        int pixels = a[0].length;
        Random random = new Random(7);
        double[][] matrix = new double[PROJECTED][pixels];
        double scale = 1 / Math.sqrt(pixels);
        for (double[] row : matrix) {
            for (int p = 0; p < pixels; p++) {
                row[p] = random.nextGaussian() * scale;
            }
        }
        return FrechetDistance.between(project(a, matrix), project(b, matrix));
    }

    private static double[][] project(double[][] points, double[][] matrix) {
        double[][] out = new double[points.length][matrix.length];
        for (int i = 0; i < points.length; i++) {
            for (int k = 0; k < matrix.length; k++) {
                double sum = 0;
                for (int p = 0; p < points[i].length; p++) {
                    sum += matrix[k][p] * points[i][p];
                }
                out[i][k] = sum;
            }
        }
        return out;
    }
}
