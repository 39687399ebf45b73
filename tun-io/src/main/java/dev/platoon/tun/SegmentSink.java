package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Caller-provided places for the segments of one split. Slot {@code i} receives one IP packet (tap:
 * Ethernet frame) at {@code [offset(i), offset(i)+length)}; the {@link GsoSplitter#HEADROOM} bytes
 * before it and {@link GsoSplitter#TAILROOM} bytes after it belong to the caller (WireGuard header
 * and tag) and are never touched by the splitter.
 */
public interface SegmentSink {
    /** How many slots there are; a train with more segments is dropped (TOO_MANY_SEGMENTS). */
    int slots();

    ByteBuffer buffer(int slot);

    /** Absolute index of the first packet byte; at least HEADROOM. */
    int offset(int slot);

    /** Bytes available for the packet itself, head- and tailroom excluded. */
    int capacity(int slot);
}
