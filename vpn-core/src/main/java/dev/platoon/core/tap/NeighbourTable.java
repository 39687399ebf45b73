package dev.platoon.core.tap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The MACs of the hosts behind the tap, by IP address (one table per address family), with ageing.
 *
 * <p>Threads: every queue loop looks up (each packet from the tunnel) and learns (ARP, ND, source
 * addresses). A lookup takes no lock and allocates nothing: the slots are an open-addressing array
 * published with one volatile read; an entry's MAC and times are volatile fields updated in place.
 * Only a new neighbour copies the array (compare-and-set, dropping expired entries on the way), which
 * is rare and bounded by {@link #capacity}.
 */
public final class NeighbourTable {
    /** An entry waiting for its first answer. */
    public static final long NO_MAC = -1;
    /** At most one ARP/NS per destination per second, as the kernel's retrans_time. */
    public static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;
    /** Seen-time refreshes closer together than this are skipped: one volatile write per second, not per packet. */
    private static final long REFRESH_NANOS = 1_000_000_000L;

    /** One neighbour. Times are from the table's clock. */
    public static final class Entry {
        final long hi;
        final long lo;
        volatile long mac;
        volatile long confirmedAt;
        volatile long probedAt;

        Entry(long hi, long lo, long mac, long now) {
            this.hi = hi;
            this.lo = lo;
            this.mac = mac;
            this.confirmedAt = now;
            this.probedAt = now;
        }

        public long mac() {
            return mac;
        }
    }

    private final int capacity;
    private final long ageingNanos;
    private final TapCounters counters;
    private final AtomicReference<Entry[]> slots;
    private volatile long fullUntil = Long.MIN_VALUE;
    private volatile Runnable onAnswer = () -> { };

    /** @param ageingNanos how long a MAC stays usable after the host was last heard from */
    public NeighbourTable(int capacity, long ageingNanos, TapCounters counters) {
        this.capacity = capacity;
        this.ageingNanos = ageingNanos;
        this.counters = counters;
        this.slots = new AtomicReference<>(new Entry[Integer.highestOneBit(capacity) * 4]);
    }

    /** Who hears, on the learning thread, that an address got a MAC (frames held for it can go). */
    void onAnswer(Runnable listener) {
        this.onAnswer = listener;
    }

    /** The key of the 4- or 16-byte address at {@code offset}, high half (IPv4 in the top 32 bits). */
    static long hi(ByteBuffer b, int offset, boolean ipv6) {
        boolean big = b.order() == ByteOrder.BIG_ENDIAN;
        if (!ipv6) {
            int a = b.getInt(offset);
            return (long) (big ? a : Integer.reverseBytes(a)) << 32;
        }
        long h = b.getLong(offset);
        return big ? h : Long.reverseBytes(h);
    }

    static long lo(ByteBuffer b, int offset, boolean ipv6) {
        if (!ipv6) {
            return 0;
        }
        long l = b.getLong(offset + 8);
        return b.order() == ByteOrder.BIG_ENDIAN ? l : Long.reverseBytes(l);
    }

    /** The entry for the address at {@code offset}, or null. */
    public Entry find(ByteBuffer b, int offset, boolean ipv6) {
        return find(hi(b, offset, ipv6), lo(b, offset, ipv6));
    }

    public Entry find(long hi, long lo) {
        Entry[] s = slots.get();
        int mask = s.length - 1;
        for (int i = index(hi, lo, mask); ; i = (i + 1) & mask) {
            Entry e = s[i];
            if (e == null || (e.hi == hi && e.lo == lo)) {
                return e;
            }
        }
    }

    /** Whether {@code e} has a MAC heard from within the ageing time. */
    public boolean usable(Entry e, long now) {
        return e != null && e.mac != NO_MAC && now - e.confirmedAt <= ageingNanos;
    }

    /** Whether {@code e} is past half its ageing time and no probe went out in the last interval. */
    public boolean wantsRefresh(Entry e, long now) {
        return now - e.confirmedAt > ageingNanos / 2 && now - e.probedAt >= PROBE_INTERVAL_NANOS;
    }

    /** Records that the host at the address has {@code mac}, heard now. */
    public void learn(long hi, long lo, long mac, long now) {
        Entry e = find(hi, lo);
        if (e == null) {
            if (insert(hi, lo, mac, now) != null) {
                counters.neighboursLearned.increment();
                onAnswer.run();
            }
            return;
        }
        long old = e.mac;
        if (old != mac) {
            e.mac = mac;
            e.confirmedAt = now;
            if (old != NO_MAC) {
                counters.macChanges.increment();
            } else {
                counters.neighboursLearned.increment();
            }
            onAnswer.run();
        } else if (now - e.confirmedAt >= REFRESH_NANOS) {
            e.confirmedAt = now;
        }
    }

    public void learn(ByteBuffer b, int offset, boolean ipv6, long mac, long now) {
        learn(hi(b, offset, ipv6), lo(b, offset, ipv6), mac, now);
    }

    /**
     * Whether a probe for the address at {@code offset} should go out now: true at most once per
     * {@link #PROBE_INTERVAL_NANOS} per address; the first miss enters an entry without a MAC.
     */
    public boolean probeDue(ByteBuffer b, int offset, boolean ipv6, long now) {
        long hi = hi(b, offset, ipv6), lo = lo(b, offset, ipv6);
        Entry e = find(hi, lo);
        if (e == null) {
            return insert(hi, lo, NO_MAC, now) != null;
        }
        if (now - e.probedAt < PROBE_INTERVAL_NANOS) {
            return false;
        }
        e.probedAt = now;
        return true;
    }

    /** Marks a refresh probe for {@code e} as sent. */
    public void probed(Entry e, long now) {
        e.probedAt = now;
    }

    /** Entries in the table, live or not (for tests and {@code show}). */
    public int size() {
        int n = 0;
        for (Entry e : slots.get()) {
            n += e == null ? 0 : 1;
        }
        return n;
    }

    private Entry insert(long hi, long lo, long mac, long now) {
        if (now < fullUntil) {
            return null;
        }
        Entry fresh = new Entry(hi, lo, mac, now);
        while (true) {
            Entry[] s = slots.get();
            Entry found = find(hi, lo);
            if (found != null) {
                return found;
            }
            Entry[] next = new Entry[s.length];
            int live = 0;
            for (Entry e : s) {
                if (e != null && !expired(e, now)) {
                    put(next, e);
                    live++;
                }
            }
            if (live >= capacity) {
                // Full of live hosts: stop trying (and copying) for a while rather than on every miss.
                fullUntil = now + PROBE_INTERVAL_NANOS;
                counters.tableFull.increment();
                return null;
            }
            put(next, fresh);
            if (slots.compareAndSet(s, next)) {
                return fresh;
            }
        }
    }

    private boolean expired(Entry e, long now) {
        return e.mac == NO_MAC ? now - e.probedAt > 3 * PROBE_INTERVAL_NANOS : now - e.confirmedAt > ageingNanos;
    }

    private static void put(Entry[] s, Entry e) {
        int mask = s.length - 1;
        int i = index(e.hi, e.lo, mask);
        while (s[i] != null) {
            i = (i + 1) & mask;
        }
        s[i] = e;
    }

    private static int index(long hi, long lo, int mask) {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 29) ^ (h >>> 41)) & mask;
    }
}
