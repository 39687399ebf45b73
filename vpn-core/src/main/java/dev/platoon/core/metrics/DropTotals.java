package dev.platoon.core.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.handshake.HandshakeCounters;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.crypto.HandshakeException;
import dev.platoon.tun.DropReason;
import dev.platoon.tun.GsoSplitter;

/**
 * Every drop counter of a device, summed into one {@code reason → packets} map per scrape: the
 * {@code reason} label of {@code platoon_drops_total}. The vocabulary is {@code platoon show}'s: data
 * path and transport reasons as they are, the splitter's as {@code split_*}, the handshake worker's as it
 * names them, the peers' (summed over peers, to keep one series per reason) as {@code peer_*}.
 *
 * <p>Two sources name one event twice, and are counted once here: a handshake message the worker's
 * full queue refuses is counted by the worker ({@code handshake_queue_full}) and again by the inbound
 * path, so the inbound path's count is left out. A handshake reason that names a different event
 * than a data-path reason of the same name (the worker's {@code no_endpoint} is a handshake message it
 * could not send, the data path's a data packet) is prefixed {@code handshake_}.
 */
final class DropTotals {
    private final MetricSources sources;
    private final Set<String> dataPathLabels = new TreeSet<>();
    private volatile Map<String, Long> last = Map.of();

    DropTotals(MetricSources sources) {
        this.sources = sources;
        for (DataPathCounters.Drop d : DataPathCounters.Drop.values()) {
            dataPathLabels.add(d.label());
        }
        for (TransportCounters.Drop d : TransportCounters.Drop.values()) {
            dataPathLabels.add(d.label());
        }
    }

    /** Reasons known before any drop happened, so their series exist (at 0) from the first scrape. */
    Set<String> knownReasons() {
        Set<String> out = new TreeSet<>(dataPathLabels);
        for (DropReason r : DropReason.values()) {
            out.add(splitLabel(r));
        }
        for (String r : new String[] {HandshakeCounters.QUEUE_FULL, HandshakeCounters.BAD_SIZE,
                HandshakeCounters.BAD_TYPE, HandshakeCounters.INVALID_MAC1, HandshakeCounters.RATE_LIMITED,
                HandshakeCounters.UNKNOWN_PEER, HandshakeCounters.UNKNOWN_INDEX,
                HandshakeCounters.INVALID_COOKIE_REPLY, HandshakeCounters.INITIATION_FLOOD,
                HandshakeCounters.NO_ENDPOINT, HandshakeCounters.COOKIE_REPLY_LIMITED}) {
            out.add(handshakeLabel(r));
        }
        for (HandshakeException.Reason r : HandshakeException.Reason.values()) {
            out.add(handshakeLabel("handshake_" + r.name().toLowerCase(Locale.ROOT)));
        }
        for (String r : new String[] {PeerCounters.DROP_STAGED_QUEUE_FULL, PeerCounters.DROP_HANDSHAKE_GAVE_UP,
                PeerCounters.DROP_KEYS_ZEROED, PeerCounters.DROP_STAGED_TOO_LARGE, PeerCounters.DROP_NO_ENDPOINT}) {
            out.add("peer_" + r);
        }
        return out;
    }

    /** Reads every source once; the result is also kept for {@link #get}. */
    Map<String, Long> refresh() {
        Map<String, Long> out = new TreeMap<>();
        DataPathCounters c = sources.counters();
        for (DataPathCounters.Drop d : DataPathCounters.Drop.values()) {
            if (d != DataPathCounters.Drop.HANDSHAKE_QUEUE_FULL) { // the worker counts these itself
                out.merge(d.label(), c.drops(d), Long::sum);
            }
        }
        TransportCounters t = sources.transportCounters();
        for (TransportCounters.Drop d : TransportCounters.Drop.values()) {
            out.merge(d.label(), t.drops(d), Long::sum);
        }
        for (GsoSplitter s : sources.splitters()) {
            for (DropReason r : DropReason.values()) {
                out.merge(splitLabel(r), s.drops(r), Long::sum);
            }
        }
        sources.worker().counters().dropsSnapshot().forEach((k, v) -> out.merge(handshakeLabel(k), v, Long::sum));
        for (Peer p : sources.worker().peers()) {
            p.counters().dropsSnapshot().forEach((k, v) -> out.merge("peer_" + k, v, Long::sum));
        }
        last = out;
        return out;
    }

    /** The value of {@code reason} at the last {@link #refresh}. */
    long get(String reason) {
        return last.getOrDefault(reason, 0L);
    }

    private String handshakeLabel(String reason) {
        return dataPathLabels.contains(reason) && !reason.equals(HandshakeCounters.QUEUE_FULL)
                ? "handshake_" + reason : reason;
    }

    private static String splitLabel(DropReason r) {
        return "split_" + r.name().toLowerCase(Locale.ROOT);
    }
}
