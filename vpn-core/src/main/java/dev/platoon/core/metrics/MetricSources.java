package dev.platoon.core.metrics;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.datapath.InboundPath;
import dev.platoon.core.datapath.OutboundPath;
import dev.platoon.core.device.Device;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.tap.Tap;
import dev.platoon.core.transport.KernelUdpStats;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.tun.GroCoalescer;
import dev.platoon.tun.GsoSplitter;

/**
 * Everything {@link DeviceMetrics} reads, as parts rather than a whole {@link Device}, so the metrics
 * can be tested on a control plane without a tun device. Every value is read at scrape time from the
 * counters the data path already keeps: the metrics add nothing per packet.
 *
 * @param ifname     the interface name: the {@code interface} label and the row of {@code net/dev}
 * @param procNet    the network namespace's {@code /proc/.../net} (snmp, snmp6, dev)
 * @param coalescers the inbound paths' GRO coalescers (made when the tun is attached, so a supplier)
 * @param splitters  the outbound paths' GSO splitters
 * @param allowedIps each peer's allowed IPs as {@code wg show} prints them, comma-separated, read per scrape
 * @param names      friendly names by base64 public key ({@code # friendly_name = ...} in the file)
 * @param keyed      whether the interface has a private key (readiness)
 * @param tap        the tap of a device in tap mode, or null
 */
public record MetricSources(String ifname, HandshakeWorker worker, DataPathCounters counters,
                            TransportCounters transportCounters, Supplier<List<GroCoalescer>> coalescers,
                            List<GsoSplitter> splitters, IntSupplier listenPort, Path procNet,
                            InstantSource wallClock, Supplier<Map<Peer, String>> allowedIps,
                            Supplier<Map<String, String>> names, BooleanSupplier keyed, Tap tap) {

    public MetricSources {
        Objects.requireNonNull(ifname, "ifname");
        Objects.requireNonNull(worker, "worker");
        Objects.requireNonNull(counters, "counters");
        Objects.requireNonNull(transportCounters, "transportCounters");
        Objects.requireNonNull(coalescers, "coalescers");
        splitters = List.copyOf(splitters);
        Objects.requireNonNull(listenPort, "listenPort");
        Objects.requireNonNull(procNet, "procNet");
        Objects.requireNonNull(wallClock, "wallClock");
        Objects.requireNonNull(allowedIps, "allowedIps");
        Objects.requireNonNull(names, "names");
        Objects.requireNonNull(keyed, "keyed");
    }

    /** A device in tun mode. */
    public MetricSources(String ifname, HandshakeWorker worker, DataPathCounters counters,
                         TransportCounters transportCounters, Supplier<List<GroCoalescer>> coalescers,
                         List<GsoSplitter> splitters, IntSupplier listenPort, Path procNet, InstantSource wallClock,
                         Supplier<Map<Peer, String>> allowedIps, Supplier<Map<String, String>> names,
                         BooleanSupplier keyed) {
        this(ifname, worker, counters, transportCounters, coalescers, splitters, listenPort, procNet, wallClock,
                allowedIps, names, keyed, null);
    }

    /** Without allowed IPs or names, and with a key: a control plane in a test. */
    public MetricSources(String ifname, HandshakeWorker worker, DataPathCounters counters,
                         TransportCounters transportCounters, Supplier<List<GroCoalescer>> coalescers,
                         List<GsoSplitter> splitters, IntSupplier listenPort, Path procNet, InstantSource wallClock) {
        this(ifname, worker, counters, transportCounters, coalescers, splitters, listenPort, procNet, wallClock,
                Map::of, Map::of, () -> true);
    }

    /**
     * A running device, with the kernel counters of the calling thread's namespace: platoon runs inside
     * the namespace its interface lives in, so its own {@code /proc/thread-self/net} is the right one.
     */
    public static MetricSources of(Device device) {
        List<InboundPath> inbound = device.inboundPaths();
        Supplier<List<GroCoalescer>> coalescers = () -> {
            List<GroCoalescer> out = new ArrayList<>(inbound.size());
            for (InboundPath in : inbound) {
                GroCoalescer c = in.coalescer();
                if (c != null) {
                    out.add(c);
                }
            }
            return out;
        };
        List<GsoSplitter> splitters = device.outboundPaths().stream().map(OutboundPath::splitter).toList();
        Supplier<Map<Peer, String>> allowed = () -> {
            Map<Peer, StringBuilder> joined = new HashMap<>();
            device.routes().forEach((prefix, peer) -> {
                StringBuilder sb = joined.computeIfAbsent(peer, p -> new StringBuilder());
                sb.append(sb.isEmpty() ? "" : ",").append(prefix);
            });
            Map<Peer, String> out = new HashMap<>();
            joined.forEach((peer, sb) -> out.put(peer, sb.toString()));
            return out;
        };
        FileNames names = new FileNames(device.configFile());
        return new MetricSources(device.name(), device.worker(), device.counters(), device.transportCounters(),
                coalescers, splitters, device::listenPort, KernelUdpStats.PROC_NET, InstantSource.system(),
                allowed, names::get, device::hasPrivateKey, device.tun() instanceof Tap tap ? tap : null);
    }
}
