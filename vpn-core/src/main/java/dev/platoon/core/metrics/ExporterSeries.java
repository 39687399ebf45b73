package dev.platoon.core.metrics;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;

/**
 * The per-peer series of prometheus_wireguard_exporter (MindFlavor's), with its names, units and
 * labels, so dashboards and alerts written for it work unchanged on platoon:
 * {@code wireguard_sent_bytes_total}, {@code wireguard_received_bytes_total} and
 * {@code wireguard_latest_handshake_seconds} (a Unix timestamp, 0 when there was none), labelled
 * {@code interface}, {@code public_key} (the whole base64 key), {@code allowed_ips} (comma-separated, as
 * that exporter prints them) and {@code friendly_name} (from a {@code # friendly_name = } comment in the
 * file; empty, which Prometheus treats as absent, when there is none). Plus {@code platoon_build_info}.
 *
 * <p>Built at scrape time as snapshots rather than registered meters: the label values change when
 * {@code wg set} changes a peer's allowed IPs or {@code platoon peer add} names one, and a snapshot simply
 * carries the values of the moment. Public keys only: the interface's private key is never read here.
 */
final class ExporterSeries implements MultiCollector {
    static final String SENT = "wireguard_sent_bytes";
    static final String RECEIVED = "wireguard_received_bytes";
    static final String HANDSHAKE = "wireguard_latest_handshake_seconds";
    static final String BUILD = "platoon_build";

    private final MetricSources sources;
    private final Labels build;

    ExporterSeries(MetricSources sources) {
        this.sources = sources;
        String version = ExporterSeries.class.getPackage().getImplementationVersion();
        this.build = Labels.of("interface", sources.ifname(), "version", version == null ? "dev" : version,
                "java_version", Runtime.version().toString());
    }

    @Override
    public MetricSnapshots collect() {
        Map<Peer, String> allowed = sources.allowedIps().get();
        Map<String, String> names = sources.names().get();
        var sent = CounterSnapshot.builder().name(SENT).help("Bytes sent to the peer");
        var received = CounterSnapshot.builder().name(RECEIVED).help("Bytes received from the peer");
        var handshake = GaugeSnapshot.builder().name(HANDSHAKE)
                .help("Unix time of the latest handshake with the peer (0: none yet)");
        for (Peer peer : sources.worker().peers()) {
            String key = Base64.getEncoder().encodeToString(peer.publicKey());
            Labels labels = Labels.of("interface", sources.ifname(), "public_key", key,
                    "allowed_ips", allowed.getOrDefault(peer, ""), "friendly_name", names.getOrDefault(key, ""));
            PeerCounters c = peer.counters();
            long seconds;
            synchronized (c) { // the pair is written under this lock
                seconds = c.lastHandshakeEpochSecond();
            }
            sent.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c.txBytes.sum()).build());
            received.dataPoint(CounterDataPointSnapshot.builder().labels(labels).value(c.rxBytes.sum()).build());
            handshake.dataPoint(GaugeDataPointSnapshot.builder().labels(labels).value(seconds).build());
        }
        List<MetricSnapshot> out = new ArrayList<>(4);
        out.add(sent.build());
        out.add(received.build());
        out.add(handshake.build());
        out.add(InfoSnapshot.builder().name(BUILD).help("platoon's version and the Java runtime it runs on")
                .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(build).build()).build());
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return List.of(SENT, RECEIVED, HANDSHAKE, BUILD);
    }
}
