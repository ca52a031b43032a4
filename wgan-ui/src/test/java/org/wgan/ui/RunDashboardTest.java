package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDashboardTest {

    @TempDir
    Path temp;

    @Test
    void rejectsAPortOutOfRange() {
        RunDashboard.Builder builder = RunDashboard.builder(temp);
        assertThatThrownBy(() -> builder.port(65_536)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be in 0..65535, but was 65536");
        assertThatThrownBy(() -> builder.port(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port must be in 0..65535, but was -1");
    }

    @Test
    void rejectsAMissingFolder() {
        Path missing = temp.resolve("missing");
        assertThatThrownBy(() -> RunDashboard.builder(missing)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("runFolder must be an existing directory, but was " + missing);
    }

    @Test
    void rejectsNullsNamingThem() {
        assertThatThrownBy(() -> RunDashboard.builder(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("runFolder");
        assertThatThrownBy(() -> RunDashboard.builder(temp).host(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("host");
        assertThatThrownBy(() -> RunDashboard.builder(temp).pollInterval(null))
                .isInstanceOf(NullPointerException.class).hasMessage("pollInterval");
    }

    @Test
    void rejectsABlankHostAndAPollIntervalOutOfRange() {
        assertThatThrownBy(() -> RunDashboard.builder(temp).host(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("host must not be blank, but was ' '");
        assertThatThrownBy(() -> RunDashboard.builder(temp).pollInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pollInterval must be between 10 ms and 1 minute, but was PT0S");
    }

    @Test
    void warnsOnlyOffLoopback() throws IOException {
        assertThat(RunDashboard.builder(temp).build().securityWarning()).isEmpty();
        assertThat(RunDashboard.builder(temp).host("localhost").build().securityWarning()).isEmpty();
        assertThat(RunDashboard.builder(temp).host("0.0.0.0").build().securityWarning()).get().asString()
                .contains("0.0.0.0", "no authentication", RunDashboard.DEFAULT_HOST);
        String own = InetAddress.getLocalHost().getHostAddress();
        if (!InetAddress.getByName(own).isLoopbackAddress()) {
            assertThat(RunDashboard.builder(temp).host(own).build().securityWarning()).isPresent();
        }
    }

    @Test
    void hasDefaultsOf127001And7400() {
        assertThat(RunDashboard.DEFAULT_HOST).isEqualTo("127.0.0.1");
        assertThat(RunDashboard.DEFAULT_PORT).isEqualTo(7400);
    }

    @Test
    void namesHostAndPortWhenThePortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            RunDashboard dashboard = RunDashboard.builder(temp).port(taken.getLocalPort()).build();
            assertThatThrownBy(dashboard::start).isInstanceOf(BindException.class)
                    .hasMessageStartingWith("cannot serve the dashboard on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
    }

    @Test
    void hasAnAddressOnlyOnceStarted() throws IOException {
        try (RunDashboard dashboard = RunDashboard.builder(temp).port(0).build()) {
            assertThatThrownBy(dashboard::url).isInstanceOf(IllegalStateException.class)
                    .hasMessage("the dashboard has no address before start()");
            dashboard.start();
            URI url = URI.create(dashboard.url());
            assertThat(url.getHost()).isEqualTo("127.0.0.1");
            assertThat(url.getPort()).isPositive();
            assertThat(url.getPath()).isEqualTo("/");
            assertThatThrownBy(dashboard::start).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void awaitCloseReturnsOnceClosed() throws Exception {
        RunDashboard dashboard = RunDashboard.builder(temp).port(0).build();
        dashboard.start();
        CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
            try {
                dashboard.awaitClose();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(waiting).isNotDone();
        dashboard.close();
        waiting.get(5, TimeUnit.SECONDS);
        dashboard.close();
        // the port is free again
        try (ServerSocket again = new ServerSocket(URI.create(dashboard.url()).getPort(), 1,
                InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.isBound()).isTrue();
        }
    }

    @Test
    void servesFromDaemonThreadsOnly() throws IOException {
        try (RunDashboard dashboard = RunDashboard.builder(temp).port(0).build()) {
            // started from this test's thread, which is not a daemon
            assertThat(Thread.currentThread().isDaemon()).isFalse();
            dashboard.start();
            assertThat(Thread.getAllStackTraces().keySet()).filteredOn(t -> t.getName().startsWith("HTTP-Dispatcher")
                    || t.getName().startsWith("wgan-ui")).isNotEmpty().allMatch(Thread::isDaemon);
        }
    }

    @Test
    void buildMakesIndependentDashboards() {
        RunDashboard.Builder builder = RunDashboard.builder(temp).port(0);
        RunDashboard first = builder.build();
        RunDashboard second = builder.build();
        assertThat(first.listener()).isSameAs(first.listener()).isNotSameAs(second.listener());
    }
}
