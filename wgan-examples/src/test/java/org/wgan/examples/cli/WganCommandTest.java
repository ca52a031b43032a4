package org.wgan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.data.FashionMnist;
import org.wgan.examples.support.CommandOutcome;
import org.wgan.examples.support.Launcher;

/**
 * The {@code wgan} command end to end on a folder of small PNGs written here: train, refuse, resume (bit for bit as
 * an uninterrupted run), sample, info.
 */
class WganCommandTest {

    @TempDir
    Path dir;

    private Path images;

    @BeforeEach
    void writeImages() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        Random random = new Random(5);
        for (int i = 0; i < 40; i++) {
            // a bright square on black at a random place: a distribution with some structure
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
            int x0 = random.nextInt(10);
            int y0 = random.nextInt(10);
            for (int y = y0; y < y0 + 6; y++) {
                for (int x = x0; x < x0 + 6; x++) {
                    image.getRaster().setSample(x, y, 0, 200 + random.nextInt(56));
                }
            }
            ImageIO.write(image, "png", images.resolve(String.format("%03d.png", i)).toFile());
        }
    }

    private static CommandOutcome wgan(String... args) {
        return CommandOutcome.of(new Wgan(), args);
    }

    private String[] train(Path output, long steps, String... extra) {
        return Stream.concat(Stream.of("train", "--images", images.toString(), "--size", "16", "--steps",
                Long.toString(steps), "--critic-steps", "1", "--batch-size", "8", "--width", "4",
                "--latent-size", "8", "--checkpoint-every", "2", "--sample-every", "2", "--no-progress",
                "--output", output.toString()), Stream.of(extra)).toArray(String[]::new);
    }

    @Test
    void trainsResumesBitForBitSamplesAndDescribesARun() throws IOException {
        Path run = dir.resolve("run");
        CommandOutcome first = wgan(train(run, 4));
        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(run.resolve("run.json")).exists();
        assertThat(run.resolve("samples-000002.png")).exists();
        assertThat(run.resolve("samples-000004.png")).exists();
        assertThat(run.resolve("checkpoints")).isDirectory();

        wgan(train(run, 4)).assertRejectedWith("--output " + run + " holds a run; pass --resume " + run
                + " to continue it, or another --output");
        wgan("train", "--resume", run.toString(), "--size", "32", "--width", "8")
                .assertRejectedWith("--resume " + run + " continues a run with other settings or data; differences:"
                        + " size: run 16, now 32; width: run 4, now 8");

        CommandOutcome resumed = wgan("train", "--resume", run.toString(), "--steps", "6", "--no-progress");
        assertThat(resumed.exitCode()).as(resumed.err()).isZero();
        Path straight = dir.resolve("straight");
        assertThat(wgan(train(straight, 6)).exitCode()).isZero();
        Path resumedGrid = dir.resolve("resumed.png");
        Path straightGrid = dir.resolve("straight.png");
        assertThat(wgan("sample", "--run", run.toString(), "--count", "16", "--grid", resumedGrid.toString())
                .exitCode()).isZero();
        assertThat(wgan("sample", "--run", straight.toString(), "--count", "16", "--grid", straightGrid.toString())
                .exitCode()).isZero();
        assertThat(Files.readAllBytes(resumedGrid)).isEqualTo(Files.readAllBytes(straightGrid));

        Path pngs = dir.resolve("pngs");
        assertThat(wgan("sample", "--run", run.toString(), "--count", "10", "--output", pngs.toString())
                .exitCode()).isZero();
        try (Stream<Path> files = Files.list(pngs)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).hasSize(10)
                    .startsWith("sample-000000.png").endsWith("sample-000009.png");
        }
        BufferedImage sample = ImageIO.read(pngs.resolve("sample-000003.png").toFile());
        assertThat(sample.getWidth()).isEqualTo(16);
        assertThat(sample.getHeight()).isEqualTo(16);

        CommandOutcome info = wgan("info", "--run", run.toString());
        assertThat(info.exitCode()).isZero();

        CommandOutcome evaluated = wgan("evaluate", "--run", run.toString(), "--images", images.toString(),
                "--samples", "30");
        assertThat(evaluated.exitCode()).as(evaluated.err()).isZero();
        String evaluation = Files.readString(run.resolve("evaluation-000006.txt"));
        assertThat(evaluation).contains("the generator of step 6, 30 samples against 30 held-out images")
                .contains("sliced W1 over pixels (256 directions): ").contains("floor (30 training images): ");
        wgan("evaluate", "--run", run.toString(), "--images", dir.resolve("none").toString())
                .assertRejectedWith("--images: images folder " + dir.resolve("none") + " does not exist");
    }

    @Test
    void fashionMnistAsAFolderOfPngsTrainsResumesSamplesAndExports() throws IOException {
        assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY), "dataset-fashion-mnist not installed");
        FashionMnist fashion = FashionMnist.load(FashionMnist.DEFAULT_DIRECTORY);
        INDArray test = fashion.images(FashionMnist.Split.TEST);
        int[] labels = fashion.labels(FashionMnist.Split.TEST);
        Path folder = dir.resolve("fashion");
        for (int i = 0; i < 300; i++) {
            BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    image.getRaster().setSample(x, y, 0, (int) Math.round((test.getDouble(i, 0, y, x) + 1) * 127.5));
                }
            }
            Path file = folder.resolve(Integer.toString(labels[i])).resolve(i + ".png");
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        }
        Path run = dir.resolve("fashion-run");
        String[] first = {"train", "--images", folder.toString(), "--size", "28", "--steps", "2", "--critic-steps",
            "2", "--batch-size", "16", "--width", "8", "--checkpoint-every", "2", "--sample-every", "2",
            "--no-progress", "--output", run.toString()};

        assertThat(wgan(first).exitCode()).isZero();
        assertThat(wgan("train", "--resume", run.toString(), "--steps", "4", "--no-progress").exitCode()).isZero();
        assertThat(RunSettings.readFrom(run).data()).startsWith("300 files, sha256 ");
        Path zip = dir.resolve("fashion.zip");
        assertThat(wgan("export", "--run", run.toString(), "--output", zip.toString()).exitCode()).isZero();
        Path fromRun = dir.resolve("fashion-run.png");
        Path fromExport = dir.resolve("fashion-export.png");
        assertThat(wgan("sample", "--run", run.toString(), "--grid", fromRun.toString()).exitCode()).isZero();
        assertThat(wgan("sample", "--model", zip.toString(), "--grid", fromExport.toString()).exitCode()).isZero();
        assertThat(Files.readAllBytes(fromExport)).isEqualTo(Files.readAllBytes(fromRun));
        BufferedImage grid = ImageIO.read(fromRun.toFile());
        // 8 x 8 cells of 28 pixels at 2x with 2-pixel gaps
        assertThat(grid.getWidth()).isEqualTo(8 * (28 * 2 + 2) + 2);
    }

    @Test
    void theProjectedFrechetDistanceOfAShiftedSampleIsTheSquaredProjectedShift() {
        Random random = new Random(2);
        int pixels = 12;
        double[][] a = new double[300][pixels];
        double[][] b = new double[300][pixels];
        double[] shift = new double[pixels];
        for (int p = 0; p < pixels; p++) {
            shift[p] = 0.1 * (p - 6);
        }
        for (int i = 0; i < a.length; i++) {
            for (int p = 0; p < pixels; p++) {
                a[i][p] = random.nextGaussian();
                b[i][p] = a[i][p] + shift[p];
            }
        }
        // the same matrix as EvaluateCommand: Random(7), N(0, 1 / pixels) entries, row by row
        Random matrix = new Random(7);
        double expected = 0;
        for (int k = 0; k < EvaluateCommand.PROJECTED; k++) {
            double projected = 0;
            for (int p = 0; p < pixels; p++) {
                projected += matrix.nextGaussian() / Math.sqrt(pixels) * shift[p];
            }
            expected += projected * projected;
        }

        assertThat(EvaluateCommand.projectedFrechet(a, a)).isCloseTo(0, within(1e-6));
        assertThat(EvaluateCommand.projectedFrechet(a, b)).isCloseTo(expected,
                within(1e-6 * expected + 1e-6));
    }

    @Test
    void refusesBadFoldersAndChangedDataBeforeWritingARun() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path run = dir.resolve("run");
        wgan("train", "--images", empty.toString(), "--size", "16", "--output", run.toString())
                .assertRejectedWith("--images: images folder " + empty + " holds no PNG, JPEG, BMP or GIF file"
                        + " (searched recursively, by file name extension)");
        assertThat(run).doesNotExist();
        wgan("train", "--size", "16", "--output", run.toString())
                .assertRejectedWith("--images is required for a fresh run (the folder of pictures), or --data-csv (a"
                        + " file of rows)");
        wgan("train", "--images", images.toString(), "--size", "18", "--output", run.toString())
                .assertRejectedWith("--size must be a multiple of 4 of at least 8 (the models halve it at least"
                        + " twice), but was 18");
        assertThat(run).doesNotExist();

        assertThat(wgan(train(run, 2)).exitCode()).isZero();
        // the same files elsewhere: the run resumes from the moved folder
        Path moved = Files.move(images, dir.resolve("moved"));
        assertThat(wgan("train", "--resume", run.toString(), "--images", moved.toString(), "--steps", "3",
                "--no-progress").exitCode()).isZero();
        images = Files.move(moved, images);
        Files.copy(images.resolve("000.png"), images.resolve("040.png"));
        // run.json now names the moved folder; --images names where the files are again
        CommandOutcome changed = wgan("train", "--resume", run.toString(), "--images", images.toString(), "--steps",
                "4");
        changed.assertRejectedWith("--resume " + run + " continues a run with other settings or data; differences:"
                + " data: run 40 files, sha256 " + RunSettings.readFrom(run).data().substring(
                        "40 files, sha256 ".length()) + ", now 41 files, sha256 "
                + changed.err().split("now 41 files, sha256 ")[1].substring(0, 64));
        CommandOutcome noRun = wgan("sample", "--run", dir.resolve("nothing").toString(), "--grid", "g.png");
        assertThat(noRun.exitCode()).isEqualTo(Launcher.IO_ERROR_EXIT_CODE);
        assertThat(noRun.err()).contains("not a run folder of wgan train (no run.json)").doesNotContain("\tat ");
    }
}
