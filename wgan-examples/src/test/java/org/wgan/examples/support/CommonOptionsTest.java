package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class CommonOptionsTest {

    @Command(name = "some-demo")
    static final class Holder {
        @Mixin
        private final CommonOptions common = new CommonOptions();
    }

    private static CommonOptions parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.common;
    }

    @Test
    void defaultsAreSeedOneOneThreadAndAFolderNamedAfterTheCommand() {
        CommonOptions common = parse();

        assertThat(common.seed()).isEqualTo(1);
        assertThat(common.threads()).isEqualTo(1);
        assertThat(common.folder()).isEqualTo(Path.of("wgan-output", "some-demo"));
        assertThat(common.folder("wgan_gp")).isEqualTo(Path.of("wgan-output", "some-demo", "wgan_gp"));
    }

    @Test
    void givenValuesWinAndAGivenFolderIsUsedAsItIs() {
        CommonOptions common = parse("--seed", "-3", "--threads", "2", "--output", "/tmp/run");

        assertThat(common.seed()).isEqualTo(-3);
        assertThat(common.threads()).isEqualTo(2);
        assertThat(common.folder("wgan_gp")).isEqualTo(Path.of("/tmp/run"));
    }

    @Test
    void helpStatesTheCommandsDefaultFolder() {
        String usage = new CommandLine(new Holder()).getUsageMessage();

        assertThat(usage.replaceAll("\\s+", " ")).contains("--output=<folder>")
                .contains("(default: wgan-output/some-demo)")
                .contains("--seed=<seed>").contains("--threads=<threads>");
    }

    @Test
    void rejectsFewerThanOneThreadNamingTheOption() {
        CommonOptions common = parse("--threads", "0");

        assertThatThrownBy(common::threads).isInstanceOf(InvalidOptionException.class)
                .hasMessage("--threads must be >= 1, but was 0");
        assertThatThrownBy(common::applyThreads).hasMessage("--threads must be >= 1, but was 0");
    }

    @Test
    void outsidePicocliTheDefaultFolderIsRefusedWithAReason() {
        assertThatThrownBy(() -> new CommonOptions().folder()).isInstanceOf(IllegalStateException.class)
                .hasMessage("--output has no default outside a picocli command; pass --output");
    }

    @Test
    void writableFolderIsCreatedWithTheFoldersAboveItAndLeftEmpty(@TempDir Path temp) throws IOException {
        Path folder = temp.resolve("a/b");

        assertThat(parse("--output", folder.toString()).writableFolder()).isEqualTo(folder);
        assertThat(folder).isEmptyDirectory();
        assertThat(CommonOptions.requireWritable(folder)).isEqualTo(folder);
        assertThat(folder).isEmptyDirectory();
    }

    @Test
    void folderThatIsAFileOrLiesUnderOneIsRefusedNamingBoth(@TempDir Path temp) throws IOException {
        Path file = Files.writeString(temp.resolve("f"), "kept");

        assertThatThrownBy(() -> CommonOptions.requireWritable(file)).isInstanceOf(IOException.class)
                .hasMessage("cannot write the output folder " + file + ": it is a file, not a folder; pass --output"
                        + " with a folder you can write to (it is created if missing)");
        assertThatThrownBy(() -> CommonOptions.requireWritable(file.resolve("x/y")))
                .hasMessageStartingWith("cannot write the output folder " + file.resolve("x/y") + ": " + file
                        + " is a file, not a folder; pass --output");
        assertThat(file).hasContent("kept");
    }

    @Test
    void writableFolderChecksTheThreadsFirstSoARejectedCommandLineCreatesNothing(@TempDir Path temp) {
        Path folder = temp.resolve("run");

        assertThatThrownBy(() -> parse("--threads", "0", "--output", folder.toString()).writableFolder())
                .isInstanceOf(InvalidOptionException.class);
        assertThat(folder).doesNotExist();
    }
}
