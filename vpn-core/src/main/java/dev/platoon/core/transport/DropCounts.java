package dev.platoon.core.transport;

import java.util.concurrent.atomic.LongAdder;

/**
 * One counter per drop reason of an enum, written by loop threads without contention (LongAdder) and
 * summed by readers (show, metrics). Shared by the transport's and the data path's counters.
 */
public final class DropCounts<E extends Enum<E>> {
    private final LongAdder[] counts;

    public DropCounts(Class<E> reasons) {
        counts = new LongAdder[reasons.getEnumConstants().length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    public void add(E reason, long packets) {
        counts[reason.ordinal()].add(packets);
    }

    public long sum(E reason) {
        return counts[reason.ordinal()].sum();
    }
}
