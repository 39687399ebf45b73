package dev.platoon.core.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.logging.Logger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.platoon.core.device.Device;

/**
 * {@code GET /metrics} in the Prometheus text format, from the JDK's own HTTP server (module
 * {@code jdk.httpserver}) on one daemon thread: a scrape every few seconds needs no more, and it keeps
 * the scrape off the data path's loops. Beside it two probes with a one-line body: {@code /health}
 * (also {@code /healthz}, {@code /-/healthy}) answers 200 while the process serves HTTP at all, and
 * {@code /ready} (also {@code /readyz}, {@code /-/ready}) 200 while the interface serves, else 503 with
 * the reason. Anything else is 404/405.
 */
public final class MetricsServer implements AutoCloseable {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String TEXT = "text/plain; charset=utf-8";
    static final java.util.Set<String> HEALTH = java.util.Set.of("/health", "/healthz", "/-/healthy");
    static final java.util.Set<String> READY = java.util.Set.of("/ready", "/readyz", "/-/ready");
    private static final Logger LOG = Logger.getLogger(MetricsServer.class.getName());

    private final HttpServer server;
    private final ExecutorService executor;
    private final AutoCloseable source;

    private MetricsServer(HttpServer server, ExecutorService executor, AutoCloseable source) {
        this.server = server;
        this.executor = executor;
        this.source = source;
    }

    /** Binds {@code at} and serves the device's metrics; closing stops both. One-line IOException. */
    public static MetricsServer serve(Device device, MetricsAddress at) throws IOException {
        DeviceMetrics metrics = DeviceMetrics.of(device);
        try {
            return start(at, metrics::scrape, metrics::notReady, metrics);
        } catch (IOException | RuntimeException e) {
            metrics.close();
            throw e;
        }
    }

    /** Serves whatever {@code text} renders; {@code source} is closed with the server (may be null). */
    public static MetricsServer start(MetricsAddress at, Supplier<String> text, AutoCloseable source)
            throws IOException {
        return start(at, text, () -> null, source);
    }

    /**
     * As above, with {@code notReady} giving the reason the interface does not serve (null: it does)
     * for {@code /ready}.
     */
    public static MetricsServer start(MetricsAddress at, Supplier<String> text, Supplier<String> notReady,
                                      AutoCloseable source) throws IOException {
        InetSocketAddress address = at.resolve();
        HttpServer server;
        try {
            server = HttpServer.create(address, 8);
        } catch (IOException e) {
            throw new IOException("metrics: cannot listen on " + at + ": " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "platoon-metrics");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> handle(exchange, text, notReady));
        server.start();
        return new MetricsServer(server, executor, source);
    }

    private static void handle(HttpExchange exchange, Supplier<String> text, Supplier<String> notReady)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            boolean health = HEALTH.contains(path);
            boolean ready = READY.contains(path);
            if (!path.equals("/metrics") && !health && !ready) {
                reply(exchange, 404, "not found: metrics are at /metrics, probes at /health and /ready\n", TEXT);
                return;
            }
            String method = exchange.getRequestMethod();
            if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "method not allowed\n", TEXT);
                return;
            }
            if (health) {
                reply(exchange, 200, "ok\n", TEXT);
                return;
            }
            if (ready) {
                String why;
                try {
                    why = notReady.get();
                } catch (RuntimeException e) {
                    why = "readiness check failed: " + e.getMessage();
                }
                reply(exchange, why == null ? 200 : 503, (why == null ? "ready" : "not ready: " + why) + "\n", TEXT);
                return;
            }
            String body;
            try {
                body = text.get();
            } catch (RuntimeException e) {
                LOG.warning("metrics scrape failed: " + e);
                reply(exchange, 500, "scrape failed\n", TEXT);
                return;
            }
            reply(exchange, 200, body, CONTENT_TYPE);
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** The address actually bound (the port is known even when asked for an ephemeral one). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        if (source != null) {
            try {
                source.close();
            } catch (Exception e) {
                LOG.fine("metrics source close: " + e);
            }
        }
    }
}
