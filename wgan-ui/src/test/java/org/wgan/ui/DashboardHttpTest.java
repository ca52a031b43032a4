package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rule of the dashboard's HTTP server, against a real one on a free port. */
class DashboardHttpTest {

    @TempDir
    Path temp;

    private Path folder;
    private RunDashboard dashboard;
    private HttpClient client;
    private int port;

    @BeforeEach
    void start() throws IOException {
        folder = FakeRun.create(temp.resolve("shoes"), 1000);
        FakeRun.append(folder, FakeRun.rows(1, 30));
        // written a minute ago
        for (Path grid : new Path[] {FakeRun.grid(folder, 20, false), FakeRun.grid(folder, 20, true)}) {
            Files.setLastModifiedTime(grid, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        }
        // lookalikes of a sample file that are not one, and a secret beside the folder
        Files.writeString(folder.resolve("samples-000020.txt"), "not a sample");
        Files.writeString(temp.resolve("secret.txt"), "secret");
        dashboard = RunDashboard.builder(folder).port(0).pollInterval(Duration.ofMillis(50)).build();
        dashboard.start();
        port = URI.create(dashboard.url()).getPort();
        client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterEach
    void stop() {
        dashboard.close();
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(URI.create(dashboard.url()).resolve(path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageWithAContentSecurityPolicy() throws Exception {
        HttpResponse<String> page = get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .startsWith("default-src 'self'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(page.body()).contains("<script src=\"app.js\"", "app.css").doesNotContain("http://", "https://");
        assertThat(get("/app.js").headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(get("/app.js").body()).contains("EventSource", "transport");
        assertThat(get("/app.css").headers().firstValue("Content-Type")).hasValue("text/css; charset=utf-8");
    }

    @Test
    void runHoldsTheSettingsAndTheFingerprint() throws Exception {
        HttpResponse<String> run = get("/api/run");
        assertThat(run.statusCode()).isEqualTo(200);
        assertThat(run.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        assertThat(run.body()).contains("\"folder\":\"shoes\"", "\"fingerprint\":\"" + FakeRun.FINGERPRINT + "\"",
                "\"objective\":\"WGAN_GP\"", "\"steps\":1000");
    }

    @Test
    void stateGivesTheStepTheStepTimeAndTheEta() throws Exception {
        String state = get("/api/state").body();
        // 30 steps of 0.02 s done, 970 to go
        assertThat(state).contains("\"step\":30", "\"totalSteps\":1000", "\"stepSeconds\":0.02",
                "\"etaSeconds\":19.4", "\"latestSample\":\"samples-000020.png\"");
        assertThat(state).containsPattern("\"status\":\"(running|idle)\"");
    }

    @Test
    void historyGivesTheRowsAfterAStep() throws Exception {
        String all = get("/api/history").body();
        assertThat(all).startsWith("{\"epoch\":").contains("[1,", "[30,").endsWith("\"more\":false}");
        String after = get("/api/history?from=28").body();
        assertThat(after).doesNotContain("[28,").contains("[29,", "[30,");
        assertThat(get("/api/history?from=30").body()).contains("\"rows\":[]");
        assertThat(get("/api/history?from=x").statusCode()).isEqualTo(400);
    }

    @Test
    void samplesListsOnlyTheGridFiles() throws Exception {
        String samples = get("/api/samples").body();
        assertThat(samples).contains("\"name\":\"samples-000020.png\",\"step\":20,\"kind\":\"samples\","
                + "\"ema\":false,\"format\":\"png\"", "samples-000020-ema.png").doesNotContain("txt", "history");
    }

    @Test
    void servesAGridAsItIsOnDisk() throws Exception {
        HttpResponse<byte[]> grid = client.send(HttpRequest.newBuilder(URI.create(dashboard.url()
                + "samples/samples-000020-ema.png")).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(grid.statusCode()).isEqualTo(200);
        assertThat(grid.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(grid.body()).isEqualTo(Files.readAllBytes(folder.resolve("samples-000020-ema.png")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/samples/samples-000020.txt", "/samples/run.json", "/samples/history.csv",
        "/samples/samples-000099.png", "/samples/", "/samples", "/run.json", "/history.csv", "/nothing",
        "/api/nothing", "/samples/samples-20.png"})
    void answersNotFoundOutsideTheWhitelist(String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertThat(answer.statusCode()).as(path).isEqualTo(404);
        assertThat(answer.body()).doesNotContain("secret", "WGAN_GP");
    }

    @Test
    void neverFollowsALinkOutOfTheFolder() throws Exception {
        Files.createSymbolicLink(folder.resolve("samples-000030.png"), temp.resolve("secret.txt"));
        assertThat(get("/samples/samples-000030.png").statusCode()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../../etc/passwd", "/samples/../run.json", "/samples/..%2frun.json",
        "/%2e%2e/%2e%2e/etc/passwd", "/samples/%2E%2E%2Fsecret.txt", "/samples/..\\secret.txt",
        "/samples\\..\\run.json", "/samples//etc/passwd", "/samples/samples-000020.png%00.txt"})
    void refusesTraversal(String path) throws Exception {
        String status = FakeRun.raw(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close\r\n\r\n");
        assertThat(status).as(path).matches("HTTP/1\\.1 40[04] .*");
    }

    @Test
    void answersOnlyGetAndHead() throws Exception {
        for (String method : new String[] {"POST", "PUT", "DELETE", "OPTIONS", "PATCH"}) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(URI.create(dashboard.url() + "api/state"))
                    .method(method, HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(method).isEqualTo(405);
            assertThat(answer.headers().firstValue("Allow")).hasValue("GET, HEAD");
        }
        assertThat(FakeRun.raw(port, "TRACE / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 405");
    }

    @Test
    void headGivesTheLengthWithoutTheBody() throws Exception {
        HttpResponse<String> head = client.send(HttpRequest.newBuilder(URI.create(dashboard.url()))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValueAsLong("Content-Length")).hasValue(get("/").body().getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void refusesALongQuery() throws Exception {
        String status = FakeRun.raw(port, "GET /api/history?from=1&pad=" + "a".repeat(8000) + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
        assertThat(status).matches("HTTP/1\\.1 (414|400) .*");
        assertThat(get("/api/history?from=1&pad=" + "a".repeat(3000)).statusCode()).isEqualTo(414);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "evil.example:7400", "127.0.0.1.evil.example", "localhost.evil.example"})
    void refusesAnotherHostName(String host) throws Exception {
        String status = FakeRun.raw(port, "GET /api/run HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        assertThat(status).as(host).startsWith("HTTP/1.1 403");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "localhost", "LOCALHOST", "[::1]"})
    void answersLoopbackNames(String host) throws Exception {
        String status = FakeRun.raw(port, "GET /api/run HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\nConnection: close\r\n\r\n");
        assertThat(status).as(host).startsWith("HTTP/1.1 200");
    }

    @Test
    void answersTheBoundHostNameAndIpAddressesOnly() {
        DashboardHttp http = new DashboardHttp(folder, new RunModel(folder, new LiveFeed()),
                new EventStream(Duration.ofSeconds(1)), java.util.Set.of("box.lan"), 100);
        assertThat(http.hostAllowed("box.lan:7400")).isTrue();
        assertThat(http.hostAllowed("BOX.LAN")).isTrue();
        assertThat(http.hostAllowed("192.168.1.20:7400")).isTrue();
        assertThat(http.hostAllowed("[fe80::1]:7400")).isTrue();
        assertThat(http.hostAllowed("box.lan.evil.example")).isFalse();
        assertThat(http.hostAllowed("")).isFalse();
        assertThat(http.hostAllowed(null)).isFalse();
    }

    @Test
    void refusesARequestWithoutHost() throws Exception {
        assertThat(FakeRun.raw(port, "GET /api/run HTTP/1.0\r\n\r\n")).startsWith("HTTP/1.1 403");
    }
}
