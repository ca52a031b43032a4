package org.wgan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.examples.support.CommandOutcome;
import org.wgan.examples.support.Launcher;
import org.wgan.ui.ValueSurface;
import picocli.CommandLine;

/** {@code wgan train --ui} and {@code wgan ui}: the live page of a run, served from it or from its folder. */
class WganUiTest {

    private static final Pattern ADDRESS = Pattern.compile("open (http://127\\.0\\.0\\.1:(\\d+)/)");

    @TempDir
    Path dir;

    private static CommandOutcome wgan(String... args) {
        return CommandOutcome.of(new Wgan(), args);
    }

    /** 200 rows around two points, a 2-column CSV run's data. */
    private Path rows() throws IOException {
        Random random = new Random(3);
        StringBuilder csv = new StringBuilder("x,y\n");
        for (int i = 0; i < 200; i++) {
            double centre = i % 2 == 0 ? -1 : 1;
            csv.append(String.format(Locale.ROOT, "%.4f,%.4f%n", 10 + centre + 0.1 * random.nextGaussian(),
                    -5 + 2 * centre + 0.1 * random.nextGaussian()));
        }
        return Files.writeString(dir.resolve("rows.csv"), csv);
    }

    private String[] train(Path run, String... extra) throws IOException {
        List<String> args = new java.util.ArrayList<>(List.of("train", "--data-csv", rows().toString(), "--steps",
                "4", "--critic-steps", "1", "--batch-size", "16", "--width", "16", "--latent-size", "4",
                "--checkpoint-every", "2", "--sample-every", "2", "--no-progress", "--output", run.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                .send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void trainWithUiServesThePageWhileItTrainsClosesItAfterAndWritesTheCriticSurface() throws Exception {
        Path run = dir.resolve("run");

        CommandOutcome trained = wgan(train(run, "--ui", "--ui-port", "0"));

        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Matcher address = ADDRESS.matcher(trained.out());
        assertThat(address.find()).as(trained.out()).isTrue();
        assertThat(trained.out()).contains("wgan ui --run " + run);
        // the page went with the run
        assertThatThrownBy(() -> get(address.group(1) + "api/state")).isInstanceOf(ConnectException.class);
        // the heat map of a 2-column run, in the file's units about each column's mean
        List<String> surface = Files.readAllLines(run.resolve(ValueSurface.fileName(4)));
        assertThat(surface.get(0)).isEqualTo(ValueSurface.HEADER);
        String[] bounds = surface.get(1).split(",");
        assertThat(Double.parseDouble(bounds[0])).isLessThan(8).isGreaterThan(5);
        assertThat(Double.parseDouble(bounds[1])).isGreaterThan(12).isLessThan(15);
        assertThat(Double.parseDouble(bounds[2])).isLessThan(-10);
        assertThat(Double.parseDouble(bounds[3])).isGreaterThan(0);
        assertThat(bounds[4]).isEqualTo(Integer.toString(ImageRun.SURFACE_POINTS));
        assertThat(surface).hasSize(2 + ImageRun.SURFACE_POINTS);
        assertThat(surface.get(2).split(",")).hasSize(ImageRun.SURFACE_POINTS);
        assertThat(run.resolve(ValueSurface.fileName(2))).exists();
    }

    @Test
    void uiServesTheRunFolderUntilInterrupted() throws Exception {
        Path run = dir.resolve("run");
        assertThat(wgan(train(run)).exitCode()).isZero();
        StringWriter out = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread serving = new Thread(() -> {
            CommandLine commandLine = Launcher.commandLine(new Wgan());
            commandLine.setOut(new PrintWriter(out, true));
            commandLine.setErr(new PrintWriter(new StringWriter(), true));
            exit.set(commandLine.execute("ui", "--run", run.toString(), "--port", "0"));
        });
        serving.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Matcher address = ADDRESS.matcher("");
        while (!address.reset(out.toString()).find() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(address.reset(out.toString()).find()).as(out.toString()).isTrue();

        HttpResponse<String> settings = get(address.group(1) + "api/run");
        HttpResponse<String> history = get(address.group(1) + "api/history?from=0");

        assertThat(settings.statusCode()).isEqualTo(200);
        assertThat(settings.body()).contains("rows.csv");
        assertThat(history.statusCode()).isEqualTo(200);
        // the four steps of history.csv, one row each
        assertThat(history.body()).contains("\"rows\":[[1,", "],[4,").doesNotContain("[5,");
        assertThat(serving.isAlive()).as("still serving").isTrue();
        serving.interrupt();
        serving.join(10_000);
        assertThat(serving.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void badUiOptionsAreUsageErrors() throws Exception {
        wgan("ui", "--run", dir.resolve("missing").toString())
                .assertRejectedWith("--run " + dir.resolve("missing") + ": no such folder");
        wgan("ui", "--run", dir.toString())
                .assertRejectedWith("--run " + dir + " holds no run.json; pass the --output folder of wgan train");
        wgan(train(dir.resolve("a"), "--ui-port", "7401"))
                .assertRejectedWith("--ui-port sets up the live page: add --ui");
        wgan(train(dir.resolve("b"), "--ui", "--ui-port", "70000"))
                .assertRejectedWith("--ui-port must be in 0..65535 (0: any free port), but was 70000");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            CommandOutcome busy = wgan(train(dir.resolve("c"), "--ui", "--ui-port", Integer.toString(port)));
            assertThat(busy.exitCode()).isEqualTo(Launcher.USAGE_EXIT_CODE);
            assertThat(busy.err()).startsWith("--ui-port " + port + ": cannot serve the page on 127.0.0.1:" + port)
                    .doesNotContain("\tat ");
        }
        assertThat(dir.resolve("c").resolve("checkpoints")).doesNotExist();
        // a documentation address (RFC 5737 TEST-NET-2), on no interface of this machine
        wgan(train(dir.resolve("d"), "--ui", "--ui-host", "198.51.100.77"))
                .assertRejectedWith("--ui-host 198.51.100.77: not an address of this machine (pass one of its own,"
                        + " 0.0.0.0 for all of them, or leave the default 127.0.0.1)");
    }
}
