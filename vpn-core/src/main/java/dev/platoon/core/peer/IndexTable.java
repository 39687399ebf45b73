package dev.platoon.core.peer;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import java.util.random.RandomGenerator;

/**
 * Our random 32-bit session indices ("sender index" on the wire, "receiver index" in what the peer
 * sends back) mapped to what they stand for: a handshake in flight or a transport keypair. The data
 * path looks up every type-4 packet here, so {@link #lookup} is lock-free and allocation-free: an
 * open-addressing table over {@code int} keys (a {@code Map<Integer,…>} would box the key on every
 * packet) whose slots are read with volatile semantics.
 *
 * <p>Writers (handshake worker, timer thread) serialise on {@code this}. A slot changes only by one
 * volatile store of an immutable {@link Slot}, so a reader sees the old or the new mapping. Growth and
 * tombstone purges build a new array and publish it with one volatile store; a reader still probing
 * the old one gets an answer that was true a moment ago, which is all any concurrent map promises.
 *
 * <p>Indices are drawn from a {@link SecureRandom} (as wireguard-go and the kernel do): a peer must not
 * be able to predict them.
 */
public final class IndexTable<V> {

    private record Slot<V>(int key, V value) {
    }

    private static final Slot<?> TOMBSTONE = new Slot<>(0, null);
    private static final int MIN_CAPACITY = 64;

    private final RandomGenerator random;
    private volatile AtomicReferenceArray<Slot<V>> slots = new AtomicReferenceArray<>(MIN_CAPACITY);
    private int live;        // guarded by this
    private int tombstones;  // guarded by this

    public IndexTable() {
        this(new SecureRandom());
    }

    /** With a given source of indices (tests use a seeded one to force collisions). */
    public IndexTable(RandomGenerator random) {
        this.random = random;
    }

    /** The value stored under {@code index}, or null. Lock-free, allocation-free. */
    public V lookup(int index) {
        AtomicReferenceArray<Slot<V>> arr = slots;
        int mask = arr.length() - 1;
        for (int i = mix(index) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            Slot<V> s = arr.get(i);
            if (s == null) {
                return null;
            }
            if (s != TOMBSTONE && s.key == index) {
                return s.value;
            }
        }
        return null;
    }

    /** Stores {@code value} under a fresh random index that is not in use, and returns the index. */
    public synchronized int allocate(V value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        while (true) {
            int index = random.nextInt();
            if (find(slots, index) < 0) {
                put(index, value);
                return index;
            }
        }
    }

    /**
     * Replaces the value under an index that is present (a handshake's index now names its keypair,
     * like wireguard-go's SwapIndexForKeypair). Returns false, changing nothing, if it is absent.
     */
    public synchronized boolean replace(int index, V value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        AtomicReferenceArray<Slot<V>> arr = slots;
        int at = find(arr, index);
        if (at < 0) {
            return false;
        }
        arr.set(at, new Slot<>(index, value));
        return true;
    }

    /** Removes {@code index}; returns the value it held, or null. */
    public synchronized V remove(int index) {
        AtomicReferenceArray<Slot<V>> arr = slots;
        int at = find(arr, index);
        if (at < 0) {
            return null;
        }
        V old = arr.get(at).value;
        @SuppressWarnings("unchecked")
        Slot<V> tomb = (Slot<V>) TOMBSTONE;
        arr.set(at, tomb);
        live--;
        tombstones++;
        return old;
    }

    /** Removes {@code index} only if it still maps to {@code expected} (by identity). */
    public synchronized boolean remove(int index, V expected) {
        V current = lookup(index);
        if (current == null || current != expected) {
            return false;
        }
        remove(index);
        return true;
    }

    public synchronized int size() {
        return live;
    }

    /** Every live (index, value) pair; for diagnostics and tests. */
    public synchronized void forEach(BiConsumer<Integer, V> action) {
        AtomicReferenceArray<Slot<V>> arr = slots;
        for (int i = 0; i < arr.length(); i++) {
            Slot<V> s = arr.get(i);
            if (s != null && s != TOMBSTONE) {
                action.accept(s.key, s.value);
            }
        }
    }

    // ---------------------------------------------------------------- internals (under this)

    private void put(int index, V value) {
        AtomicReferenceArray<Slot<V>> arr = slots;
        // Keep the table at most half full counting tombstones, so a probe always meets a null soon.
        if ((live + tombstones + 1) * 2 > arr.length()) {
            arr = rehash(Math.max(MIN_CAPACITY, Integer.highestOneBit(Math.max(1, live + 1) * 4 - 1) << 1));
        }
        int mask = arr.length() - 1;
        int i = mix(index) & mask;
        // Only null slots are filled, never tombstones: the count that bounds the load stays exact,
        // and rehash purges tombstones wholesale.
        while (arr.get(i) != null) {
            i = (i + 1) & mask;
        }
        arr.set(i, new Slot<>(index, value));
        live++;
    }

    private AtomicReferenceArray<Slot<V>> rehash(int capacity) {
        AtomicReferenceArray<Slot<V>> old = slots;
        AtomicReferenceArray<Slot<V>> arr = new AtomicReferenceArray<>(capacity);
        int mask = capacity - 1;
        for (int j = 0; j < old.length(); j++) {
            Slot<V> s = old.get(j);
            if (s != null && s != TOMBSTONE) {
                int i = mix(s.key) & mask;
                while (arr.get(i) != null) {
                    i = (i + 1) & mask;
                }
                arr.set(i, s);
            }
        }
        tombstones = 0;
        slots = arr; // publish
        return arr;
    }

    private static <V> int find(AtomicReferenceArray<Slot<V>> arr, int index) {
        int mask = arr.length() - 1;
        for (int i = mix(index) & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
            Slot<V> s = arr.get(i);
            if (s == null) {
                return -1;
            }
            if (s != TOMBSTONE && s.key == index) {
                return i;
            }
        }
        return -1;
    }

    /** Fibonacci hashing: spreads keys that differ only in high bits over the low bits used as slot. */
    private static int mix(int key) {
        int h = key * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
