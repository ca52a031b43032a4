package org.wgan.ui;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every request of the dashboard, in one handler that checks before it routes: a query over
 * {@link #MAX_QUERY} characters is 414; a {@code Host} that is neither the bound host, {@code localhost} nor an IP
 * address is 403 (a DNS-rebinding page names its own domain); a method other than GET or HEAD is 405; a path with
 * anything but letters, digits, {@code - _ . /}, or with {@code ..} or {@code //}, is 400; an unknown path is 404.
 * Files come only from the run folder and only under a name {@link RunModel#SAMPLE_FILE} matches: no path is built
 * from the request otherwise, and nothing is listed. Every answer carries a Content-Security-Policy of
 * {@code default-src 'self'}.
 */
final class DashboardHttp implements HttpHandler {

    /** The longest query string answered. */
    static final int MAX_QUERY = 2048;
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self'; script-src 'self'; "
            + "style-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; "
            + "frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(DashboardHttp.class);
    private static final Pattern SAFE_PATH = Pattern.compile("/[A-Za-z0-9._/-]*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("\\[[0-9A-Fa-f:.]+]");
    private static final Pattern FROM = Pattern.compile("from=(\\d{1,18})");

    private final Path folder;
    private final RunModel model;
    private final EventStream events;
    private final Set<String> hostNames;
    private final long pollMillis;
    private final byte[] page = resource("index.html");
    private final byte[] script = resource("app.js");
    private final byte[] style = resource("app.css");

    /**
     * @param hostNames the names besides {@code localhost} and IP addresses a request's {@code Host} may give, lower
     *                  case (the host the dashboard was bound to)
     */
    DashboardHttp(Path folder, RunModel model, EventStream events, Set<String> hostNames, long pollMillis) {
        this.folder = folder;
        this.model = model;
        this.events = events;
        this.hostNames = Set.copyOf(hostNames);
        this.pollMillis = pollMillis;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            Headers headers = exchange.getResponseHeaders();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("X-Frame-Options", "DENY");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-store");
            route(exchange);
        } catch (IOException | UncheckedIOException e) {
            // most often the client went away; nothing to answer
            LOG.debug("dashboard request {} failed", exchange.getRequestURI(), e);
        } catch (RuntimeException e) {
            LOG.warn("dashboard request {} failed", exchange.getRequestURI(), e);
            try {
                text(exchange, 500, "internal error\n");
            } catch (IOException | RuntimeException ignored) {
                // the headers were already sent
            }
        } finally {
            exchange.close();
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String path = exchange.getRequestURI().getRawPath();
        if ((query != null && query.length() > MAX_QUERY) || (path != null && path.length() > MAX_QUERY)) {
            text(exchange, 414, "query too long\n");
            return;
        }
        if (!hostAllowed(exchange.getRequestHeaders().getFirst("Host"))) {
            text(exchange, 403, "forbidden host\n");
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            text(exchange, 405, "method not allowed\n");
            return;
        }
        if (path == null || !SAFE_PATH.matcher(path).matches() || path.contains("..") || path.contains("//")) {
            text(exchange, 400, "bad path\n");
            return;
        }
        switch (path) {
            case "/", "/index.html" -> send(exchange, 200, "text/html; charset=utf-8", page);
            case "/app.js" -> send(exchange, 200, "text/javascript; charset=utf-8", script);
            case "/app.css" -> send(exchange, 200, "text/css; charset=utf-8", style);
            case "/api/run" -> json(exchange, model.run(pollMillis).toString());
            case "/api/state" -> json(exchange, model.state().toString());
            case "/api/samples" -> json(exchange, model.samples().toString());
            case "/api/history" -> history(exchange, query);
            case "/events" -> {
                if (method.equals("HEAD")) {
                    send(exchange, 200, "text/event-stream; charset=utf-8", new byte[0]);
                } else {
                    events.serve(exchange, model.state().toString());
                }
            }
            default -> {
                if (path.startsWith("/samples/")) {
                    sample(exchange, path.substring("/samples/".length()));
                } else {
                    text(exchange, 404, "not found\n");
                }
            }
        }
    }

    private void history(HttpExchange exchange, String query) throws IOException {
        long from = 0;
        if (query != null && !query.isEmpty()) {
            var m = FROM.matcher(query);
            if (!m.matches()) {
                text(exchange, 400, "expected ?from=<step>\n");
                return;
            }
            from = Long.parseLong(m.group(1));
        }
        json(exchange, model.historyAfter(from).toString());
    }

    private void sample(HttpExchange exchange, String name) throws IOException {
        if (!RunModel.SAMPLE_FILE.matcher(name).matches()) {
            text(exchange, 404, "not found\n");
            return;
        }
        Path file = folder.resolve(name);
        if (!file.getParent().equals(folder) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            text(exchange, 404, "not found\n");
            return;
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            text(exchange, 404, "not found\n");
            return;
        }
        send(exchange, 200, name.endsWith(".png") ? "image/png" : "text/csv; charset=utf-8", bytes);
    }

    /** Whether a request's {@code Host} header names this server: the bound host, localhost, or an IP address. */
    boolean hostAllowed(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String name = host.trim().toLowerCase(Locale.ROOT);
        int colon = name.lastIndexOf(':');
        if (colon >= 0 && name.indexOf(']', colon) < 0) {
            name = name.substring(0, colon);
        }
        return name.equals("localhost") || hostNames.contains(name) || IPV4.matcher(name).matches()
                || IPV6.matcher(name).matches();
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        send(exchange, 200, "application/json; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void text(HttpExchange exchange, int status, String body) throws IOException {
        send(exchange, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        exchange.getResponseBody().write(body);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DashboardHttp.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource org/wgan/ui/" + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
