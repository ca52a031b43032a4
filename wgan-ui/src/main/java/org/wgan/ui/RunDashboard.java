package org.wgan.ui;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wgan.core.listener.TrainerListener;

/**
 * A web page of one run folder, live while it trains: the latest sample grids from the fixed noise (and the EMA's)
 * with a slider over their history, charts of the critic loss, the Wasserstein estimate, the penalty and the generator
 * loss (running medians, a log-scale step axis), the step time and ETA, the settings and data fingerprint of
 * {@code run.json}, and for 2-column CSV data the critic's {@link ValueSurface value surface} under the samples.
 *
 * <pre>{@code
 * RunDashboard dashboard = RunDashboard.builder(runFolder).build();
 * dashboard.start();                       // logs where it serves, and a warning off loopback
 * trainerBuilder.listener(dashboard.listener());
 * ...
 * dashboard.close();
 * }</pre>
 *
 * <p>The page reads the history from the folder's {@code history.csv} and the newest steps from {@link #listener()},
 * so it shows a finished run, a run another process trains, and survives a reload or a {@code --resume}. Updates reach
 * it as server-sent events ({@code /events}); {@code ?transport=poll} makes it poll instead. The listener only stores
 * numbers in memory (no lock, no I/O): the folder is read and the clients are written on the dashboard's own daemon
 * threads, every {@link Builder#pollInterval poll interval}.
 *
 * <p>The server (the JDK's {@code com.sun.net.httpserver}) answers GET and HEAD of its own few paths only, serves files
 * of the run folder only under sample and critic file names, rejects {@code Host} headers of other domains (against
 * DNS rebinding), and has no authentication: bound to another host than loopback, anyone who reaches it reads the run.
 */
public final class RunDashboard implements AutoCloseable {

    /** The host bound by default: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The port bound by default. */
    public static final int DEFAULT_PORT = 7400;
    /** How often the folder is read and the pages told, by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(500);

    private static final Logger LOG = LoggerFactory.getLogger(RunDashboard.class);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** Refreshes in a row that fail before a warning: one or two are a file being rewritten. */
    private static final int FAILURES_WORTH_A_WARNING = 3;

    private final Path folder;
    private final String host;
    private final InetAddress address;
    private final int port;
    private final Duration pollInterval;
    private final LiveFeed feed = new LiveFeed();
    private final RunModel model;
    private final EventStream events = new EventStream(HEARTBEAT);
    private final CountDownLatch closed = new CountDownLatch(1);
    private HttpServer server;
    private ExecutorService requests;
    private ScheduledExecutorService refresher;
    private int boundPort = -1;
    /** Refreshes failed in a row (the refresh thread's only). */
    private int failures;

    private RunDashboard(Builder builder) {
        this.folder = builder.folder;
        this.host = builder.host;
        this.address = builder.address;
        this.port = builder.port;
        this.pollInterval = builder.pollInterval;
        this.model = new RunModel(folder, feed);
    }

    /**
     * A builder of the dashboard of {@code runFolder} (the {@code --output} of {@code wgan train}; it must exist, but
     * may still be empty).
     *
     * @throws NullPointerException     when {@code runFolder} is null
     * @throws IllegalArgumentException when it is not an existing directory
     */
    public static Builder builder(Path runFolder) {
        return new Builder(runFolder);
    }

    /**
     * Binds the server and starts serving; logs {@link #securityWarning()} where there is one (and the address at
     * debug level: print {@link #url()} where your users look).
     *
     * @throws BindException         naming host:port when it cannot be bound (most often: the port is in use)
     * @throws IOException           when the folder cannot be read
     * @throws IllegalStateException when called twice, or after {@link #close()}
     */
    public synchronized void start() throws IOException {
        if (server != null || closed.getCount() == 0) {
            throw new IllegalStateException("start() may be called once, before close()");
        }
        model.refresh();
        HttpServer bound;
        try {
            bound = HttpServer.create(new InetSocketAddress(address, port), 0);
        } catch (BindException e) {
            BindException named = new BindException("cannot serve the dashboard on " + hostAndPort(port) + ": "
                    + e.getMessage() + " (is another dashboard or program using the port? choose another with"
                    + " port(...), or 0 for any free one)");
            named.initCause(e);
            throw named;
        }
        // bounded: each event stream holds a thread, and a flood of slow requests must not create threads without end
        requests = Executors.newFixedThreadPool(EventStream.MAX_CLIENTS + 8, daemons("wgan-ui-http"));
        refresher = Executors.newSingleThreadScheduledExecutor(daemons("wgan-ui-refresh"));
        bound.setExecutor(requests);
        bound.createContext("/", new DashboardHttp(folder, model, events, hostNames(), pollInterval.toMillis()));
        try {
            // the server's dispatcher thread takes the daemon status of the thread that starts it: a daemon's
            refresher.submit(bound::start).get();
        } catch (ExecutionException e) {
            bound.stop(0);
            refresher.shutdownNow();
            requests.shutdownNow();
            throw new IOException("the dashboard's server did not start on " + hostAndPort(port), e.getCause());
        } catch (InterruptedException e) {
            bound.stop(0);
            refresher.shutdownNow();
            requests.shutdownNow();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while starting the dashboard");
        }
        server = bound;
        boundPort = bound.getAddress().getPort();
        refresher.scheduleWithFixedDelay(this::refresh, pollInterval.toMillis(), pollInterval.toMillis(),
                TimeUnit.MILLISECONDS);
        securityWarning().ifPresent(LOG::warn);
        // the caller prints url() where its users look (wgan train --ui prints "open ..."): not logged twice
        LOG.debug("dashboard of {}: open {}", folder, url());
    }

    /** The names a Host header may give besides localhost and IP addresses: the host, off loopback this machine's. */
    private Set<String> hostNames() {
        Set<String> names = new HashSet<>();
        names.add(host.toLowerCase(Locale.ROOT));
        if (!address.isLoopbackAddress()) {
            try {
                InetAddress self = InetAddress.getLocalHost();
                names.add(self.getHostName().toLowerCase(Locale.ROOT));
                names.add(self.getCanonicalHostName().toLowerCase(Locale.ROOT));
            } catch (UnknownHostException e) {
                LOG.debug("no name of this machine; the page answers its IP addresses", e);
            }
        }
        return names;
    }

    private void refresh() {
        try {
            if (model.refresh()) {
                events.publish(model.state().toString());
            }
            if (failures >= FAILURES_WORTH_A_WARNING) {
                LOG.info("the dashboard reads {} again", folder);
            }
            failures = 0;
        } catch (IOException | RuntimeException e) {
            // a file being rewritten: the next refresh reads it again; a folder that stays unreadable is said once
            if (++failures == FAILURES_WORTH_A_WARNING) {
                LOG.warn("the dashboard cannot read {} (the page shows its last state until it can): {}", folder,
                        e.toString());
            }
            LOG.debug("dashboard refresh of {} failed", folder, e);
        }
    }

    /**
     * The page's address, {@code http://host:port/}, with the port bound (which {@code port(0)} chooses).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public synchronized String url() {
        if (boundPort < 0) {
            throw new IllegalStateException("the dashboard has no address before start()");
        }
        return "http://" + hostAndPort(boundPort) + "/";
    }

    /**
     * The listener to add to the trainer: records each step in memory for the page, in constant time, never blocking
     * and never doing I/O on the training thread. The same instance on every call; it may be used before
     * {@link #start()}.
     */
    public TrainerListener listener() {
        return feed;
    }

    /**
     * A warning when the host is not a loopback address: the page has no authentication, so whoever can reach the
     * host can read the run. Empty on loopback. {@link #start()} logs it.
     */
    public Optional<String> securityWarning() {
        if (address.isLoopbackAddress()) {
            return Optional.empty();
        }
        return Optional.of("the dashboard on " + host + " has no authentication: anyone who can reach this host and"
                + " port can read the run's settings, history and samples; bind to " + DEFAULT_HOST
                + " (the default) unless the network is trusted");
    }

    /**
     * Blocks until {@link #close()} is called (from another thread or a shutdown hook): the server's threads are
     * daemons, so a program that only serves a finished run calls this to stay up.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitClose() throws InterruptedException {
        closed.await();
    }

    /** Stops serving and ends the event streams; the listener stays usable (and ignored). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed.getCount() == 0) {
            return;
        }
        events.close();
        if (server != null) {
            server.stop(0);
            refresher.shutdownNow();
            requests.shutdownNow();
        }
        closed.countDown();
    }

    private String hostAndPort(int p) {
        return (address instanceof Inet6Address && host.contains(":") ? "[" + host + "]" : host) + ":" + p;
    }

    private static ThreadFactory daemons(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Settings of a {@link RunDashboard}; each setter checks its argument at once. {@link #build()} may be called
     * again, for another dashboard.
     */
    public static final class Builder {

        private final Path folder;
        private String host = DEFAULT_HOST;
        private InetAddress address;
        private int port = DEFAULT_PORT;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;

        private Builder(Path runFolder) {
            Objects.requireNonNull(runFolder, "runFolder");
            if (!Files.isDirectory(runFolder)) {
                throw new IllegalArgumentException("runFolder must be an existing directory, but was " + runFolder);
            }
            this.folder = runFolder.toAbsolutePath().normalize();
            this.address = loopback();
        }

        /**
         * The host (a name or an IP address) to bind; default {@link #DEFAULT_HOST}. Another than loopback serves the
         * page, which has no authentication, to the network: see {@link RunDashboard#securityWarning()}.
         *
         * @throws IllegalArgumentException when it is blank or does not resolve
         */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            String bare = host.trim();
            if (bare.startsWith("[") && bare.endsWith("]")) {
                bare = bare.substring(1, bare.length() - 1);
            }
            if (bare.isEmpty()) {
                throw new IllegalArgumentException("host must not be blank, but was '" + host + "'");
            }
            try {
                this.address = InetAddress.getByName(bare);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host must be an IP address or a name that resolves, but was '"
                        + host + "'", e);
            }
            this.host = bare;
            return this;
        }

        /**
         * The port to bind, 0 for any free one ({@link RunDashboard#url()} then tells which); default
         * {@link #DEFAULT_PORT}.
         *
         * @throws IllegalArgumentException when outside 0..65535
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be in 0..65535, but was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * How often the run folder is read and open pages are told of changes (polling pages ask as often); default
         * {@link #DEFAULT_POLL_INTERVAL}.
         *
         * @throws IllegalArgumentException when not between 10 ms and 1 minute
         */
        public Builder pollInterval(Duration pollInterval) {
            Objects.requireNonNull(pollInterval, "pollInterval");
            if (pollInterval.compareTo(Duration.ofMillis(10)) < 0
                    || pollInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("pollInterval must be between 10 ms and 1 minute, but was "
                        + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /** A new dashboard with these settings, not yet started. */
        public RunDashboard build() {
            return new RunDashboard(this);
        }

        private static InetAddress loopback() {
            try {
                return InetAddress.getByName(DEFAULT_HOST);
            } catch (UnknownHostException e) {
                throw new IllegalStateException("127.0.0.1 does not parse", e);
            }
        }
    }
}
