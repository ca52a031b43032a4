package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/** Server-sent events: clients are told of the listener's steps, and no client can slow the listener. */
class EventStreamTest {

    private static final StopHandle NO_STOP = reason -> {
        throw new AssertionError("the dashboard never stops training");
    };

    @TempDir
    Path temp;

    private RunDashboard dashboard;
    private int port;
    private final HttpClient client = HttpClient.newHttpClient();
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        Path folder = FakeRun.create(temp.resolve("run"), 200_000);
        dashboard = RunDashboard.builder(folder).port(0).pollInterval(Duration.ofMillis(20)).build();
        dashboard.start();
        port = URI.create(dashboard.url()).getPort();
    }

    @AfterEach
    void stop() throws Exception {
        dashboard.close();
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** The data lines of the events of one client, as they arrive. */
    private BlockingQueue<String> subscribe() throws Exception {
        HttpResponse<Stream<String>> response = client.send(HttpRequest.newBuilder(URI.create(dashboard.url()
                + "events")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).get().asString().startsWith("text/event-stream");
        BlockingQueue<String> data = new LinkedBlockingQueue<>();
        Stream<String> lines = response.body();
        open.add(lines);
        Thread reader = new Thread(() -> {
            try {
                lines.filter(line -> line.startsWith("data: ")).forEach(line -> data.add(line.substring(6)));
            } catch (RuntimeException e) {
                // closed at the end of the test
            }
        }, "sse-reader");
        reader.setDaemon(true);
        reader.start();
        return data;
    }

    /** Waits for an event whose state has reached {@code step}. */
    private static String awaitStep(BlockingQueue<String> data, long step) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            String event = data.poll(100, TimeUnit.MILLISECONDS);
            if (event != null && event.contains("\"step\":" + step + ",")) {
                return event;
            }
        }
        throw new AssertionError("no event reached step " + step + " within 10 s");
    }

    private void train(TrainerListener listener, long fromStep, long toStep) {
        for (long s = fromStep; s <= toStep; s++) {
            listener.onGeneratorStep(FakeRun.event(s - 1), NO_STOP);
        }
    }

    @Test
    void aClientIsToldOfTheListenersSteps() throws Exception {
        BlockingQueue<String> events = subscribe();
        assertThat(events.poll(5, TimeUnit.SECONDS)).contains("\"step\":0,");
        train(dashboard.listener(), 1, 5);
        String update = awaitStep(events, 5);
        assertThat(update).contains("\"status\":\"", "\"epoch\":");
    }

    @Test
    void twoClientsAreBothTold() throws Exception {
        BlockingQueue<String> first = subscribe();
        BlockingQueue<String> second = subscribe();
        train(dashboard.listener(), 1, 3);
        awaitStep(first, 3);
        awaitStep(second, 3);
    }

    @Test
    void aClientThatLeavesMidStreamDisturbsNobody() throws Exception {
        BlockingQueue<String> staying = subscribe();
        try (Socket leaving = sseSocket(64 * 1024)) {
            InputStream in = leaving.getInputStream();
            byte[] head = new byte[64];
            assertThat(in.read(head)).isPositive();
            assertThat(new String(head, StandardCharsets.ISO_8859_1)).startsWith("HTTP/1.1 200");
        }
        train(dashboard.listener(), 1, 50);
        awaitStep(staying, 50);
        train(dashboard.listener(), 51, 60);
        awaitStep(staying, 60);
    }

    @Test
    void noListenerCallBlocksWhileClientsStall() throws Exception {
        BlockingQueue<String> reading = subscribe();
        for (int i = 0; i < 3; i++) {
            // connected, asking for events and never reading them, with a tiny receive buffer
            open.add(sseSocket(1024));
        }
        Socket leaving = sseSocket(1024);
        leaving.close();
        TrainerListener listener = dashboard.listener();
        int calls = 100_000;
        long slowest = 0;
        long started = System.nanoTime();
        for (int s = 0; s < calls; s++) {
            long before = System.nanoTime();
            listener.onCriticStep(new CriticStepEvent(s, 0, s + 1L, -1, 0.1, 1, 1, 0.001), NO_STOP);
            listener.onGeneratorStep(FakeRun.event(s), NO_STOP);
            slowest = Math.max(slowest, System.nanoTime() - before);
        }
        long total = System.nanoTime() - started;
        // a behaviour check with generous bounds, not a speed target: nothing waits on a client
        assertThat(Duration.ofNanos(slowest)).isLessThan(Duration.ofSeconds(1));
        assertThat(Duration.ofNanos(total)).isLessThan(Duration.ofSeconds(20));
        awaitStep(reading, calls);
    }

    @Test
    void closingTheDashboardEndsTheStreams() throws Exception {
        Socket socket = sseSocket(64 * 1024);
        open.add(socket);
        socket.setSoTimeout(5000);
        InputStream in = socket.getInputStream();
        assertThat(in.read()).isPositive();
        dashboard.close();
        byte[] rest = new byte[4096];
        // the stream ends (-1) or is cut: either way within the timeout, not a hang
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int read = 0;
        try {
            while (read >= 0 && System.nanoTime() < deadline) {
                read = in.read(rest);
            }
        } catch (java.net.SocketException e) {
            read = -1;
        }
        assertThat(read).isEqualTo(-1);
    }

    @Test
    void aClientOverTheLimitIsTurnedAway() throws Exception {
        for (int i = 0; i < EventStream.MAX_CLIENTS; i++) {
            Socket socket = sseSocket(64 * 1024);
            open.add(socket);
            socket.setSoTimeout(5000);
            assertThat(socket.getInputStream().read()).isPositive();
        }
        assertThat(FakeRun.raw(port, "GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 503");
    }

    private Socket sseSocket(int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
        return socket;
    }
}
