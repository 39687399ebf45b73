package dev.platoon.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The HTTP side on loopback: /metrics in the text format, nothing else, a taken port is one line. */
class MetricsServerTest {
    @Test
    void servesMetricsOnlyAtSlashMetrics() throws Exception {
        try (MetricsServer server = MetricsServer.start(new MetricsAddress("127.0.0.1", 0),
                () -> "# TYPE platoon_x_total counter\nplatoon_x_total 1.0\n", null);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            String base = "http://127.0.0.1:" + server.address().getPort();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            assertEquals(MetricsServer.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(r.body().contains("platoon_x_total 1.0"), r.body());
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            for (String path : List.of("/health", "/healthz", "/-/healthy")) {
                HttpResponse<String> h = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, h.statusCode(), path);
                assertEquals("ok\n", h.body());
            }
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(base + "/ready")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            assertEquals("ready\n", ready.body());

            var e = assertThrows(IOException.class, () -> MetricsServer.start(
                    new MetricsAddress("127.0.0.1", server.address().getPort()), () -> "", null));
            assertTrue(e.getMessage().startsWith("metrics: cannot listen on 127.0.0.1:"), e.getMessage());
        }
    }

    @Test
    void readyAnswers503WithTheReasonWhileTheInterfaceDoesNotServe() throws Exception {
        String[] why = {"wg0 has no private key"};
        try (MetricsServer server = MetricsServer.start(new MetricsAddress("127.0.0.1", 0), () -> "", () -> why[0], null);
             HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            URI ready = URI.create("http://127.0.0.1:" + server.address().getPort() + "/-/ready");
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, r.statusCode());
            assertEquals("not ready: wg0 has no private key\n", r.body());
            why[0] = null;
            assertEquals(200, http.send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }
}
