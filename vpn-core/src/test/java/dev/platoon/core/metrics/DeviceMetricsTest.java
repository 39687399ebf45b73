package dev.platoon.core.metrics;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import dev.platoon.core.tap.Tap;
import dev.platoon.core.tap.TapCounters;
import dev.platoon.core.tap.TapSettings;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.crypto.Keys;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.tun.GsoSplitter;

/** Names, labels and values of the scrape, on a control plane with no tun device. */
class DeviceMetricsTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:10Z");

    @TempDir
    Path procNet;

    private final byte[] privateKey = Keys.generatePrivateKey();
    private HandshakeWorker worker;
    private DataPathCounters counters;
    private TransportCounters transport;
    private DeviceMetrics metrics;

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(procNet.resolve("snmp"), """
                Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors
                Udp: 100 0 7 90 5 2 0
                """);
        Files.writeString(procNet.resolve("snmp6"), "Udp6InErrors 1\nUdp6RcvbufErrors 3\nUdp6SndbufErrors 0\n");
        Files.writeString(procNet.resolve("dev"), """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
                 wgm0: 1000 10 0 0 0 0 0 0 2000 20 0 42 0 0 0 0
                """);
        worker = new HandshakeWorker(new StaticIdentity(privateKey), (message, to) -> { });
        counters = new DataPathCounters();
        transport = new TransportCounters();
        metrics = new DeviceMetrics(new MetricSources("wgm0", worker, counters, transport, List::of,
                List.of(new GsoSplitter(false)), () -> 51820, procNet, InstantSource.fixed(NOW)));
    }

    @AfterEach
    void tearDown() {
        metrics.close();
        worker.close();
    }

    @Test
    void perPeerCountersHandshakeAgeAndEndpointFamily() {
        Peer peer = worker.addPeer(Keys.publicKey(Keys.generatePrivateKey()), null);
        PeerCounters c = peer.counters();
        c.rxBytes.add(1234);
        c.txBytes.add(4321);
        c.rxPackets.add(3);
        c.txPackets.add(4);
        c.handshakesInitiated.add(2);
        c.handshakesCompleted.increment();
        c.handshakesFailed.increment();
        String text = metrics.scrape();
        String p = "interface=\"wgm0\",peer=\"" + peer.shortName() + "\"";
        assertEquals(1234, value(text, "platoon_peer_rx_bytes_total{" + p + "}"));
        assertEquals(4321, value(text, "platoon_peer_tx_bytes_total{" + p + "}"));
        assertEquals(3, value(text, "platoon_peer_rx_packets_total{" + p + "}"));
        assertEquals(4, value(text, "platoon_peer_tx_packets_total{" + p + "}"));
        assertEquals(2, value(text, "platoon_peer_handshakes_initiated_total{" + p + "}"));
        assertEquals(1, value(text, "platoon_peer_handshakes_completed_total{" + p + "}"));
        assertEquals(1, value(text, "platoon_peer_handshakes_failed_total{" + p + "}"));
        assertTrue(Double.isNaN(value(text, "platoon_peer_last_handshake_age_seconds{" + p + "}")), "never: NaN");
        assertEquals(1, value(text, "platoon_peer_endpoint_family{family=\"none\"," + p + "}"));

        c.setLastHandshake(NOW.getEpochSecond() - 5, 500_000_000);
        peer.updateEndpoint(new InetSocketAddress("2001:db8::1", 51820));
        text = metrics.scrape();
        assertEquals(4.5, value(text, "platoon_peer_last_handshake_age_seconds{" + p + "}"), 1e-9);
        assertEquals(NOW.getEpochSecond() - 4.5, value(text, "platoon_peer_last_handshake_timestamp_seconds{" + p + "}"),
                1e-3);
        assertEquals(1, value(text, "platoon_peer_endpoint_family{family=\"ipv6\"," + p + "}"));
        assertEquals(0, value(text, "platoon_peer_endpoint_family{family=\"ipv4\"," + p + "}"));
        assertEquals(0, value(text, "platoon_peer_endpoint_family{family=\"none\"," + p + "}"));
        peer.updateEndpoint(new InetSocketAddress("192.0.2.2", 51820));
        assertEquals(1, value(metrics.scrape(), "platoon_peer_endpoint_family{family=\"ipv4\"," + p + "}"));
    }

    @Test
    void peersAddedAndRemovedAtRunTimeFollow() {
        byte[] key = Keys.publicKey(Keys.generatePrivateKey());
        assertFalse(metrics.scrape().contains("platoon_peer_rx_bytes_total{"));
        Peer peer = worker.addPeer(key, null);
        assertTrue(metrics.scrape().contains("peer=\"" + peer.shortName() + "\""));
        assertEquals(1, value(metrics.scrape(), "platoon_peers{interface=\"wgm0\"}"));
        worker.removePeer(key);
        String text = metrics.scrape();
        assertFalse(text.contains("peer=\"" + peer.shortName() + "\""), text);
        assertEquals(0, value(text, "platoon_peers{interface=\"wgm0\"}"));
    }

    @Test
    void dropsByReasonFromEverySourceKnownOnesFromTheStart() {
        String text = metrics.scrape();
        for (String reason : List.of("no_route", "decrypt_failed", "replayed", "tun_write_eagain",
                "split_too_short", "invalid_mac1", "handshake_queue_full", "peer_staged_queue_full")) {
            assertEquals(0, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"" + reason + "\"}"), reason);
        }
        counters.drop(Drop.NO_ROUTE, 3);
        transport.drop(Drop.TUN_WRITE_EAGAIN);
        // one full-queue event, counted where it happens (the worker): exported once
        worker.counters().drop(Drop.HANDSHAKE_QUEUE_FULL);
        worker.counters().drop(Drop.HANDSHAKE_NO_ENDPOINT);
        Peer peer = worker.addPeer(Keys.publicKey(Keys.generatePrivateKey()), null);
        peer.counters().drop(Drop.PEER_HANDSHAKE_GAVE_UP, 2);
        text = metrics.scrape();
        assertEquals(3, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"no_route\"}"));
        assertEquals(1, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"tun_write_eagain\"}"));
        assertEquals(1, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"handshake_queue_full\"}"));
        assertEquals(1, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"handshake_no_endpoint\"}"));
        assertEquals(0, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"no_endpoint\"}"));
        for (Drop d : Drop.values()) { // every reason of the registry is a series
            assertTrue(text.contains("platoon_drops_total{interface=\"wgm0\",reason=\"" + d.label() + "\"}"), d.label());
        }
        assertEquals(2, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"peer_handshake_gave_up\"}"));
    }

    @Test
    void aTapsAnswersLearningAndDropsInTapMode() {
        assertFalse(metrics.scrape().contains("platoon_tap_"), "no tap series for a tun device");
        metrics.close();
        TapSettings settings = TapSettings.of("wgm0", (buf, offset, ipv6) -> false, () -> 0L);
        Tap tap = new Tap("wgm0", List.of(), true, true, "a tap", () -> { }, settings, new TapCounters(transport));
        metrics = new DeviceMetrics(new MetricSources("wgm0", worker, counters, transport, List::of, List.of(),
                () -> 51820, procNet, InstantSource.fixed(NOW), java.util.Map::of, java.util.Map::of, () -> true, tap));
        tap.counters().arpAnswered.add(3);
        tap.counters().ndAnswered.add(2);
        tap.counters().macChanges.increment();
        tap.counters().drop(Drop.TAP_NOT_IP);
        String text = metrics.scrape();
        assertEquals(3, value(text, "platoon_tap_arp_answered_total{interface=\"wgm0\"}"));
        assertEquals(2, value(text, "platoon_tap_nd_answered_total{interface=\"wgm0\"}"));
        assertEquals(1, value(text, "platoon_tap_mac_changes_total{interface=\"wgm0\"}"));
        assertEquals(0, value(text, "platoon_tap_neighbours{family=\"ipv6\",interface=\"wgm0\"}"));
        assertEquals(1, value(text, "platoon_drops_total{interface=\"wgm0\",reason=\"" + Drop.TAP_NOT_IP.label() + "\"}"));
    }

    @Test
    void batchSizesAsSumAndCountSummariesWithMaxima() {
        DataPathCounters.LoopTally tally = counters.newLoopTally();
        tally.split(44);
        tally.split(4);
        tally.publish();
        transport.gsoTrainsSent.add(2);
        transport.gsoSegmentsSent.add(30);
        String text = metrics.scrape();
        assertTrue(text.contains("# TYPE platoon_tun_frame_segments summary"), text);
        assertEquals(2, value(text, "platoon_tun_frame_segments_count{interface=\"wgm0\"}"));
        assertEquals(48, value(text, "platoon_tun_frame_segments_sum{interface=\"wgm0\"}"));
        assertEquals(44, value(text, "platoon_tun_frame_segments_max{interface=\"wgm0\"}"));
        assertEquals(2, value(text, "platoon_tun_frames_read_total{interface=\"wgm0\"}"));
        assertEquals(2, value(text, "platoon_udp_gso_send_datagrams_count{interface=\"wgm0\"}"));
        assertEquals(30, value(text, "platoon_udp_gso_send_datagrams_sum{interface=\"wgm0\"}"));
        assertEquals(0, value(text, "platoon_udp_gro_batch_datagrams_count{interface=\"wgm0\"}"));
        assertEquals(0, value(text, "platoon_tun_train_segments_count{interface=\"wgm0\"}"));
        assertEquals(0, value(text, "platoon_handshake_queue_depth{interface=\"wgm0\"}"));
        assertEquals(51820, value(text, "platoon_listen_port{interface=\"wgm0\"}"));
    }

    @Test
    void kernelCountersFromTheNamespacesProcNet() {
        String text = metrics.scrape();
        assertEquals(42, value(text, "platoon_kernel_tun_tx_dropped_total{interface=\"wgm0\"}"));
        assertEquals(8, value(text, "platoon_kernel_udp_rcvbuf_errors_total{interface=\"wgm0\"}"));
        assertEquals(2, value(text, "platoon_kernel_udp_sndbuf_errors_total{interface=\"wgm0\"}"));
        assertEquals(8, value(text, "platoon_kernel_udp_in_errors_total{interface=\"wgm0\"}"));
    }

    @Test
    void namingUnitsJvmAndNoSecrets() {
        worker.addPeer(Keys.publicKey(Keys.generatePrivateKey()), null);
        String text = metrics.scrape();
        Matcher m = Pattern.compile("(?m)^# TYPE (platoon_\\S+) (\\S+)$").matcher(text);
        int platoon = 0;
        while (m.find()) {
            platoon++;
            if (m.group(2).equals("counter")) {
                assertTrue(m.group(1).endsWith("_total"), m.group(1));
            } else {
                assertFalse(m.group(1).endsWith("_total"), m.group(1));
            }
        }
        assertTrue(platoon > 30, "platoon metric families: " + platoon);
        for (String jvm : List.of("jvm_memory_used_bytes", "jvm_threads_live_threads", "jvm_gc_", "process_uptime_seconds",
                "system_cpu_count", "jvm_classes_loaded_classes")) {
            assertTrue(text.contains(jvm), jvm);
        }
        String priv = Keys.toBase64(privateKey);
        assertFalse(text.contains(priv) || text.contains(priv.substring(0, 8)), "private key in the scrape");
    }

    @Test
    void exporterSeriesWithFullKeyAllowedIpsAndFriendlyName() throws IOException {
        metrics.close();
        byte[] aliceKey = Keys.publicKey(Keys.generatePrivateKey());
        byte[] bobKey = Keys.publicKey(Keys.generatePrivateKey());
        String alice = Keys.toBase64(aliceKey);
        String bob = Keys.toBase64(bobKey);
        java.util.Map<Peer, String> allowed = new java.util.HashMap<>();
        boolean[] keyed = {true};
        int[] port = {51820};
        metrics = new DeviceMetrics(new MetricSources("wgm0", worker, counters, transport, List::of,
                List.of(), () -> port[0], procNet, InstantSource.fixed(NOW), () -> allowed,
                () -> java.util.Map.of(alice, "alice phone"), () -> keyed[0]));
        Peer a = worker.addPeer(aliceKey, null);
        Peer b = worker.addPeer(bobKey, null);
        allowed.put(a, "100.64.0.2/32,fd00:64::2/128");
        a.counters().txBytes.add(5000);
        a.counters().rxBytes.add(7000);
        a.counters().setLastHandshake(NOW.getEpochSecond() - 30, 250_000_000);
        String text = metrics.scrape();
        String la = "{allowed_ips=\"100.64.0.2/32,fd00:64::2/128\",friendly_name=\"alice phone\",interface=\"wgm0\","
                + "public_key=\"" + alice + "\"}";
        assertEquals(5000, value(text, "wireguard_sent_bytes_total" + la));
        assertEquals(7000, value(text, "wireguard_received_bytes_total" + la));
        assertEquals(NOW.getEpochSecond() - 30, value(text, "wireguard_latest_handshake_seconds" + la));
        assertTrue(text.contains("# TYPE wireguard_sent_bytes_total counter"), text);
        assertTrue(text.contains("# TYPE wireguard_latest_handshake_seconds gauge"), text);
        String lb = "{allowed_ips=\"\",friendly_name=\"\",interface=\"wgm0\",public_key=\"" + bob + "\"}";
        assertEquals(0, value(text, "wireguard_latest_handshake_seconds" + lb), "never: 0, as the exporter says");
        assertEquals(0, value(text, "wireguard_sent_bytes_total" + lb));
        // allowed IPs change at run time (wg set): the labels follow on the next scrape
        allowed.put(b, "100.64.0.3/32");
        assertEquals(0, value(metrics.scrape(), "wireguard_sent_bytes_total{allowed_ips=\"100.64.0.3/32\","
                + "friendly_name=\"\",interface=\"wgm0\",public_key=\"" + bob + "\"}"));
        worker.removePeer(bobKey);
        assertFalse(metrics.scrape().contains(bob), "a removed peer's series go");

        Matcher build = Pattern.compile("(?m)^platoon_build_info\\{(.*)} 1(\\.0)?$").matcher(text);
        assertTrue(build.find(), text);
        assertTrue(build.group(1).contains("version=\"") && build.group(1).contains("java_version=\""), build.group(1));

        assertEquals(null, metrics.notReady());
        keyed[0] = false;
        assertEquals("wgm0 has no private key", metrics.notReady());
        keyed[0] = true;
        port[0] = 0;
        assertEquals("wgm0 has no UDP port", metrics.notReady());
        port[0] = 51820;
        Files.writeString(procNet.resolve("dev"), "Inter-| Receive\n face |bytes\n    lo: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
        assertEquals("wgm0 has no network device (not up, or going down)", metrics.notReady());
        String priv = Keys.toBase64(privateKey);
        assertFalse(text.contains(priv), "private key in the scrape");
    }

    /** The value of the one sample line that starts with {@code series} (labels sorted as exported). */
    static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        throw new AssertionError("no sample " + series + " in:\n" + text);
    }
}
