package dev.platoon.core.metrics;

import java.util.HashSet;
import java.util.Set;
import java.util.function.ToLongFunction;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.device.Device;
import dev.platoon.core.tap.Tap;
import dev.platoon.core.tap.TapCounters;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.crypto.AeadEngines;
import dev.platoon.tun.GroCoalescer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A running device's counters as Prometheus metrics, every one read at scrape time from the LongAdders
 * and plain counters the data path already keeps (nothing is added per packet). All names start with
 * {@code platoon_}, carry their unit, and counters end in {@code _total}; every series has the label
 * {@code interface}, per-peer ones {@code peer} (8 base64 characters of the public key — never a
 * private key), drops {@code reason}. Plus the JVM's memory, GC, threads, class loading, CPU and uptime
 * from Micrometer's binders, and prometheus_wireguard_exporter's per-peer series with full public keys
 * and {@code platoon_build_info} ({@link ExporterSeries}). {@link #scrape} renders the text format for
 * {@code /metrics}; {@link #notReady} says whether the interface serves, for {@code /ready}.
 */
public final class DeviceMetrics implements AutoCloseable {
    private final MetricSources sources;
    private final PrometheusMeterRegistry registry;
    private final PeerMeters peers;
    private final DropTotals drops;
    private final KernelCounters kernel;
    private final Set<String> dropReasons = new HashSet<>();
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public DeviceMetrics(MetricSources sources) {
        this.sources = sources;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("interface", sources.ifname());
        this.peers = new PeerMeters(registry, sources.wallClock());
        this.drops = new DropTotals(sources);
        this.kernel = new KernelCounters(sources.procNet(), sources.ifname());
        bindInterface();
        bindSummaries();
        registry.getPrometheusRegistry().register(new ExporterSeries(sources));
        bindKernel();
        if (sources.tap() != null) {
            bindTap(sources.tap());
        }
        for (String reason : drops.knownReasons()) {
            registerDrop(reason);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        refresh();
    }

    /** Metrics of a running device, reading the kernel counters of this process's network namespace. */
    public static DeviceMetrics of(Device device) {
        return new DeviceMetrics(MetricSources.of(device));
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of everything, after reading the values that change in sets. */
    public synchronized String scrape() {
        refresh();
        return registry.scrape();
    }

    /**
     * Why the interface does not serve, or null when it does: its device exists in this namespace, it
     * has a private key and a bound UDP port. {@code /ready} answers 503 with this line.
     */
    public String notReady() {
        try {
            if (dev.platoon.core.transport.KernelTunStats.txDropped(sources.procNet(), sources.ifname()) < 0) {
                return sources.ifname() + " has no network device (not up, or going down)";
            }
        } catch (java.io.IOException | RuntimeException e) {
            return sources.ifname() + ": cannot read the network devices: " + e.getMessage();
        }
        if (!sources.keyed().getAsBoolean()) {
            return sources.ifname() + " has no private key";
        }
        int port = sources.listenPort().getAsInt();
        if (port <= 0) {
            return sources.ifname() + " has no UDP port";
        }
        return null;
    }

    /** Peers added or removed, new drop reasons, and the kernel's counters: read once per scrape. */
    synchronized void refresh() {
        peers.sync(sources.worker().peers());
        for (String reason : drops.refresh().keySet()) {
            registerDrop(reason);
        }
        kernel.refresh();
    }

    private void registerDrop(String reason) {
        if (dropReasons.add(reason)) {
            FunctionCounter.builder("platoon.drops", drops, d -> d.get(reason))
                    .description("Packets or messages dropped, by reason (platoon show's names)")
                    .tag("reason", reason).register(registry);
        }
    }

    private void bindInterface() {
        DataPathCounters c = sources.counters();
        TransportCounters t = sources.transportCounters();
        counter("platoon.tun.frames.read", null, "Frames read from the tun device (a train is one frame)",
                c, x -> x.framesRead.sum());
        counter("platoon.tun.packets.read", null, "IP packets the frames read from tun split into",
                c, x -> x.segmentsFromFrames.sum());
        counter("platoon.tun.frames.written", null, "Frames written to the tun device (trains and single packets)",
                sources, s -> coalesced(s, GroCoalescer::framesOut));
        counter("platoon.tun.trains.written", null, "Coalesced trains written to the tun device",
                sources, s -> coalesced(s, GroCoalescer::trainsOut));
        counter("platoon.tun.read.pauses", null, "Times tun reading paused because a UDP socket was unwritable",
                t, x -> x.tunReadPauses.sum());
        counter("platoon.data.packets.sealed", null, "Transport data messages sealed", c, x -> x.packetsSealed.sum());
        counter("platoon.data.packets.opened", null, "Transport data messages opened", c, x -> x.packetsOpened.sum());
        counter("platoon.keepalives.received", null, "Keepalives received", c, x -> x.keepalivesReceived.sum());
        counter("platoon.udp.gso.sends", null, "UDP_SEGMENT sends (one train of datagrams each)",
                t, x -> x.gsoTrainsSent.sum());
        counter("platoon.udp.datagrams.sent.single", null, "Datagrams sent one by one (no GSO)",
                t, x -> x.singleDatagramsSent.sum());
        counter("platoon.udp.gso.fallbacks", null, "Trains re-sent one by one after the kernel refused GSO",
                t, x -> x.gsoFallbackTrains.sum());
        counter("platoon.udp.datagrams.received", null, "Datagrams received", t, x -> x.receiveDatagrams.sum());
        var hs = sources.worker().counters();
        counter("platoon.handshake.initiations.sent", null, "Handshake initiations sent", hs,
                x -> x.initiationsSent.sum());
        counter("platoon.handshake.responses.sent", null, "Handshake responses sent", hs,
                x -> x.responsesSent.sum());
        counter("platoon.cookie.replies.sent", null, "Cookie replies sent (under load)", hs,
                x -> x.cookieRepliesSent.sum());
        counter("platoon.cookie.replies.received", null, "Cookie replies received", hs,
                x -> x.cookiesReceived.sum());
        Gauge.builder("platoon.handshake.queue.depth", sources.worker(), w -> w.pendingMessages())
                .description("Handshake messages waiting for the worker").register(registry);
        Gauge.builder("platoon.handshake.under.load", sources.worker(), w -> w.isUnderLoad() ? 1 : 0)
                .description("1 while the worker answers initiations with cookies").register(registry);
        for (AeadEngines.Kind k : AeadEngines.Kind.values()) {
            Gauge.builder("platoon.cipher.engine", k, x -> AeadEngines.chosen() == x ? 1 : 0).tag("engine", k.label())
                    .description("1 for the ChaCha20-Poly1305 engine the data path uses, 0 for the others")
                    .register(registry);
            Gauge.builder("platoon.cipher.engine.trial.bytes.per.second", k, AeadEngines::rate)
                    .tag("engine", k.label())
                    .description("Seal plus open of 1400-byte packets in the start-up trial (NaN: not measured)")
                    .register(registry);
        }
        FunctionCounter.builder("platoon.cipher.engine.faults", AeadEngines.class, x -> AeadEngines.faults())
                .description("Packets lost because a cipher engine threw or failed its known answers")
                .register(registry);
        Gauge.builder("platoon.peers", sources.worker(), w -> w.peers().size())
                .description("Configured peers").register(registry);
        Gauge.builder("platoon.listen.port", sources, s -> s.listenPort().getAsInt())
                .description("The UDP port platoon listens on").register(registry);
        Gauge.builder("platoon.tun.frame.segments.max", c, x -> x.maxSegmentsPerFrame.get())
                .description("Most IP packets seen in one tun frame").register(registry);
        Gauge.builder("platoon.udp.gro.batch.datagrams.max", t, TransportCounters::receiveMaxBatch)
                .description("Most datagrams seen in one receive wake-up").register(registry);
    }

    private void bindSummaries() {
        DataPathCounters c = sources.counters();
        TransportCounters t = sources.transportCounters();
        SumCountSummaries s = new SumCountSummaries(sources.ifname())
                .add("platoon_tun_frame_segments", "IP packets per frame read from tun (count = frames)",
                        c.framesRead::sum, c.segmentsFromFrames::sum)
                .add("platoon_tun_train_segments", "IP packets per coalesced train written to tun (count = trains)",
                        () -> coalesced(sources, GroCoalescer::trainsOut),
                        () -> coalesced(sources, GroCoalescer::segmentsInTrains))
                .add("platoon_udp_gro_batch_datagrams", "Datagrams per UDP receive wake-up (up to 16 recvmsg, each one datagram or a GRO batch)",
                        t.receiveBatches::sum, t.receiveDatagrams::sum)
                .add("platoon_udp_gso_send_datagrams", "Datagrams per UDP_SEGMENT send",
                        t.gsoTrainsSent::sum, t.gsoSegmentsSent::sum);
        registry.getPrometheusRegistry().register(s);
    }

    private void bindKernel() {
        FunctionCounter.builder("platoon.kernel.tun.tx.dropped", kernel, KernelCounters::tunTxDropped)
                .description("The kernel's tx_dropped of the tun device: packets it could not "
                        + "queue for platoon to read").register(registry);
        FunctionCounter.builder("platoon.kernel.udp.rcvbuf.errors", kernel, KernelCounters::udpRcvbufErrors)
                .description("UDP RcvbufErrors of the namespace (IPv4 + IPv6)").register(registry);
        FunctionCounter.builder("platoon.kernel.udp.sndbuf.errors", kernel, KernelCounters::udpSndbufErrors)
                .description("UDP SndbufErrors of the namespace (IPv4 + IPv6)").register(registry);
        FunctionCounter.builder("platoon.kernel.udp.in.errors", kernel, KernelCounters::udpInErrors)
                .description("UDP InErrors of the namespace (IPv4 + IPv6)").register(registry);
    }

    /** Tap mode: what the tap answered, asked and learned (its drops are platoon_drops_total's tap_*). */
    private void bindTap(Tap tap) {
        TapCounters c = tap.counters();
        counter("platoon.tap.arp.answered", null, "ARP requests answered with the tap's MAC", c,
                x -> x.arpAnswered.sum());
        counter("platoon.tap.nd.answered", null, "Neighbour solicitations answered with the tap's MAC", c,
                x -> x.ndAnswered.sum());
        counter("platoon.tap.probes.sent", null, "ARP requests and solicitations sent for a destination's MAC", c,
                x -> x.probesSent.sum());
        counter("platoon.tap.packets.held", null, "Packets from the tunnel held while their destination's MAC was asked",
                c, x -> x.held.sum());
        counter("platoon.tap.neighbours.learned", null, "Hosts behind the tap entered in the neighbour table", c,
                x -> x.neighboursLearned.sum());
        counter("platoon.tap.mac.changes", null, "Neighbours whose MAC changed (a new NIC, a moved VM)", c,
                x -> x.macChanges.sum());
        for (boolean v6 : new boolean[] {false, true}) {
            Gauge.builder("platoon.tap.neighbours", tap, t -> t.neighbours(v6).size()).tag("family", v6 ? "ipv6" : "ipv4")
                    .description("Hosts behind the tap in the neighbour table").register(registry);
        }
    }

    private <T> void counter(String name, String unit, String help, T obj, java.util.function.ToDoubleFunction<T> f) {
        FunctionCounter.builder(name, obj, f).baseUnit(unit).description(help).register(registry);
    }

    private static long coalesced(MetricSources s, ToLongFunction<GroCoalescer> f) {
        long n = 0;
        for (GroCoalescer g : s.coalescers().get()) {
            n += f.applyAsLong(g);
        }
        return n;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
