package dev.platoon.core.peer;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Drops counted by reason name, for the control plane whose reasons are open-ended (crypto's
 * rejection reasons, timer outcomes). Allocation-free once a reason has been seen. Shared by the
 * peer's and the handshake worker's counters.
 */
public final class NamedDropCounts {
    private final ConcurrentHashMap<String, LongAdder> counts = new ConcurrentHashMap<>();

    public void add(String reason, long n) {
        LongAdder a = counts.get(reason);
        if (a == null) {
            a = counts.computeIfAbsent(reason, r -> new LongAdder());
        }
        a.add(n);
    }

    public long sum(String reason) {
        LongAdder a = counts.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** Reason → count, sorted by reason. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
