package org.wgan.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.wgan.core.training.WganTrainer;
import org.wgan.ui.RunDashboard;

/**
 * What serving the live page ({@code wgan train --ui}) costs a training step: one generator step of the toy GP
 * recipe ({@link Recipes#toyWganGp}, the cheapest step, where a fixed cost per second weighs most) without a page
 * ({@code page = none}), and with the dashboard's listener on the trainer, its server and refresh thread running
 * and a browser-like client reading its event stream and fetching the new history rows every 500 ms, as the
 * page does ({@code page = served}). The target: {@code served} within 2% of {@code none}, in one run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 8, time = 5)
@Fork(value = 1, jvmArgs = {"-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g"},
        jvmArgsAppend = "--add-modules=jdk.incubator.vector")
public class DashboardOverheadBenchmark {

    @Param({"64", "256"})
    public int batch;

    @Param({"none", "served"})
    public String page;

    @Param({"1"})
    public int threads;

    private WganTrainer trainer;
    private RunDashboard dashboard;
    private Thread client;
    private Thread poller;
    private volatile boolean polling = true;
    private Path folder;
    /** Bytes the clients have read (events and history): printed at the end, so a silent page shows. */
    private final AtomicLong received = new AtomicLong();

    @Setup(Level.Trial)
    public void setUp() throws IOException, InterruptedException {
        Nd4j.getEnvironment().setMaxThreads(threads);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        WganTrainer.Builder builder = Recipes.toyWganGpBuilder(batch);
        if (page.equals("served")) {
            folder = Files.createTempDirectory("wgan-dashboard-benchmark");
            // a fresh run's folder: the history file holds its header, the steps reach the page live
            Files.writeString(folder.resolve("history.csv"),
                    "step,criticLoss,generatorLoss,wassersteinEstimate,penalty,seconds\n");
            dashboard = RunDashboard.builder(folder).port(0).build();
            dashboard.start();
            builder.listener(dashboard.listener());
        }
        trainer = builder.build();
        if (dashboard != null) {
            client = new Thread(this::readEvents, "event-stream-client");
            client.setDaemon(true);
            client.start();
            poller = new Thread(this::readHistory, "history-client");
            poller.setDaemon(true);
            poller.start();
        }
    }

    private void readEvents() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard.url() + "events")).build();
        try (InputStream stream = HttpClient.newHttpClient().send(request,
                HttpResponse.BodyHandlers.ofInputStream()).body()) {
            byte[] buffer = new byte[8192];
            for (int n; (n = stream.read(buffer)) >= 0; ) {
                received.addAndGet(n);
            }
        } catch (IOException e) {
            // the dashboard closed the stream at the end of the trial
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the page does on each update: fetch the history rows after the last it has, every 500 ms. */
    private void readHistory() {
        HttpClient http = HttpClient.newHttpClient();
        long from = 0;
        while (polling) {
            try {
                Thread.sleep(500);
                long now = trainer.generatorStep();
                HttpRequest request = HttpRequest.newBuilder(URI.create(dashboard.url() + "api/history?from=" + from))
                        .build();
                received.addAndGet(http.send(request, HttpResponse.BodyHandlers.ofByteArray()).body().length);
                from = now;
            } catch (IOException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Benchmark
    public Object step() {
        return trainer.step();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        if (dashboard != null) {
            polling = false;
            // the stream's states and the history's rows: some 100 bytes a step
            System.out.printf("%nevent stream and history: %,d bytes received over %,d steps%n", received.get(),
                    trainer.generatorStep());
            dashboard.close();
            try (var paths = Files.walk(folder)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
