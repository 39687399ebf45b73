package dev.platoon.core.device;

import dev.platoon.core.metrics.DropTotals;
import dev.platoon.tun.GsoSplitter;

import dev.platoon.config.IpPrefix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.datapath.InboundPath;
import dev.platoon.core.datapath.OutboundPath;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.tap.Tap;
import dev.platoon.core.tap.TapCounters;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.tun.EthernetHeader;

/**
 * What {@code platoon show} prints for one interface: wg show's view (keys, endpoints, handshakes,
 * transfer) and the counters that prove the trains, and every drop that happened with its reason.
 * Rendered by the running device when a reader asks over the control socket ({@code show=1}): it walks
 * every peer and allowed IP, so nothing renders it ahead of a reader — at 5,000 peers a render is
 * ~1 MB of text. The command line only prints it.
 */
public final class DeviceStatus {
    private DeviceStatus() {
    }

    public static String render(Device d, Instant now) {
        PeerWalks.walked();
        List<String> out = new ArrayList<>();
        out.add("interface: " + d.name());
        out.add("  public key: " + Base64.getEncoder().encodeToString(d.identity().publicKey()));
        out.add("  private key: (hidden)");
        out.add("  listening port: " + d.listenPort());
        out.add("  tun: " + d.tun().describe() + ", MTU " + d.mtu());
        out.add("  cipher: " + dev.platoon.crypto.AeadEngines.summary());
        if (dev.platoon.crypto.AeadEngines.faults() > 0) {
            out.add("  cipher engine faults: " + dev.platoon.crypto.AeadEngines.faults()
                    + " (each lost one packet; the safe engine took over)");
        }
        // One walk of the routing table for all peers: per peer it would be peers × prefixes every second.
        Map<Peer, List<IpPrefix>> allowed = d.routes().byValue();
        for (Peer p : d.worker().peers()) {
            out.add("");
            out.add("peer: " + Base64.getEncoder().encodeToString(p.publicKey()));
            if (p.endpoint() != null) {
                out.add("  endpoint: " + dev.platoon.core.uapi.UapiValues.formatEndpoint(p.endpoint()));
            }
            List<IpPrefix> ips = allowed.getOrDefault(p, List.of());
            out.add("  allowed ips: " + (ips.isEmpty() ? "(none)"
                    : String.join(", ", ips.stream().map(Object::toString).toList())));
            long hs = p.counters().lastHandshakeEpochSecond();
            out.add("  latest handshake: " + (hs == 0 ? "never" : (now.getEpochSecond() - hs) + " seconds ago"));
            out.add("  transfer: " + bytes(p.counters().rxBytes.sum()) + " received, "
                    + bytes(p.counters().txBytes.sum()) + " sent");
            out.add("  handshakes: " + p.counters().handshakesInitiated.sum() + " initiated, "
                    + p.counters().handshakesCompleted.sum() + " completed, "
                    + p.counters().handshakesFailed.sum() + " failed");
            int keepalive = p.timers().persistentKeepalive();
            if (keepalive > 0) {
                out.add("  persistent keepalive: every " + keepalive + " seconds");
            }
        }
        DataPathCounters c = d.counters();
        TransportCounters t = d.transportCounters();
        long coalescedTrains = 0;
        long segmentsInTrains = 0;
        long framesOut = 0;
        for (InboundPath in : d.inboundPaths()) {
            if (in.coalescer() != null) {
                coalescedTrains += in.coalescer().trainsOut();
                segmentsInTrains += in.coalescer().segmentsInTrains();
                framesOut += in.coalescer().framesOut();
            }
        }
        out.add("");
        out.add("trains:");
        out.add(String.format("  frames read: %d, segments per frame: %.1f (max %d)", c.framesRead.sum(),
                ratio(c.segmentsFromFrames.sum(), c.framesRead.sum()), c.maxSegmentsPerFrame.get()));
        out.add(String.format("  GSO sends: %d, datagrams per send: %.1f; single datagrams: %d",
                t.gsoTrainsSent.sum(), ratio(t.gsoSegmentsSent.sum(), t.gsoTrainsSent.sum()),
                t.singleDatagramsSent.sum()));
        out.add(String.format("  receive wake-ups: %d, datagrams per wake-up: %.1f (max %d)", t.receiveBatches.sum(),
                ratio(t.receiveDatagrams.sum(), t.receiveBatches.sum()), t.receiveMaxBatch())
                + (t.handshakeSocketOpen ? ", handshake socket: " + t.handshakeSocketDatagrams.sum()
                        + " datagrams in " + t.handshakeSocketBatches.sum() + " wake-ups" : ""));
        out.add(String.format("  frames written: %d, of them coalesced trains: %d, segments per train: %.1f",
                framesOut, coalescedTrains, ratio(segmentsInTrains, coalescedTrains)));
        out.add("  tun read pauses (backpressure): " + t.tunReadPauses.sum()
                + ", GSO fallbacks: " + t.gsoFallbackTrains.sum());
        if (d.tun() instanceof Tap tap) {
            TapCounters tc = tap.counters();
            out.add("");
            out.add("tap: mac " + EthernetHeader.format(tap.mac()) + ", neighbours " + tap.neighbours(false).size()
                    + " IPv4, " + tap.neighbours(true).size() + " IPv6");
            out.add("  answered: " + tc.arpAnswered.sum() + " ARP, " + tc.ndAnswered.sum() + " ND; probes sent: "
                    + tc.probesSent.sum() + "; packets held for a neighbour: " + tc.held.sum());
            out.add("  learned: " + tc.neighboursLearned.sum() + " neighbours, " + tc.macChanges.sum()
                    + " MAC changes, " + tc.neighbourUpdates.sum() + " updates");
        }
        out.add("");
        out.addAll(d.loadWatch().lines(now));
        Map<String, Long> drops = new TreeMap<>();
        List<GsoSplitter> splitters = d.outboundPaths().stream().map(OutboundPath::splitter).toList();
        DropTotals.read(c, t, splitters, d.worker().counters(), d.worker().peers())
                .forEach((reason, n) -> drops.put(reason.label(), n));
        List<String> nonZero = new ArrayList<>();
        drops.forEach((k, v) -> {
            if (v != 0) {
                nonZero.add(k + " " + v);
            }
        });
        out.add("drops: " + (nonZero.isEmpty() ? "none" : String.join(", ", nonZero)));
        return String.join("\n", out) + "\n";
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format("%.2f %s", v, units[u]);
    }
}
