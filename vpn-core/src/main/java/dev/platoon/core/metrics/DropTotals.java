package dev.platoon.core.metrics;

import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.drop.Drop;
import dev.platoon.core.handshake.HandshakeCounters;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.tun.DropReason;
import dev.platoon.tun.GsoSplitter;

/**
 * Every drop counter of a device read under the registry's names ({@link Drop}): the {@code reason}
 * label of {@code platoon_drops_total}, and the drops {@code platoon show} prints. Each reason is
 * counted in one place (its {@link Drop#where()}); peers' drops are summed over the peers.
 */
public final class DropTotals {
    private final MetricSources sources;
    private volatile Map<String, Long> last = Map.of();

    DropTotals(MetricSources sources) {
        this.sources = sources;
    }

    /** Every reason's count now. A tap counts its drops in the transport counters; a tun has no tap drops. */
    public static EnumMap<Drop, Long> read(DataPathCounters dataPath, TransportCounters transport,
                                           Iterable<GsoSplitter> splitters, HandshakeCounters handshakes,
                                           Iterable<Peer> peers) {
        EnumMap<Drop, Long> out = new EnumMap<>(Drop.class);
        for (Drop d : Drop.values()) {
            out.put(d, switch (d.where()) {
                case DATA_PATH -> dataPath.drops(d);
                case TRANSPORT, TAP -> transport.drops(d);
                case HANDSHAKE -> handshakes.drops(d);
                case TUN, PEER -> 0L;
            });
        }
        for (GsoSplitter s : splitters) {
            for (DropReason r : DropReason.values()) {
                out.merge(Drop.split(r), s.drops(r), Long::sum);
            }
        }
        for (Peer p : peers) {
            for (Drop d : Drop.countedIn(Drop.Where.PEER)) {
                out.merge(d, p.counters().drops(d), Long::sum);
            }
        }
        return out;
    }

    /** Every label, so that each series exists (at 0) from the first scrape. */
    Set<String> knownReasons() {
        Set<String> out = new TreeSet<>();
        for (Drop d : Drop.values()) {
            out.add(d.label());
        }
        return out;
    }

    /** Reads every source once; the result is also kept for {@link #get}. */
    Map<String, Long> refresh() {
        Map<String, Long> out = new TreeMap<>();
        read(sources.counters(), sources.transportCounters(), sources.splitters(), sources.worker().counters(),
                sources.worker().peers()).forEach((d, n) -> out.put(d.label(), n));
        last = out;
        return out;
    }

    /** The value of {@code reason} at the last {@link #refresh}. */
    long get(String reason) {
        return last.getOrDefault(reason, 0L);
    }
}
