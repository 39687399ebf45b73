package dev.platoon.core.metrics;

import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.datapath.InboundPath;
import dev.platoon.core.datapath.OutboundPath;
import dev.platoon.core.device.Device;
import dev.platoon.core.handshake.HandshakeWorker;
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
 */
public record MetricSources(String ifname, HandshakeWorker worker, DataPathCounters counters,
                            TransportCounters transportCounters, Supplier<List<GroCoalescer>> coalescers,
                            List<GsoSplitter> splitters, IntSupplier listenPort, Path procNet,
                            InstantSource wallClock) {

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
        return new MetricSources(device.name(), device.worker(), device.counters(), device.transportCounters(),
                coalescers, splitters, device::listenPort, KernelUdpStats.PROC_NET, InstantSource.system());
    }
}
