package dev.platoon.core.peer;

import dev.platoon.core.drop.Drop;
import dev.platoon.core.drop.DropCounts;

import java.util.concurrent.atomic.LongAdder;

/**
 * Statistics of one peer, written from many threads (LongAdder: no contended cache line per packet)
 * and read by {@code wg show} / metrics. Drops are counted by the registry's peer reasons ({@link Drop}).
 */
public final class PeerCounters {

    public final LongAdder rxBytes = new LongAdder();
    public final LongAdder rxPackets = new LongAdder();
    public final LongAdder txBytes = new LongAdder();
    public final LongAdder txPackets = new LongAdder();
    public final LongAdder handshakesInitiated = new LongAdder();
    public final LongAdder handshakesCompleted = new LongAdder();
    /** Handshake attempts abandoned after REKEY_ATTEMPT_TIME. */
    public final LongAdder handshakesFailed = new LongAdder();

    private final DropCounts drops = new DropCounts();

    // Wall-clock time of the last completed handshake, for wg's last_handshake_time_sec/nsec (0/0 = never).
    private volatile long lastHandshakeEpochSecond;
    private volatile int lastHandshakeNano;

    /** Counts {@code n} dropped packets under one of the registry's peer reasons. */
    public void drop(Drop reason, long n) {
        drops.add(reason, n);
    }

    public void drop(Drop reason) {
        drops.add(reason);
    }

    public long drops(Drop reason) {
        return drops.sum(reason);
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
