package dev.platoon.core.peer;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Statistics of one peer, written from many threads (LongAdder: no contended cache line per packet)
 * and read by {@code wg show} / metrics. Drops are counted by reason, a short snake_case string
 * (the {@code reason} label of {@code platoon_drops_total}).
 */
public final class PeerCounters {
    /** Staging queue over its bound: the oldest staged packet was dropped. */
    public static final String DROP_STAGED_QUEUE_FULL = "staged_queue_full";
    /** Staged packets discarded because the handshake never completed (REKEY_ATTEMPT_TIME). */
    public static final String DROP_HANDSHAKE_GAVE_UP = "handshake_gave_up";
    /** Staged packets discarded when all key material was zeroed. */
    public static final String DROP_KEYS_ZEROED = "keys_zeroed";
    /** A staged packet too large to send in one datagram. */
    public static final String DROP_STAGED_TOO_LARGE = "staged_too_large";
    /** Nowhere to send (no endpoint known). */
    public static final String DROP_NO_ENDPOINT = "no_endpoint";

    public final LongAdder rxBytes = new LongAdder();
    public final LongAdder rxPackets = new LongAdder();
    public final LongAdder txBytes = new LongAdder();
    public final LongAdder txPackets = new LongAdder();
    public final LongAdder handshakesInitiated = new LongAdder();
    public final LongAdder handshakesCompleted = new LongAdder();
    /** Handshake attempts abandoned after REKEY_ATTEMPT_TIME. */
    public final LongAdder handshakesFailed = new LongAdder();

    private final NamedDropCounts drops = new NamedDropCounts();

    // Wall-clock time of the last completed handshake, for wg's last_handshake_time_sec/nsec (0/0 = never).
    private volatile long lastHandshakeEpochSecond;
    private volatile int lastHandshakeNano;

    /** Counts {@code n} dropped packets; allocation-free once the reason has been seen. */
    public void drop(String reason, long n) {
        drops.add(reason, n);
    }

    public void drop(String reason) {
        drops.add(reason, 1);
    }

    public long drops(String reason) {
        return drops.sum(reason);
    }

    /** Reason → count, sorted by reason. */
    public Map<String, Long> dropsSnapshot() {
        return drops.snapshot();
    }

    public synchronized void setLastHandshake(long epochSecond, int nano) {
        lastHandshakeNano = nano;
        lastHandshakeEpochSecond = epochSecond;
    }

    public synchronized long lastHandshakeEpochSecond() {
        return lastHandshakeEpochSecond;
    }

    public synchronized int lastHandshakeNano() {
        return lastHandshakeNano;
    }
}
