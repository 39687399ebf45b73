package dev.platoon.core.drop;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One counter per {@link Drop}, made on its first use (a peer's counts stay small when nothing is
 * dropped), written without contention by any thread (LongAdder) and summed by readers.
 */
public final class DropCounts {
    private final AtomicReferenceArray<LongAdder> counts = new AtomicReferenceArray<>(Drop.values().length);

    public void add(Drop reason, long n) {
        LongAdder a = counts.get(reason.ordinal());
        if (a == null) {
            counts.compareAndSet(reason.ordinal(), null, new LongAdder());
            a = counts.get(reason.ordinal());
        }
        a.add(n);
    }

    public void add(Drop reason) {
        add(reason, 1);
    }

    public long sum(Drop reason) {
        LongAdder a = counts.get(reason.ordinal());
        return a == null ? 0 : a.sum();
    }
}
