package dev.platoon.core.datapath;

import dev.platoon.core.peer.Peer;

/**
 * One loop's run of packets to or from the same peer, told to the peer once per run instead of once
 * per packet: the peer's transfer counters are LongAdders (a CAS each) and its timers volatile
 * stores, which other threads (timers, {@code wg show}, metrics) read, so per packet they cost two
 * CASes and two fences for numbers nobody reads at that rate. A run ends when a packet of another
 * peer comes, and at the end of the read batch ({@link #flush}), so the counters and timers are at
 * most one batch (microseconds) behind. Used by one loop thread only.
 */
final class PeerRun {
    enum Direction { SENT, RECEIVED }

    private final Direction direction;
    private Peer peer;
    private long now;
    private int packets;
    private long bytes;
    private boolean data;

    PeerRun(Direction direction) {
        this.direction = direction;
    }

    /** {@code data} false for a keepalive (received): it counts, but does not start the keepalive timer. */
    void add(Peer p, long nowNanos, int count, long byteCount, boolean carriesData) {
        if (p != peer) {
            flush();
            peer = p;
        }
        now = nowNanos;
        packets += count;
        bytes += byteCount;
        data |= carriesData;
    }

    /** Tells the peer about the run so far, if any. */
    void flush() {
        Peer p = peer;
        if (p == null) {
            return;
        }
        if (direction == Direction.RECEIVED) {
            p.onAuthenticatedPacketReceived(now, packets, bytes, !data);
        } else {
            p.onDataSent(now, packets, bytes);
        }
        peer = null;
        packets = 0;
        bytes = 0;
        data = false;
    }
}
