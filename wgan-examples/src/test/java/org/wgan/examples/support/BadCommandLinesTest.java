package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.wgan.core.data.FashionMnist;
import org.wgan.examples.demos.ClippingStudy;
import org.wgan.examples.demos.DirtPiles;
import org.wgan.examples.demos.ParallelLines;
import org.wgan.examples.demos.TwoGaussians;
import org.wgan.examples.fashion.FashionGan;
import org.wgan.examples.toy.EightGaussians;
import org.wgan.examples.toy.ToyGan;

/**
 * Issue #16's bad command lines, main by main, run as a main runs them (through {@link Launcher}): a rejected option
 * value prints its message naming the option, then the usage, and exits with {@value Launcher#USAGE_EXIT_CODE}; a
 * file the run cannot use prints one line naming the path and what to do, and exits with
 * {@value Launcher#IO_ERROR_EXIT_CODE}; neither prints a stack trace. Each fails before training: the timeout
 * catches a run that would train first and fail later.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadCommandLinesTest {

    @TempDir
    Path folder;

    private static Arguments rejected(Supplier<Object> main, String args, String firstLine) {
        return Arguments.of(main.get().getClass().getSimpleName(), args, main, firstLine);
    }

    static Stream<Arguments> rejectedValues() {
        return Stream.of(
                rejected(EightGaussians::new, "--steps -5", "--steps must be >= 1, but was -5"),
                rejected(EightGaussians::new, "--critic-steps 0", "--critic-steps must be >= 1, but was 0"),
                rejected(EightGaussians::new, "--batch-size 0", "--batch-size must be >= 1, but was 0"),
                rejected(EightGaussians::new, "--clip-value 0", "--clip-value must be finite and > 0, but was 0.0"),
                rejected(EightGaussians::new, "--clip-value -0.01",
                        "--clip-value must be finite and > 0, but was -0.01"),
                rejected(EightGaussians::new, "--clip-value NaN", "--clip-value must be finite and > 0, but was NaN"),
                rejected(EightGaussians::new, "--learning-rate 0",
                        "--learning-rate must be finite and > 0, but was 0.0"),
                rejected(EightGaussians::new, "--learning-rate Infinity",
                        "--learning-rate must be finite and > 0, but was Infinity"),
                rejected(EightGaussians::new, "--eval-every -1", "--eval-every must be >= 0, but was -1"),
                rejected(EightGaussians::new, "--threads 0", "--threads must be >= 1, but was 0"),

                rejected(ToyGan::new, "--steps -5", "--steps must be >= 1, but was -5"),
                rejected(ToyGan::new, "--critic-steps -1", "--critic-steps must be >= 1, but was -1"),
                rejected(ToyGan::new, "--batch-size 0", "--batch-size must be >= 1, but was 0"),
                rejected(ToyGan::new, "--eval-every -1", "--eval-every must be >= 0, but was -1"),
                rejected(ToyGan::new, "--ema-decay 1.5", "--ema-decay must be in [0, 1), but was 1.5"),
                rejected(ToyGan::new, "--ema-decay -0.1", "--ema-decay must be in [0, 1), but was -0.1"),
                rejected(ToyGan::new, "--ema-decay NaN", "--ema-decay must be in [0, 1), but was NaN"),
                rejected(ToyGan::new, "--penalty-weight -1", "--penalty-weight must be finite and >= 0, but was -1.0"),
                rejected(ToyGan::new, "--penalty-weight Infinity",
                        "--penalty-weight must be finite and >= 0, but was Infinity"),
                rejected(ToyGan::new, "--threads -2", "--threads must be >= 1, but was -2"),

                rejected(FashionGan::new, "--steps 0", "--steps must be >= 1, but was 0"),
                rejected(FashionGan::new, "--critic-steps 0", "--critic-steps must be >= 1, but was 0"),
                rejected(FashionGan::new, "--batch-size 0", "--batch-size must be >= 1, but was 0"),
                rejected(FashionGan::new, "--width -8", "--width must be >= 1, but was -8"),
                rejected(FashionGan::new, "--penalty-weight NaN",
                        "--penalty-weight must be finite and >= 0, but was NaN"),
                rejected(FashionGan::new, "--ema-decay 1.5", "--ema-decay must be in [0, 1), but was 1.5"),
                rejected(FashionGan::new, "--checkpoint-every 0", "--checkpoint-every must be >= 1, but was 0"),
                rejected(FashionGan::new, "--keep-checkpoints 0", "--keep-checkpoints must be >= 1, but was 0"),
                rejected(FashionGan::new, "--sample-every -1", "--sample-every must be >= 1, but was -1"),
                rejected(FashionGan::new, "--evaluate-samples -1", "--evaluate-samples must be >= 0, but was -1"),
                rejected(FashionGan::new, "--evaluate-samples 1", "--evaluate-samples must be 0 or >= 2, but was 1"),
                rejected(FashionGan::new, "--at-step 5", "--at-step 5 needs --evaluate-only"),
                rejected(FashionGan::new, "--evaluate-only --at-step 0", "--at-step must be >= 1, but was 0"),
                rejected(FashionGan::new, "--evaluate-only --evaluate-samples 0",
                        "--evaluate-only needs --evaluate-samples >= 2, but was 0"),
                rejected(FashionGan::new, "--threads 0", "--threads must be >= 1, but was 0"),
                rejected(FashionGan::new, "--model resnet", "Invalid value for option '--model': expected one of"
                        + " [DCGAN, RESNET] (case-sensitive) but was 'resnet'"),

                rejected(ParallelLines::new, "--sweep-points -1",
                        "--sweep-points must be in [1, 1000000], but was -1"),
                rejected(ParallelLines::new, "--sweep-points 2000000",
                        "--sweep-points must be in [1, 1000000], but was 2000000"),
                rejected(ParallelLines::new, "--steps -5", "--steps must be >= 1, but was -5"),
                rejected(ParallelLines::new, "--steps 2147483647",
                        "--steps must be in [1, 1000000], but was 2147483647"),
                rejected(ParallelLines::new, "--steps 3000000000",
                        "--steps must be in [1, 1000000], but was 3000000000"),
                rejected(ParallelLines::new, "--threads 0", "--threads must be >= 1, but was 0"),

                rejected(TwoGaussians::new, "--threads 0", "--threads must be >= 1, but was 0"),
                rejected(DirtPiles::new, "--threads -1", "--threads must be >= 1, but was -1"),

                rejected(ClippingStudy::new, "--critic-updates 0", "--critic-updates must be >= 1, but was 0"),
                rejected(ClippingStudy::new, "--critic-updates -5", "--critic-updates must be >= 1, but was -5"),
                rejected(ClippingStudy::new, "--threads 0", "--threads must be >= 1, but was 0"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("rejectedValues")
    void rejectedValueNamesTheOptionPrintsTheUsageAndExitsWithTwo(String main, String args, Supplier<Object> command,
            String firstLine) {
        CommandOutcome outcome = CommandOutcome.of(command.get(), withOutput(args.split(" ")));

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isEqualTo(Launcher.USAGE_EXIT_CODE);
        assertThat(outcome.err()).startsWith(firstLine + System.lineSeparator()).contains("Usage: ");
        assertNoStackTrace(outcome);
        assertThat(folder.resolve("output")).as("a rejected command line writes nothing").doesNotExist();
    }

    static Stream<Arguments> mains() {
        return Stream.<Supplier<Object>>of(EightGaussians::new, ToyGan::new, FashionGan::new, ParallelLines::new,
                TwoGaussians::new, DirtPiles::new, ClippingStudy::new).map(main -> Arguments.of(
                        main.get().getClass().getSimpleName(), main));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mains")
    void outputThatIsAFileFailsAtOnceWithOneLineNamingIt(String main, Supplier<Object> command) throws IOException {
        Path file = Files.writeString(folder.resolve("a-file"), "kept");

        CommandOutcome outcome = CommandOutcome.of(command.get(), "--output", file.toString());

        assertFailedOnFile(outcome, "cannot write the output folder " + file.toAbsolutePath() + ": it is a file, not"
                + " a folder; pass --output with a folder you can write to");
        assertThat(file).hasContent("kept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mains")
    void outputUnderAFileFailsAtOnceWithOneLineNamingTheFile(String main, Supplier<Object> command)
            throws IOException {
        Path file = Files.writeString(folder.resolve("a-file"), "kept");
        Path output = file.resolve("run");

        CommandOutcome outcome = CommandOutcome.of(command.get(), "--output", output.toString());

        assertFailedOnFile(outcome, "cannot write the output folder " + output.toAbsolutePath() + ": "
                + file.toAbsolutePath() + " is a file, not a folder; pass --output");
    }

    @Test
    void fashionGanWithoutItsDataSaysWhereAndWhatToInstall() throws IOException {
        Path data = Files.createDirectory(folder.resolve("no-data"));

        CommandOutcome outcome = fashion("--data", data.toString());

        assertFailedOnFile(outcome, data.resolve("train-images-idx3-ubyte.gz") + ": no such file; Fashion-MNIST is"
                + " packaged for Debian and Ubuntu: apt-get install dataset-fashion-mnist; or pass --data");
    }

    @Test
    void fashionGanWithCorruptDataNamesTheFileAndWhatToDo() throws IOException {
        Path data = Files.createDirectory(folder.resolve("corrupt"));
        for (String name : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.writeString(data.resolve(name), "not an idx file");
        }

        CommandOutcome outcome = fashion("--data", data.toString());

        assertFailedOnFile(outcome, data.resolve("train-images-idx3-ubyte.gz") + ": bad magic number");
        assertThat(outcome.err()).contains("; pass --data with a folder of intact Fashion-MNIST files");
    }

    @Test
    void fashionGanScoringMoreSamplesThanTrainingImagesIsRejectedBeforeTraining() throws IOException {
        CommandOutcome outcome = fashion("--data", tinyFashionMnist().toString(), "--evaluate-samples", "4");

        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err()).isEqualTo(Launcher.USAGE_EXIT_CODE);
        assertThat(outcome.err()).startsWith("--evaluate-samples must be <= 3 (the training images in --data), but"
                + " was 4" + System.lineSeparator()).contains("Usage: fashion-gan");
        assertNoStackTrace(outcome);
    }

    @Test
    void fashionGanRefusesAnotherRunsCheckpointsWithOneLine() throws IOException {
        Path output = folder.resolve("run");
        Files.createDirectories(output.resolve("checkpoints"));
        Files.writeString(output.resolve("checkpoints/checkpoint-000000000250.zip"), "another run's");

        CommandOutcome outcome = fashion("--output", output.toString());

        assertFailedOnFile(outcome, output.toAbsolutePath() + ": holds the checkpoints of an earlier run; pass --resume"
                + " to continue it, or another --output");
    }

    @Test
    void fashionGanResumingARunOfOtherSettingsNamesTheSettingWithOneLine() {
        Assumptions.assumeTrue(FashionMnist.isAvailable(FashionMnist.DEFAULT_DIRECTORY),
                "Fashion-MNIST is not installed; apt-get install dataset-fashion-mnist");
        Path output = folder.resolve("run");
        List<String> tiny = List.of("--steps", "1", "--batch-size", "4", "--critic-steps", "1", "--evaluate-samples",
                "0", "--output", output.toString());
        List<String> first = new ArrayList<>(tiny);
        first.addAll(List.of("--objective", "NON_SATURATING"));
        assertThat(fashion(first.toArray(String[]::new)).exitCode()).isZero();

        List<String> resumed = new ArrayList<>(tiny);
        resumed.add("--resume");
        CommandOutcome outcome = fashion(resumed.toArray(String[]::new));

        assertFailedOnFile(outcome, output.toAbsolutePath() + ": holds a run with other settings (objective: run"
                + " NON_SATURATING, now WGAN_GP); pass that run's options, or another --output");
    }

    @Test
    void fashionGanEvaluatingAMissingCheckpointSaysWhichAreKept() throws IOException {
        Path output = folder.resolve("run");
        Files.createDirectories(output.resolve("checkpoints"));
        Files.writeString(output.resolve("checkpoints/checkpoint-000000000250.zip"), "a run's");

        CommandOutcome nothing = fashion("--output", folder.resolve("empty").toString(), "--evaluate-only");
        CommandOutcome missing = fashion("--output", output.toString(), "--evaluate-only", "--at-step", "7");

        assertFailedOnFile(nothing, folder.resolve("empty/checkpoints").toAbsolutePath() + ": no checkpoint to"
                + " evaluate; train first, or pass the --output of a run that kept checkpoints");
        assertFailedOnFile(missing, output.resolve("checkpoints/checkpoint-000000000007.zip").toAbsolutePath()
                + ": no checkpoint of generator step 7; the folder holds [checkpoint-000000000250.zip]; pass --at-step"
                + " with the step of one of those");
    }

    @Test
    void fashionGanResumingFromAnUnreadableCheckpointNamesItWithOneLine() throws IOException {
        Path output = folder.resolve("run");
        String[] run = {"--data", tinyFashionMnist().toString(), "--output", output.toString(), "--steps", "2",
            "--checkpoint-every", "2", "--batch-size", "2", "--critic-steps", "1", "--evaluate-samples", "0"};
        assertThat(fashion(run).exitCode()).isZero();
        Path checkpoint = output.resolve("checkpoints/checkpoint-000000000002.zip");
        Files.writeString(checkpoint, "not a zip");

        String[] resumed = Arrays.copyOf(run, run.length + 1);
        resumed[run.length] = "--resume";
        CommandOutcome outcome = fashion(resumed);

        assertFailedOnFile(outcome, "no readable checkpoint in " + checkpoint.getParent());
        assertThat(outcome.err()).contains(checkpoint.toString());
    }

    /** FashionGan with a small model into the test's folder, unless the arguments name another. */
    private CommandOutcome fashion(String... args) {
        List<String> all = new ArrayList<>(List.of("--no-progress", "--width", "2", "--classifier-cache",
                folder.resolve("classifier.zip").toString()));
        all.addAll(List.of(args));
        if (!all.contains("--output")) {
            all.addAll(List.of("--output", folder.resolve("output").toString()));
        }
        return CommandOutcome.of(new FashionGan(), all.toArray(String[]::new));
    }

    /** The arguments with {@code --output} in the test's folder, so that a command that runs writes nothing else. */
    private String[] withOutput(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--output", folder.resolve("output").toString()));
        return all.toArray(String[]::new);
    }

    /** Four well-formed IDX files, uncompressed under the .gz names: 3 training and 2 test images, all black. */
    private Path tinyFashionMnist() throws IOException {
        Path data = Files.createDirectories(folder.resolve("tiny"));
        for (String split : List.of("train", "t10k")) {
            int count = split.equals("train") ? 3 : 2;
            Files.write(data.resolve(split + "-images-idx3-ubyte.gz"), idx(0x0803, new int[] {count, 28, 28},
                    new byte[count * 28 * 28]));
            Files.write(data.resolve(split + "-labels-idx1-ubyte.gz"), idx(0x0801, new int[] {count},
                    new byte[count]));
        }
        return data;
    }

    private static byte[] idx(int magic, int[] dimensions, byte[] data) {
        ByteBuffer bytes = ByteBuffer.allocate(4 + 4 * dimensions.length + data.length).putInt(magic);
        for (int size : dimensions) {
            bytes.putInt(size);
        }
        return bytes.put(data).array();
    }

    /** Exit code 1, one line on stderr that starts with {@code start}, no usage, no stack trace. */
    private static void assertFailedOnFile(CommandOutcome outcome, String start) {
        assertThat(outcome.exitCode()).as("exit code; stderr:%n%s", outcome.err())
                .isEqualTo(Launcher.IO_ERROR_EXIT_CODE);
        assertThat(outcome.err()).startsWith(start).doesNotContain("Usage:");
        assertThat(outcome.err().strip()).as("one line").doesNotContain("\n");
        assertNoStackTrace(outcome);
    }

    private static void assertNoStackTrace(CommandOutcome outcome) {
        assertThat(outcome.err()).doesNotContain("\tat ").doesNotContain("at org.").doesNotContain("at java.")
                .doesNotContain("Exception in thread").doesNotContain("Exception:");
    }
}
