package dev.platoon.core.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;

/**
 * Debian's Prometheus scrapes a running platoon: both run in the same test namespace and talk over its
 * loopback (so every HTTP request is made by curl inside the namespace). Traffic flows through the
 * tunnel; Prometheus reports the target up and a peer's rx bytes growing between two queries.
 *
 * <p>With {@code -Dplatoon.metrics.dashboardData=DIR} it also runs a longer, still bounded, load and
 * saves a range query per expression of {@code docs/grafana-dashboard.json} to DIR, which
 * {@code docs/render-dashboard.py} draws as the picture in {@code docs/}.
 */
class PrometheusMetricsIT {
    private static final int METRICS_PORT = 9586;
    private static final int PROMETHEUS_PORT = 9090;
    private static final String PROMETHEUS = "http://127.0.0.1:" + PROMETHEUS_PORT;
    private static final Duration UP = Duration.ofSeconds(30);
    /** The alert rules the docs ship, and how many there are. */
    private static final Path ALERTS = Path.of(System.getProperty("platoon.metrics.alerts", "../docs/alerts.yml"));
    private static final int RULES = 8;
    private static final Pattern VALUE = Pattern.compile("\"value\":\\[[0-9.]+,\"([^\"]+)\"\\]");

    @TempDir
    Path tmp;

    @Test
    void prometheusScrapesPlatoonWhileTrafficFlows() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-metrics")) {
            Side a = bed.a;
            Side b = bed.b;
            bed.writeConfig(b, false, List.of());
            bed.startPlatoon(b, List.of());
            bed.awaitUp(b, UP);
            bed.writeConfig(a, true, List.of());
            bed.startPlatoon(a, List.of("--metrics=127.0.0.1:" + METRICS_PORT));
            bed.awaitUp(a, UP);
            assertTrue(bed.ping(a, false, Duration.ofSeconds(20)), "no ping through the tunnel: "
                    + TunnelBed.lastLine(a.log) + " / " + TunnelBed.lastLine(b.log));
            Waits.until(UP, "platoon's /metrics in " + a.namespace,
                    () -> curl(bed, a, "http://127.0.0.1:" + METRICS_PORT + "/metrics").ok());
            String own = curl(bed, a, "http://127.0.0.1:" + METRICS_PORT + "/metrics").stdout();
            assertTrue(own.contains("platoon_peer_rx_bytes_total{interface=\"" + a.ifname + "\""), own);
            assertTrue(!own.contains(dev.platoon.crypto.Keys.toBase64(a.privateKey)), "private key in /metrics");
            assertTrue(own.contains("wireguard_received_bytes_total{allowed_ips="), own);
            assertTrue(own.contains("platoon_build_info{"), own);
            String ready = curl(bed, a, "http://127.0.0.1:" + METRICS_PORT + "/ready").stdout();
            assertTrue(ready.equals("ready\n"), ready);
            Shell.Result rules = bed.net.exec(a.namespace, Duration.ofSeconds(30), "promtool", "check", "rules",
                    ALERTS.toString());
            assertTrue(rules.ok(), "promtool check rules: " + rules.stdout() + rules.stderr());

            Process prometheus = startPrometheus(bed, a);
            try {
                Waits.until(UP, "Prometheus reports the platoon target up", () -> {
                    assertTrue(prometheus.isAlive(), "prometheus exited: " + log("prometheus.log"));
                    Shell.Result r = curl(bed, a, PROMETHEUS + "/api/v1/targets");
                    return r.ok() && r.stdout().contains("\"health\":\"up\"");
                });
                String targets = curl(bed, a, PROMETHEUS + "/api/v1/targets").stdout();
                System.out.println("[metrics] /api/v1/targets: " + targets);
                assertTrue(targets.contains("127.0.0.1:" + METRICS_PORT), targets);

                Waits.until(UP, "Prometheus loads docs/alerts.yml and evaluates it", () -> {
                    Shell.Result r = curl(bed, a, PROMETHEUS + "/api/v1/rules");
                    return r.ok() && r.stdout().split("\"health\":\"ok\"", -1).length - 1 == RULES
                            && !r.stdout().contains("\"health\":\"err");
                });

                String first = awaitQuery(bed, a, "platoon_peer_rx_bytes_total", s -> true);
                // The exporter's name and labels, as a dashboard written for prometheus_wireguard_exporter
                // asks: the same byte count as platoon's own series, in the same scrape.
                String exporter = "wireguard_received_bytes_total{interface=\"" + a.ifname + "\",public_key=\""
                        + dev.platoon.crypto.Keys.toBase64(b.publicKey)
                        + "\",allowed_ips=~\".+\"}";
                double before = value(first);
                System.out.println("[metrics] before traffic: " + first);
                Shell.Result ping = bed.net.exec(a.namespace, Duration.ofSeconds(20), "ping", "-q", "-c", "20",
                        "-i", "0.2", "-s", "1200", b.tunnel4);
                assertTrue(ping.ok(), "ping burst: " + ping.stdout() + ping.stderr());
                // 20 answers of 1200+ bytes: wait for a scrape taken after the last one (scrapes are 1 s apart)
                String after = awaitQuery(bed, a, "platoon_peer_rx_bytes_total", s -> value(s) >= before + 20 * 1200);
                System.out.println("[metrics] after traffic: " + after);
                String byExporterName = awaitQuery(bed, a, exporter, s -> value(s) >= before + 20 * 1200);
                System.out.println("[metrics] " + exporter + ": " + byExporterName);
                awaitQuery(bed, a, "sum(" + exporter + ") - sum(platoon_peer_rx_bytes_total{interface=\"" + a.ifname
                        + "\"})", s -> value(s) == 0);

                // The kernel's counters were found in this namespace (NaN would mean they were not).
                for (String q : List.of("platoon_kernel_tun_tx_dropped_total", "platoon_kernel_udp_rcvbuf_errors_total",
                        "platoon_tun_frame_segments_count", "jvm_memory_used_bytes{area=\"heap\"}")) {
                    String r = awaitQuery(bed, a, q, s -> true);
                    assertTrue(!Double.isNaN(value(r)), q + ": " + r);
                }
                String dir = System.getProperty("platoon.metrics.dashboardData");
                if (dir != null && !dir.isBlank()) {
                    dashboardData(bed, a, b, Path.of(dir));
                }
            } finally {
                NamespacePair.stop(prometheus, Duration.ofSeconds(10)); // ours, by its PID
            }
        }
    }

    private Process startPrometheus(TunnelBed bed, Side side) throws IOException {
        Path config = tmp.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: platoon
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                rule_files:
                  - %s
                """.formatted(METRICS_PORT, ALERTS.toAbsolutePath()));
        Path data = Files.createDirectories(tmp.resolve("tsdb"));
        return bed.net.start(side.namespace, List.of("prometheus", "--config.file=" + config,
                "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + PROMETHEUS_PORT,
                "--log.level=warn"), tmp.resolve("prometheus.log"));
    }

    private String log(String name) {
        try {
            return Files.readString(tmp.resolve(name)).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static Shell.Result curl(TunnelBed bed, Side side, String url, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sSf", "--max-time", "5"));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        return bed.net.exec(side.namespace, Duration.ofSeconds(10), cmd.toArray(String[]::new));
    }

    /** An instant query's JSON once it has a sample and satisfies {@code ok}; fails with the last answer. */
    private static String awaitQuery(TunnelBed bed, Side side, String query, java.util.function.Predicate<String> ok)
            throws IOException {
        String[] last = {"(none)"};
        try {
            Waits.until(Duration.ofSeconds(30), "Prometheus query " + query, () -> {
                Shell.Result r = curl(bed, side, PROMETHEUS + "/api/v1/query", "-G", "--data-urlencode",
                        "query=" + query);
                last[0] = r.stdout();
                return r.ok() && VALUE.matcher(r.stdout()).find() && ok.test(r.stdout());
            });
        } catch (IllegalStateException | AssertionError e) {
            fail("query " + query + ": " + e.getMessage() + "; last answer: " + last[0]);
        }
        return last[0];
    }

    private static double value(String json) {
        Matcher m = VALUE.matcher(json);
        if (!m.find()) {
            throw new AssertionError("no sample in " + json);
        }
        return Double.parseDouble(m.group(1));
    }

    /**
     * A longer load for the dashboard picture (rounds of bounded transfers both ways and pings), then a
     * range query of every expression in the dashboard, saved as DIR/expr-N.json with DIR/exprs.txt.
     */
    private static void dashboardData(TunnelBed bed, Side a, Side b, Path dir) throws Exception {
        Files.createDirectories(dir);
        long start = System.currentTimeMillis() / 1000 - 20;
        int port = 5301;
        for (int round = 0; round < 6; round++) {
            Side from = round % 2 == 0 ? a : b;
            Side to = bed.other(from);
            transfer(bed, from, to, (round + 1) * 40_000_000L, port++);
            bed.net.exec(a.namespace, Duration.ofSeconds(20), "ping", "-q", "-c", "15", "-i", "0.2", b.tunnel4);
        }
        long end = System.currentTimeMillis() / 1000 + 2;
        Waits.until(Duration.ofSeconds(10), "the last scrape", () -> System.currentTimeMillis() / 1000 >= end);
        String dashboard = Files.readString(Path.of(System.getProperty("platoon.metrics.dashboard",
                "../docs/grafana-dashboard.json")));
        Matcher m = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(dashboard);
        List<String> exprs = new ArrayList<>();
        while (m.find()) {
            String expr = m.group(1).replace("\\\"", "\"").replace("\\\\", "\\").replace("$__rate_interval", "5s")
                    .replace("$interface", ".+").replace("$job", ".+").replace("$instance", ".+");
            Shell.Result r = curl(bed, a, PROMETHEUS + "/api/v1/query_range", "-G", "--data-urlencode",
                    "query=" + expr, "--data-urlencode", "start=" + start, "--data-urlencode", "end=" + end,
                    "--data-urlencode", "step=1");
            Files.writeString(dir.resolve("expr-" + exprs.size() + ".json"), r.stdout());
            exprs.add(expr);
        }
        Files.write(dir.resolve("exprs.txt"), exprs);
        System.out.println("[metrics] saved " + exprs.size() + " range queries over " + (end - start) + " s to " + dir);
    }

    private static void transfer(TunnelBed bed, Side from, Side to, long bytes, int port) throws Exception {
        Path log = bed.workDir().resolve("recv-" + port + ".log");
        Process recv = bed.net.start(to.namespace, JavaCommand.platoon(List.of("transfer", "recv", "--address",
                to.tunnel4, "--port", String.valueOf(port), "--timeout", "60")), log);
        Waits.until(Duration.ofSeconds(30), "transfer receiver", () -> !recv.isAlive() || bed.net.exec(to.namespace,
                Duration.ofSeconds(5), "ss", "-ltnH").stdout().contains(":" + port + " "));
        Shell.Result send = bed.net.exec(from.namespace, Duration.ofSeconds(70), JavaCommand.platoon(List.of(
                "transfer", "send", "--address", to.tunnel4, "--port", String.valueOf(port), "--bytes",
                String.valueOf(bytes), "--timeout", "60")).toArray(String[]::new));
        assertTrue(send.ok(), "transfer: " + send.stderr());
        assertTrue(recv.waitFor(30, TimeUnit.SECONDS), "transfer receiver did not finish");
    }
}
