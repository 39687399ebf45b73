package dev.platoon.core.peer;

import dev.platoon.core.drop.Drop;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Plaintext IP packets waiting for a usable session key, in arrival order. Bounded in packets and
 * bytes; when over either bound the OLDEST packet is dropped (as the kernel and wireguard-go do: the
 * newest packets are the ones a sender such as TCP still cares about). Each drop is counted.
 *
 * <p>Only touched when there is no key (the first packets of a session, or after a key expired), so a
 * lock and a copy per packet are fine here.
 */
public final class StagedPackets {
    public static final int DEFAULT_MAX_PACKETS = 128;
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    private final int maxPackets;
    private final int maxBytes;
    private final PeerCounters counters;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int bytes; // guarded by this

    public StagedPackets(int maxPackets, int maxBytes, PeerCounters counters) {
        this.maxPackets = maxPackets;
        this.maxBytes = maxBytes;
        this.counters = counters;
    }

    /**
     * Copies the remaining bytes of {@code packet} (position and limit unchanged). Returns false if
     * making room dropped an older packet (or this one, if alone it exceeds the byte bound).
     */
    public boolean add(ByteBuffer packet) {
        int n = packet.remaining();
        if (n > maxBytes) {
            counters.drop(Drop.PEER_STAGED_TOO_LARGE);
            return false;
        }
        byte[] copy = new byte[n];
        packet.get(packet.position(), copy);
        boolean dropped = false;
        synchronized (this) {
            while (!queue.isEmpty() && (queue.size() >= maxPackets || bytes + n > maxBytes)) {
                bytes -= queue.pollFirst().length;
                counters.drop(Drop.PEER_STAGED_QUEUE_FULL);
                dropped = true;
            }
            queue.addLast(copy);
            bytes += n;
        }
        return !dropped;
    }

    /** Adds an empty packet (a keepalive), unless something is already waiting. */
    public synchronized boolean addKeepaliveIfEmpty() {
        if (!queue.isEmpty()) {
            return false;
        }
        queue.addLast(new byte[0]);
        return true;
    }

    /** Removes and returns everything, oldest first. */
    public synchronized List<byte[]> drain() {
        List<byte[]> out = new ArrayList<>(queue);
        queue.clear();
        bytes = 0;
        return out;
    }

    /** Puts packets back at the head (a send that found no usable key), keeping their order. */
    public synchronized void requeueFirst(List<byte[]> packets) {
        for (int i = packets.size() - 1; i >= 0; i--) {
            queue.addFirst(packets.get(i));
            bytes += packets.get(i).length;
        }
        while (queue.size() > maxPackets || bytes > maxBytes) {
            bytes -= queue.pollFirst().length;
            counters.drop(Drop.PEER_STAGED_QUEUE_FULL);
        }
    }

    /** Discards everything, counting each packet under {@code reason}. Returns how many. */
    public synchronized int flush(Drop reason) {
        int n = queue.size();
        queue.clear();
        bytes = 0;
        if (n > 0) {
            counters.drop(reason, n);
        }
        return n;
    }

    public synchronized int size() {
        return queue.size();
    }

    public synchronized boolean isEmpty() {
        return queue.isEmpty();
    }
}
