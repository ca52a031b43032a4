package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/**
 * The page in a real browser, headless Chromium driven over the DevTools protocol (the JDK's WebSocket): a fake run
 * is written while the page is open, and the page must load the grid, draw the charts, follow the steps, and look like
 * something. Skipped where Chromium is not installed ({@code apt-get install chromium}; .ci/run installs it).
 */
class BrowserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final StopHandle NO_STOP = reason -> {
        throw new AssertionError("the dashboard never stops training");
    };
    /** What the tests look at, or {@code "{}"} before the page has loaded. */
    private static final String PROBE = "document.readyState !== 'complete' || document.getElementById('grid') === null"
            + " ? '{}' : JSON.stringify({"
            + "grid: document.getElementById('grid').naturalWidth,"
            + "src: document.getElementById('grid').getAttribute('src'),"
            + "gridShown: !document.getElementById('grid-figure').hidden,"
            + "ema: document.getElementById('grid-ema').naturalWidth,"
            + "charts: Array.from(document.querySelectorAll('canvas.chart'))"
            + ".filter(c => Number(c.dataset.points) > 0).length,"
            + "step: document.getElementById('step').textContent,"
            + "status: document.getElementById('status').textContent,"
            + "transport: document.getElementById('transport').textContent,"
            + "fingerprint: document.getElementById('fingerprint').textContent,"
            + "settings: document.querySelectorAll('#settings tr').length})";

    @TempDir
    Path temp;

    private Path folder;
    private RunDashboard dashboard;
    private Process chromium;
    private DevTools page;

    @BeforeEach
    void start() throws Exception {
        Optional<Path> binary = chromium();
        Assumptions.assumeTrue(binary.isPresent(), "chromium is not installed (apt-get install chromium, as .ci/run"
                + " does): skipping the browser test of the dashboard page");
        folder = FakeRun.create(temp.resolve("shoes"), 1000);
        FakeRun.append(folder, FakeRun.rows(1, 10));
        FakeRun.grid(folder, 10, false);
        FakeRun.grid(folder, 10, true);
        dashboard = RunDashboard.builder(folder).port(0).pollInterval(Duration.ofMillis(100)).build();
        dashboard.start();
        chromium = new ProcessBuilder(binary.get().toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1280,1400",
                "--user-data-dir=" + temp.resolve("profile"), "about:blank").redirectOutput(
                        ProcessBuilder.Redirect.DISCARD).start();
        URI browser = devToolsAddress(chromium);
        page = DevTools.connect(pageTarget(browser));
        page.call("Page.enable", JSON.createObjectNode());
        page.call("Runtime.enable", JSON.createObjectNode());
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (page != null) {
            page.close();
        }
        if (chromium != null) {
            // all of the browser's processes gone before @TempDir deletes the profile they write
            List<ProcessHandle> processes = new ArrayList<>(chromium.descendants().toList());
            processes.add(chromium.toHandle());
            processes.forEach(ProcessHandle::destroy);
            for (ProcessHandle process : processes) {
                try {
                    process.onExit().get(10, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    process.destroyForcibly();
                }
            }
        }
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @Test
    void thePageFollowsARunBeingWritten() throws Exception {
        page.call("Page.navigate", JSON.createObjectNode().put("url", dashboard.url()));
        JsonNode first = awaitPage(p -> p.get("grid").asInt() > 0 && p.get("step").asText().equals("10"));
        assertThat(first.get("gridShown").asBoolean()).isTrue();
        assertThat(first.get("ema").asInt()).isEqualTo(128);
        assertThat(first.get("grid").asInt()).isEqualTo(128);
        assertThat(first.get("fingerprint").asText()).isEqualTo(FakeRun.FINGERPRINT);
        assertThat(first.get("settings").asInt()).isGreaterThanOrEqualTo(5);

        // training goes on: steps through the listener, a newer grid on disk, the history flushed later
        TrainerListener listener = dashboard.listener();
        for (long s = 11; s <= 60; s++) {
            listener.onGeneratorStep(FakeRun.event(s - 1), NO_STOP);
        }
        FakeRun.grid(folder, 60, false);
        JsonNode live = awaitPage(p -> p.get("step").asText().equals("60") && p.get("charts").asInt() >= 3
                && p.get("src").asText().equals("samples/samples-000060.png") && p.get("grid").asInt() > 0);
        assertThat(live.get("transport").asText()).isEqualTo("live");
        assertThat(live.get("status").asText()).isEqualTo("running");
        FakeRun.append(folder, FakeRun.rows(11, 60));

        BufferedImage shot = screenshot();
        assertThat(shot.getWidth()).isGreaterThan(600);
        assertThat(luminanceVariance(shot)).as("variance of the screenshot's luminance").isGreaterThan(100);
        ImageIO.write(shot, "png", Path.of("target", "dashboard-screenshot.png").toFile());
    }

    @Test
    void thePagePollsWhenAsked() throws Exception {
        page.call("Page.navigate", JSON.createObjectNode().put("url", dashboard.url() + "?transport=poll"));
        awaitPage(p -> p.get("step").asText().equals("10"));
        for (long s = 11; s <= 25; s++) {
            dashboard.listener().onGeneratorStep(FakeRun.event(s - 1), NO_STOP);
        }
        JsonNode polled = awaitPage(p -> p.get("step").asText().equals("25"));
        assertThat(polled.get("transport").asText()).startsWith("polling every");
        assertThat(polled.get("charts").asInt()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void thePageSurvivesAResumedRun() throws Exception {
        page.call("Page.navigate", JSON.createObjectNode().put("url", dashboard.url()));
        awaitPage(p -> p.get("step").asText().equals("10"));
        // --resume from a checkpoint at step 5: the history is cut back, then training goes on from there
        Files.writeString(folder.resolve("history.csv"), Row.HEADER + "\n" + FakeRun.rows(1, 5));
        Thread.sleep(300);
        for (long s = 6; s <= 8; s++) {
            dashboard.listener().onGeneratorStep(FakeRun.event(s - 1), NO_STOP);
        }
        awaitPage(p -> p.get("step").asText().equals("8"));
        JsonNode rows = page.evaluate("fetch('api/history').then(r => r.json()).then(h => h.rows.length)");
        assertThat(rows.asInt()).isEqualTo(8);
    }

    @Test
    void theCriticSurfaceIsDrawnUnderTheSamplesOfCsvData() throws Exception {
        StringBuilder rows = new StringBuilder("x,y\n");
        Random random = new Random(3);
        for (int i = 0; i < 64; i++) {
            rows.append(random.nextGaussian()).append(',').append(random.nextGaussian()).append('\n');
        }
        Files.writeString(folder.resolve("samples-000070.csv"), rows);
        int n = 32;
        float[] values = new float[n * n];
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                values[j * n + i] = (float) (i - j) / n;
            }
        }
        ValueSurface.write(folder.resolve(ValueSurface.fileName(70)), -3, 3, -3, 3, n, values);
        page.call("Page.navigate", JSON.createObjectNode().put("url", dashboard.url()));
        awaitPage(p -> p.get("step").asText().equals("10"));
        String drawn = "(() => { const c = document.getElementById('surface');"
                + " if (document.getElementById('surface-figure').hidden) { return 'hidden'; }"
                + " const d = c.getContext('2d').getImageData(4, 4, 1, 1).data;"
                + " return c.dataset.points + ' ' + d[0] + ',' + d[1] + ',' + d[2]; })()";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String surface = "";
        while (System.nanoTime() < deadline && !surface.startsWith("64 ")) {
            surface = page.evaluate(drawn).asText();
            Thread.sleep(100);
        }
        assertThat(surface).startsWith("64 ").isNotEqualTo("64 255,255,255");
        assertThat(page.evaluate("document.getElementById('grid-figure').hidden").asBoolean()).isTrue();
        ImageIO.write(screenshot(), "png", Path.of("target", "dashboard-surface-screenshot.png").toFile());
    }

    private interface Check {
        boolean test(JsonNode probe);
    }

    private JsonNode awaitPage(Check check) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = JSON.readTree(page.evaluate(PROBE).asText());
            if (last.has("grid") && check.test(last)) {
                return last;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the page did not reach the expected state in 20 s; it showed " + last);
    }

    private BufferedImage screenshot() throws Exception {
        JsonNode shot = page.call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
        byte[] png = Base64.getDecoder().decode(shot.get("data").asText());
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static double luminanceVariance(BufferedImage image) {
        double sum = 0;
        double squares = 0;
        long n = 0;
        for (int y = 0; y < image.getHeight(); y += 2) {
            for (int x = 0; x < image.getWidth(); x += 2) {
                int rgb = image.getRGB(x, y);
                double l = 0.299 * ((rgb >> 16) & 0xFF) + 0.587 * ((rgb >> 8) & 0xFF) + 0.114 * (rgb & 0xFF);
                sum += l;
                squares += l * l;
                n++;
            }
        }
        double mean = sum / n;
        return squares / n - mean * mean;
    }

    private static Optional<Path> chromium() {
        String configured = System.getProperty("wgan.chromium");
        if (configured != null) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            for (String name : new String[] {"chromium", "chromium-browser"}) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Reads Chromium's stderr until it says where its DevTools server listens, then drains the rest. */
    private static URI devToolsAddress(Process process) throws Exception {
        CompletableFuture<URI> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                StringBuilder seen = new StringBuilder();
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher m = DEVTOOLS.matcher(line);
                    if (m.find()) {
                        address.complete(URI.create(m.group(1)));
                    } else if (!address.isDone()) {
                        seen.append(line).append('\n');
                    }
                }
                address.completeExceptionally(new IOException("chromium ended without a DevTools address: " + seen));
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return address.get(30, TimeUnit.SECONDS);
    }

    /** The WebSocket address of the browser's first page (about:blank). */
    private static URI pageTarget(URI browser) throws Exception {
        URI list = URI.create("http://" + browser.getHost() + ":" + browser.getPort() + "/json/list");
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(list).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode target : targets) {
                if (target.path("type").asText().equals("page")) {
                    return URI.create(target.get("webSocketDebuggerUrl").asText());
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("chromium has no page target at " + list);
    }

    /** A minimal DevTools client: one command at a time is enough here, but answers are matched by id. */
    private static final class DevTools implements WebSocket.Listener {

        private final Map<Integer, CompletableFuture<JsonNode>> answers = new ConcurrentHashMap<>();
        private final AtomicInteger ids = new AtomicInteger();
        private final StringBuilder frame = new StringBuilder();
        private WebSocket socket;

        static DevTools connect(URI address) throws Exception {
            DevTools devTools = new DevTools();
            devTools.socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(address, devTools)
                    .get(10, TimeUnit.SECONDS);
            return devTools;
        }

        JsonNode call(String method, ObjectNode params) throws Exception {
            int id = ids.incrementAndGet();
            CompletableFuture<JsonNode> answer = new CompletableFuture<>();
            answers.put(id, answer);
            ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
            message.set("params", params);
            socket.sendText(message.toString(), true).get(10, TimeUnit.SECONDS);
            JsonNode reply = answer.get(20, TimeUnit.SECONDS);
            if (reply.has("error")) {
                throw new AssertionError(method + " failed: " + reply.get("error"));
            }
            return reply.get("result");
        }

        /** The value of a JavaScript expression in the page (awaited when it is a promise). */
        JsonNode evaluate(String expression) throws Exception {
            JsonNode result = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                    .put("returnByValue", true).put("awaitPromise", true));
            if (result.has("exceptionDetails")) {
                throw new AssertionError(expression + " threw " + result.get("exceptionDetails"));
            }
            return result.path("result").path("value");
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frame.append(data);
            if (last) {
                try {
                    JsonNode message = JSON.readTree(frame.toString());
                    if (message.has("id")) {
                        CompletableFuture<JsonNode> answer = answers.remove(message.get("id").asInt());
                        if (answer != null) {
                            answer.complete(message);
                        }
                    }
                } catch (IOException e) {
                    answers.values().forEach(a -> a.completeExceptionally(e));
                }
                frame.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void close() {
            socket.abort();
        }
    }
}
