package org.wgan.ui;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The server-sent events of {@code /events}: each client has its own HTTP thread, which waits on its own queue and
 * writes; {@link #publish} only offers to those queues, so a slow or stalled client holds up nobody but itself. An
 * event is the whole {@code /api/state}, so a client that falls behind loses only events it no longer needs.
 */
final class EventStream {

    /** Clients at once; one more is answered 503, and its page falls back to polling. */
    static final int MAX_CLIENTS = 16;
    private static final int QUEUED = 4;
    // compared by identity: no published state is this instance
    private static final String CLOSED = new String("closed");

    private final Set<BlockingQueue<String>> clients = ConcurrentHashMap.newKeySet();
    private final Duration heartbeat;
    private volatile boolean closed;

    EventStream(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    /** Offers {@code data} to every client; never blocks. */
    void publish(String data) {
        for (BlockingQueue<String> queue : clients) {
            while (!queue.offer(data)) {
                queue.poll();
            }
        }
    }

    int clients() {
        return clients.size();
    }

    /**
     * Streams events to one client until it goes away or the dashboard closes: {@code first}, then whatever is
     * published, with a comment line every heartbeat so that a dead connection is found.
     */
    void serve(HttpExchange exchange, String first) throws IOException {
        BlockingQueue<String> queue = new LinkedBlockingQueue<>(QUEUED);
        // the count and the addition at once: clients connecting together cannot pass the limit
        synchronized (clients) {
            if (closed || clients.size() >= MAX_CLIENTS) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            clients.add(queue);
        }
        try {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            write(out, "retry: 2000\n\n");
            write(out, event(first));
            while (!closed) {
                String data = queue.poll(heartbeat.toMillis(), TimeUnit.MILLISECONDS);
                if (data == null) {
                    write(out, ": keep-alive\n\n");
                } else if (data == CLOSED) {
                    break;
                } else {
                    write(out, event(data));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clients.remove(queue);
        }
    }

    /** Ends every stream. */
    void close() {
        closed = true;
        for (BlockingQueue<String> queue : clients) {
            queue.clear();
            queue.offer(CLOSED);
        }
    }

    private static String event(String data) {
        return "event: update\ndata: " + data.replace("\n", "\ndata: ") + "\n\n";
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
