package org.wgan.examples.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.wgan.examples.cli.Wgan;
import picocli.CommandLine;

/**
 * The README's commands that run examples stay true: the classes they name (and the POM's default,
 * {@code exec.mainClass}) are mains, and the options in their {@code -Dexec.args} parse.
 */
class ReadmeCommandsTest {

    private static final Pattern MAIN_CLASS = Pattern.compile("-Dexec\\.mainClass=([\\w.<>]+)");
    private static final Pattern ARGS = Pattern.compile("-Dexec\\.args=\"([^\"]*)\"");
    private static final Pattern DEMO_HEADING = Pattern.compile("^### .*\\(`(\\w+)`\\)$");

    /** A command of the README: the main it runs and the arguments it passes. */
    private record Run(String mainClass, String args) {
    }

    private static String readme() throws IOException {
        return Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
    }

    private static String defaultMainClass() throws IOException {
        Matcher matcher = Pattern.compile("<exec\\.mainClass>(.+)</exec\\.mainClass>")
                .matcher(Files.readString(Path.of("pom.xml"), StandardCharsets.UTF_8));
        assertThat(matcher.find()).as("exec.mainClass in wgan-examples/pom.xml").isTrue();
        return matcher.group(1);
    }

    /** Every {@code -Dexec.args} of the README with the main it goes to (the POM's default where none is named). */
    private static List<Run> runs() throws IOException {
        List<String> demos = new ArrayList<>();
        for (String line : readme().split("\n")) {
            Matcher demo = DEMO_HEADING.matcher(line);
            if (demo.matches()) {
                demos.add(demo.group(1));
            }
        }
        List<Run> runs = new ArrayList<>();
        for (String command : readme().replace("\\\n", " ").split("\n")) {
            Matcher main = MAIN_CLASS.matcher(command);
            Matcher args = ARGS.matcher(command);
            String given = args.find() ? args.group(1) : "";
            if (main.find()) {
                String name = main.group(1);
                for (String demo : name.endsWith("<Demo>") ? demos : List.of("")) {
                    runs.add(new Run(name.replace("<Demo>", demo), given));
                }
            } else if (command.contains("exec:java") || command.contains("-Dexec.args=\"")) {
                runs.add(new Run(defaultMainClass(), given));
            }
        }
        return runs;
    }

    @Test
    void thePomsDefaultMainIsTheEightGaussiansExample() throws Exception {
        assertThat(defaultMainClass()).isEqualTo("org.wgan.examples.toy.EightGaussians");
    }

    @Test
    void everyDocumentedCommandNamesAMainThatAcceptsItsArguments() throws Exception {
        List<Run> runs = runs();

        assertThat(runs).extracting(Run::mainClass).contains("org.wgan.examples.toy.EightGaussians",
                "org.wgan.examples.toy.ToyGan", "org.wgan.examples.fashion.FashionGan",
                "org.wgan.examples.demos.ParallelLines", "org.wgan.examples.demos.TwoGaussians",
                "org.wgan.examples.demos.DirtPiles", "org.wgan.examples.demos.ClippingStudy");
        for (Run run : runs) {
            Class<?> type = Class.forName(run.mainClass());
            Method main = type.getMethod("main", String[].class);
            assertThat(Modifier.isStatic(main.getModifiers())).as(run.mainClass() + ".main is static").isTrue();
            Object command = type.getDeclaredConstructor().newInstance();
            String[] args = run.args().isBlank() ? new String[0] : run.args().trim().split("\\s+");
            new CommandLine(command).parseArgs(args); // throws on an option the main does not know
        }
    }

    @Test
    void everyDocumentedWganCommandParses() throws Exception {
        List<String> commands = new ArrayList<>();
        for (String line : readme().split("\n")) {
            if (line.startsWith("wgan ")) {
                commands.add(line.replaceAll("\\s+#.*$", "").replace("~/", "/home/user/"));
            }
        }

        assertThat(commands).hasSizeGreaterThanOrEqualTo(5).anyMatch(c -> c.startsWith("wgan train --images"))
                .anyMatch(c -> c.startsWith("wgan export")).anyMatch(c -> c.startsWith("wgan sample --model"));
        for (String command : commands) {
            String[] args = command.substring("wgan ".length()).trim().split("\\s+");
            new CommandLine(new Wgan()).parseArgs(args);
        }
    }
}
