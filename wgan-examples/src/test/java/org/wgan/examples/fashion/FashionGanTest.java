package org.wgan.examples.fashion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.data.FashionMnist;
import org.wgan.dl4j.GraphGenerator;
import org.wgan.examples.cli.Wgan;
import org.wgan.examples.support.CommandOutcome;
import picocli.CommandLine;

/**
 * Smoke tests of the Fashion-MNIST main: a few steps of training, checkpointing and resuming (where the data is
 * installed), and its options.
 */
class FashionGanTest {

    @TempDir
    Path folder;

    /** Skips a test that trains where Debian's dataset-fashion-mnist is not installed. */
    private static void needsTheData() {
        org.junit.jupiter.api.Assumptions.assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY),
                "Fashion-MNIST is not installed at " + FashionMnist.DEFAULT_DIRECTORY
                        + "; apt-get install dataset-fashion-mnist");
    }

    private static FashionGan parse(String... args) {
        FashionGan main = new FashionGan();
        new CommandLine(main).parseArgs(args);
        return main;
    }

    private FashionTraining.Run run(Path output, String... args) throws IOException {
        needsTheData();
        List<String> all = new java.util.ArrayList<>(List.of("--batch-size", "8", "--critic-steps", "2", "--width", "8",
                "--checkpoint-every", "2", "--sample-every", "2", "--no-progress", "--evaluate-samples", "0",
                "--output", output.toString()));
        all.addAll(List.of(args));
        return parse(all.toArray(String[]::new)).run();
    }

    /** A tiny run scored with 300 samples through a small classifier (1,000 images, 1 epoch) cached in the folder. */
    private FashionTraining.Run scored(Path output, String... args) throws IOException {
        needsTheData();
        List<String> all = new java.util.ArrayList<>(List.of("--batch-size", "8", "--critic-steps", "1", "--width", "8",
                "--no-progress", "--evaluate-samples", "300", "--ema-decay", "0.9",
                "--classifier-cache", folder.resolve("classifier.zip").toString(), "--output", output.toString()));
        all.addAll(List.of(args));
        FashionGan main = parse(all.toArray(String[]::new));
        main.classifierTrainingImages = 1_000;
        main.classifierEpochs = 1;
        return main.run();
    }

    @Test
    void scoresTheGeneratorAtTheEndAndAnyCheckpointLater() throws IOException {
        Path output = folder.resolve("run");
        FashionTraining.Run run = scored(output, "--steps", "2", "--checkpoint-every", "1");

        assertThat(run.evaluation().samples()).isEqualTo(300);
        assertThat(run.evaluation().frechetDistance()).isPositive().isFinite();
        assertThat(run.emaEvaluation()).isNotNull();
        assertThat(run.evaluation().classHistogram().total()).isEqualTo(300);
        String text = Files.readString(output.resolve("evaluation-000002.txt"));
        assertThat(text).contains("after 2 generator steps").contains("protocol: Frechet distance over the 128-d")
                .contains("300 generated samples against the 10,000 test images").contains("floor (300 training");

        FashionTraining.Run evaluated = scored(output, "--evaluate-only", "--at-step", "2");
        assertThat(evaluated.summary().generatorSteps()).isEqualTo(2);
        assertThat(evaluated.evaluation().frechetDistance()).isEqualTo(run.evaluation().frechetDistance());
        FashionTraining.Run earlier = scored(output, "--evaluate-only", "--at-step", "1");
        assertThat(earlier.evaluation().frechetDistance()).isNotEqualTo(run.evaluation().frechetDistance());
    }

    @Test
    void resumingRepeatsAndSkipsNoStep() throws IOException {
        FashionTraining.Run straight = run(folder.resolve("straight"), "--steps", "4", "--ema-decay", "0.9");
        run(folder.resolve("interrupted"), "--steps", "3", "--ema-decay", "0.9");
        // the first run ended at step 3 (a checkpoint at 2 and at the end); drop the last to resume from step 2
        Files.delete(folder.resolve("interrupted/checkpoints/checkpoint-000000000003.zip"));
        FashionTraining.Run resumed = run(folder.resolve("interrupted"), "--steps", "4", "--ema-decay", "0.9",
                "--resume");

        assertThat(resumed.resumedAt()).isEqualTo(2);
        assertThat(resumed.summary().generatorSteps()).isEqualTo(4);
        assertThat(resumed.generator().parameters()).isEqualTo(straight.generator().parameters());
        assertThat(resumed.ema().averaged().parameters()).isEqualTo(straight.ema().averaged().parameters());
        List<String> history = Files.readAllLines(folder.resolve("interrupted/history.csv"));
        assertThat(history).hasSize(5);
        assertThat(history.stream().skip(1).map(line -> line.split(",")[0])).containsExactly("1", "2", "3", "4");
        assertThat(history).isEqualTo(withoutSeconds(Files.readAllLines(folder.resolve("straight/history.csv")),
                history));
        assertThat(folder.resolve("interrupted/samples-000004.png")).isNotEmptyFile();
        assertThat(folder.resolve("interrupted/samples-000004-ema.png")).isNotEmptyFile();
        assertThat(folder.resolve("interrupted/training.png")).isNotEmptyFile();
    }

    /** The straight run's rows with the other run's wall times, so only the training figures are compared. */
    private static List<String> withoutSeconds(List<String> rows, List<String> secondsFrom) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            String row = rows.get(i);
            String other = secondsFrom.get(i);
            out.add(i == 0 ? row : row.substring(0, row.lastIndexOf(',')) + other.substring(other.lastIndexOf(',')));
        }
        return out;
    }

    @Test
    void aFreshRunRefusesAFolderHoldingAnotherRunsCheckpoints() throws IOException {
        run(folder, "--steps", "2", "--objective", "NON_SATURATING");

        assertThatThrownBy(() -> run(folder, "--steps", "2", "--objective", "NON_SATURATING"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("holds the checkpoints of an earlier run; pass --resume");
        assertThatThrownBy(() -> run(folder, "--steps", "3", "--resume"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("holds a run with other settings (objective: run NON_SATURATING, now WGAN_GP);"
                        + " pass that run's options, or another --output");
    }

    @Test
    void trainsTheResNetResumesItBitForBitAndRefusesToResumeItWithTheDcgan() throws IOException {
        Path output = folder.resolve("resnet");
        FashionTraining.Run run = run(output, "--model", "RESNET", "--ema-decay", "0.9", "--steps", "2");

        assertThat(run.summary().generatorSteps()).isEqualTo(2);
        assertThat(run.generator()).isInstanceOf(GraphGenerator.class);
        assertThat(((GraphGenerator) run.generator()).graph().getVertex("g2")).isNotNull();
        INDArray samples = run.generator().generate(Nd4j.randn(DataType.FLOAT, 3, 64));
        assertThat(samples.shape()).containsExactly(3, 1, 28, 28);
        assertThat(samples.isNaN().any()).isFalse();
        assertThat(output.resolve("samples-000002.png")).isNotEmptyFile();
        assertThat(Files.readString(output.resolve("run.json"))).contains("\"model\" : \"RESNET\"");

        assertThatThrownBy(() -> run(output, "--ema-decay", "0.9", "--steps", "3", "--resume"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("holds a run with other settings (model: run RESNET, now DCGAN)");
        FashionTraining.Run resumed = run(output, "--model", "RESNET", "--ema-decay", "0.9", "--steps", "3",
                "--resume");
        assertThat(resumed.resumedAt()).isEqualTo(2);
        assertThat(resumed.summary().generatorSteps()).isEqualTo(3);
        // bit for bit, batch norm's running statistics included (they are in the generator's parameters)
        FashionTraining.Run straight = run(folder.resolve("straight"), "--model", "RESNET", "--ema-decay", "0.9",
                "--steps", "3");
        assertThat(resumed.generator().parameters()).isEqualTo(straight.generator().parameters());
        // the EMA of the generator graph resumes with it
        assertThat(resumed.ema().averaged()).isInstanceOf(GraphGenerator.class);
        assertThat(resumed.ema().averaged().parameters()).isEqualTo(straight.ema().averaged().parameters());
    }

    @Test
    void itsRunFolderIsAWganRunFolder() throws IOException {
        Path output = folder.resolve("run");
        FashionTraining.Run run = run(output, "--steps", "2");

        // wgan sample restores the preset's run from its run.json and checkpoint: the same generator
        Path samples = folder.resolve("samples.png");
        CommandOutcome sampled = CommandOutcome.of(new Wgan(), "sample", "--run", output.toString(), "--count", "4",
                "--grid", samples.toString());
        assertThat(sampled.exitCode()).as("stderr:%n%s", sampled.err()).isZero();
        assertThat(samples).isNotEmptyFile();
        CommandOutcome info = CommandOutcome.of(new Wgan(), "info", "--run", output.toString());
        assertThat(info.exitCode()).as("stderr:%n%s", info.err()).isZero();
        assertThat(Files.readString(output.resolve("run.json"))).contains("\"latentSize\" : 64")
                .contains("\"data\" : \"4 files, sha256 ");
        assertThat(run.summary().generatorSteps()).isEqualTo(2);
        CommandOutcome.of(new Wgan(), "evaluate", "--run", output.toString(), "--images", folder.toString())
                .assertRejectedWith("--run " + output + " is a run of fashion-gan; score it in the features of its"
                        + " Fashion-MNIST classifier with fashion-gan --evaluate-only --output " + output);
        // wgan train does not read IDX files: it says which command continues the run
        CommandOutcome resumed = CommandOutcome.of(new Wgan(), "train", "--resume", output.toString());
        resumed.assertRejectedWith("--resume " + output + " is a run of fashion-gan (Fashion-MNIST's IDX files);"
                + " continue it with fashion-gan --resume --output " + output);
    }

    @Test
    void refusesToResumeARunOfAnEarlierVersionWithoutRunJson() throws IOException {
        Path output = folder.resolve("old");
        run(output, "--steps", "2");
        Files.delete(output.resolve("run.json"));

        assertThatThrownBy(() -> run(output, "--steps", "3", "--resume"))
                .isInstanceOf(FileSystemException.class)
                .hasMessageContaining("holds checkpoints but no run.json (a run of an earlier version); pass another"
                        + " --output");
    }

    @Test
    void rejectsBadOptionsNamingThem() {
        assertThatThrownBy(() -> run(folder, "--steps", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--steps must be >= 1, but was 0");
        assertThatThrownBy(() -> run(folder, "--ema-decay", "1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--ema-decay must be in [0, 1), but was 1.0");
        assertThatThrownBy(() -> run(folder, "--at-step", "5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--at-step 5 needs --evaluate-only");
        assertThatThrownBy(() -> run(folder, "--evaluate-only")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--evaluate-only needs --evaluate-samples >= 2, but was 0");
    }

    @Test
    void rejectedOptionsExitWithTheUsageBeforeLoadingTheData() {
        CommandOutcome.of(new FashionGan(), "--width", "0").assertRejectedWith("--width must be >= 1, but was 0");
        CommandOutcome.of(new FashionGan(), "--critic-steps", "0")
                .assertRejectedWith("--critic-steps must be >= 1, but was 0");
        CommandOutcome.of(new FashionGan(), "--evaluate-samples", "1")
                .assertRejectedWith("--evaluate-samples must be 0 or >= 2, but was 1");
        CommandOutcome.of(new FashionGan(), "--evaluate-only", "--at-step", "0")
                .assertRejectedWith("--at-step must be >= 1, but was 0");
        CommandOutcome.of(new FashionGan(), "--model", "VGG").assertRejectedWith("Invalid value for option"
                + " '--model': expected one of [DCGAN, RESNET] (case-sensitive) but was 'VGG'");
    }

    @Test
    void helpStatesTheDefaultsThatDependOnTheObjective() {
        CommandOutcome help = CommandOutcome.of(new FashionGan(), "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out().replaceAll("\\s+", " ")).contains("generator steps (default: 2000)")
                .contains("critic steps per generator step (default: 5 for WGAN_GP, 1 for NON_SATURATING)")
                .contains("(default: wgan-output/fashion-gan/<objective in lower case>)");
    }
}
