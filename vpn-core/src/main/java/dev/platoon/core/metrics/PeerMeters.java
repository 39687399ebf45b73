package dev.platoon.core.metrics;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The meters of each peer, labelled {@code peer} = the first 8 base64 characters of its public key.
 * Peers come and go at run time (wg set, syncconf), so {@link #sync} is called before each scrape:
 * new peers get meters, removed peers lose theirs (their counters would otherwise stay at the last
 * value forever, and the meters would keep the peer object alive).
 */
final class PeerMeters {
    /** The endpoint family label values; exactly one of a peer's three series is 1. */
    static final List<String> FAMILIES = List.of("ipv4", "ipv6", "none");

    private final MeterRegistry registry;
    private final InstantSource wallClock;
    private final Map<Peer, List<Meter>> meters = new HashMap<>();

    PeerMeters(MeterRegistry registry, InstantSource wallClock) {
        this.registry = registry;
        this.wallClock = wallClock;
    }

    synchronized void sync(Collection<Peer> peers) {
        List<Peer> gone = new ArrayList<>(meters.keySet());
        gone.removeAll(peers);
        for (Peer p : gone) {
            meters.remove(p).forEach(registry::remove);
        }
        for (Peer p : peers) {
            meters.computeIfAbsent(p, this::register);
        }
    }

    synchronized int size() {
        return meters.size();
    }

    private List<Meter> register(Peer peer) {
        String tag = peer.shortName();
        PeerCounters c = peer.counters();
        List<Meter> out = new ArrayList<>();
        out.add(counter("platoon.peer.rx.bytes", "bytes", "Transport payload bytes received from the peer", tag, c,
                x -> x.rxBytes.sum()));
        out.add(counter("platoon.peer.tx.bytes", "bytes", "Transport payload bytes sent to the peer", tag, c,
                x -> x.txBytes.sum()));
        out.add(counter("platoon.peer.rx.packets", null, "Transport data messages received from the peer", tag, c,
                x -> x.rxPackets.sum()));
        out.add(counter("platoon.peer.tx.packets", null, "Transport data messages sent to the peer", tag, c,
                x -> x.txPackets.sum()));
        out.add(counter("platoon.peer.handshakes.initiated", null, "Handshake initiations sent to the peer", tag, c,
                x -> x.handshakesInitiated.sum()));
        out.add(counter("platoon.peer.handshakes.completed", null, "Handshakes completed with the peer", tag, c,
                x -> x.handshakesCompleted.sum()));
        out.add(counter("platoon.peer.handshakes.failed", null,
                "Handshake attempts abandoned after REKEY_ATTEMPT_TIME", tag, c, x -> x.handshakesFailed.sum()));
        out.add(Gauge.builder("platoon.peer.last.handshake.age", c, this::secondsSinceHandshake)
                .baseUnit("seconds").description("Seconds since the last completed handshake (NaN: never)")
                .tag("peer", tag).register(registry));
        out.add(Gauge.builder("platoon.peer.last.handshake.timestamp", c, PeerMeters::handshakeEpochSeconds)
                .baseUnit("seconds").description("Wall-clock time of the last completed handshake (0: never)")
                .tag("peer", tag).register(registry));
        for (String family : FAMILIES) {
            out.add(Gauge.builder("platoon.peer.endpoint.family", peer, p -> family.equals(family(p.endpoint())) ? 1 : 0)
                    .description("1 for the address family of the peer's current endpoint, else 0")
                    .tag("peer", tag).tag("family", family).register(registry));
        }
        return out;
    }

    private Meter counter(String name, String unit, String help, String peer, PeerCounters c,
                          ToDoubleFunction<PeerCounters> f) {
        return FunctionCounter.builder(name, c, f).baseUnit(unit).description(help).tag("peer", peer)
                .register(registry);
    }

    private double secondsSinceHandshake(PeerCounters c) {
        long s;
        int n;
        synchronized (c) { // the pair is written under this lock
            s = c.lastHandshakeEpochSecond();
            n = c.lastHandshakeNano();
        }
        if (s == 0 && n == 0) {
            return Double.NaN;
        }
        var now = wallClock.instant();
        return Math.max(0, (now.getEpochSecond() - s) + (now.getNano() - n) / 1e9);
    }

    private static double handshakeEpochSeconds(PeerCounters c) {
        synchronized (c) {
            return c.lastHandshakeEpochSecond() + c.lastHandshakeNano() / 1e9;
        }
    }

    static String family(InetSocketAddress endpoint) {
        if (endpoint == null || endpoint.getAddress() == null) {
            return "none";
        }
        if (endpoint.getAddress() instanceof Inet4Address) {
            return "ipv4";
        }
        Inet6Address a = (Inet6Address) endpoint.getAddress();
        byte[] b = a.getAddress();
        // ::ffff:a.b.c.d as seen on a dual-stack socket is an IPv4 peer (Java usually unmaps it already)
        boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        for (int i = 0; i < 10 && mapped; i++) {
            mapped = b[i] == 0;
        }
        return mapped ? "ipv4" : "ipv6";
    }
}
