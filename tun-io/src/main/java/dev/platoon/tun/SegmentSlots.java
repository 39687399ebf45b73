package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * A ready {@link SegmentSink}: fixed-size slots in one direct buffer, each with
 * {@link GsoSplitter#HEADROOM} before and {@link GsoSplitter#TAILROOM} after. Allocated once.
 */
public final class SegmentSlots implements SegmentSink {
    private final ByteBuffer buffer;
    private final int slots;
    private final int stride;
    private final int capacity;

    /** {@code packetCapacity}: the largest segment (e.g. MTU, + 14 in tap mode). */
    public SegmentSlots(int slots, int packetCapacity) {
        if (slots < 1 || packetCapacity < 1) {
            throw new IllegalArgumentException("slots and packetCapacity must be positive");
        }
        this.slots = slots;
        this.capacity = packetCapacity;
        // Round up to a cache line so every slot starts aligned.
        this.stride = (GsoSplitter.HEADROOM + packetCapacity + GsoSplitter.TAILROOM + 63) & ~63;
        this.buffer = ByteBuffer.allocateDirect(stride * slots);
    }

    @Override public int slots() { return slots; }
    @Override public ByteBuffer buffer(int slot) { return buffer; }
    @Override public int offset(int slot) { return slot * stride + GsoSplitter.HEADROOM; }
    @Override public int capacity(int slot) { return capacity; }
}
