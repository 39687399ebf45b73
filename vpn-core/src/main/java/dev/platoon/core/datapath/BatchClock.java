package dev.platoon.core.datapath;

import java.util.function.LongSupplier;

/**
 * A clock read at most once per read batch. The frames of one tun read batch, and the datagrams of one
 * GRO read, left or arrived together; the timers they feed count in seconds; and the vDSO call per
 * packet was ~1 % of a loop. Used by one loop thread only; {@link #batchEnd} at the end of each batch.
 */
final class BatchClock {
    private static final long UNREAD = Long.MIN_VALUE;

    private final LongSupplier clock;
    private long now = UNREAD;

    BatchClock(LongSupplier clock) {
        this.clock = clock;
    }

    long now() {
        long t = now;
        if (t == UNREAD) {
            t = clock.getAsLong();
            now = t;
        }
        return t;
    }

    void batchEnd() {
        now = UNREAD;
    }
}
