package dev.platoon.core.tap;

import java.nio.ByteBuffer;

/**
 * Frames from the tunnel that wait, on one queue, for their destination's MAC — as the kernel's
 * neighbour table queues packets while it resolves (unres_qlen_bytes). Without this the first packets
 * to a host that has not spoken yet (a VM's first IPv6 packets from the far side, say) would be lost
 * to the ARP/NS round trip. Bounded: up to {@link #MAX} frames and {@link #BYTES} bytes per queue, in
 * one buffer made once, each for at most {@link NeighbourTable#PROBE_INTERVAL_NANOS}. Frames are
 * appended and released in arrival order; the space is reused once all have gone. Loop thread only,
 * except {@link #count()}.
 */
final class HeldFrames {
    static final int MAX = 64;
    static final int BYTES = 256 * 1024;
    private final ByteBuffer store = ByteBuffer.allocateDirect(BYTES);
    private final int[] offsets = new int[MAX];
    private final int[] lengths = new int[MAX]; // 0: gone
    private final long[] heldAt = new long[MAX];
    private int entries;
    private int used;
    private volatile int count;

    /** Frames held now; any thread (a learning loop asks whether this queue has something to send). */
    int count() {
        return count;
    }

    /** Copies the frame in; false when the entries or the bytes are used up. */
    boolean hold(ByteBuffer b, int offset, int length, long now) {
        if (entries == MAX || used + length > BYTES) {
            return false;
        }
        store.put(used, b, offset, length);
        offsets[entries] = used;
        lengths[entries] = length;
        heldAt[entries] = now;
        entries++;
        used += length;
        count++;
        return true;
    }

    /** What {@link #release} does with each held frame. */
    interface Release {
        /** True when the frame was sent (or finally dropped) and may go. */
        boolean release(ByteBuffer frame, int offset, int length, boolean expired);
    }

    /** Offers every held frame, oldest first, to {@code to}, telling it which have waited too long. */
    void release(long now, Release to) {
        for (int i = 0; i < entries; i++) {
            if (lengths[i] != 0) {
                boolean expired = now - heldAt[i] >= NeighbourTable.PROBE_INTERVAL_NANOS;
                if (to.release(store, offsets[i], lengths[i], expired)) {
                    lengths[i] = 0;
                    count--;
                }
            }
        }
        if (count == 0) {
            entries = 0;
            used = 0;
        }
    }
}
