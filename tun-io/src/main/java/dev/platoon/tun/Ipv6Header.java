package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Flyweight over an IPv6 header (RFC 8200) and a walk over its extension headers. Packets with
 * extension headers are never coalesced, but they pass through unchanged and are split correctly.
 */
public final class Ipv6Header {
    public static final int LENGTH = 40;
    public static final int VERSION = 6;
    public static final int NEXT_HEADER = 6;
    public static final int HOP_LIMIT = 7;
    public static final int SRC = 8;
    public static final int DST = 24;
    public static final int ADDR_LEN = 16;

    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_ROUTING = 43;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_DEST_OPTS = 60;
    public static final int NEXT_NONE = 59;

    private ByteBuffer buf;
    private int off;
    private int l4Offset;
    private int l4Protocol;

    public Ipv6Header wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    public int offset() { return off; }
    public int version() { return Bytes.u8(buf, off) >>> 4; }
    public int trafficClass() { return (Bytes.u16(buf, off) >>> 4) & 0xff; }
    public int payloadLength() { return Bytes.u16(buf, off + 4); }
    public int nextHeader() { return Bytes.u8(buf, off + NEXT_HEADER); }
    public int hopLimit() { return Bytes.u8(buf, off + HOP_LIMIT); }
    public int sourceOffset() { return off + SRC; }
    public int destinationOffset() { return off + DST; }
    public Ipv6Header payloadLength(int v) { Bytes.put16(buf, off + 4, v); return this; }
    /** Exchanges source and destination; the L4 checksum stays right (its pseudo-header sum is unordered). */
    public Ipv6Header swapAddresses() { Bytes.swap(buf, off + SRC, off + DST, ADDR_LEN); return this; }

    /** Writes the first 8 bytes: version 6, traffic class and flow label 0, and the three fields given. */
    public Ipv6Header set(int payloadLength, int nextHeader, int hopLimit) {
        Bytes.put32(buf, off, (long) VERSION << 28);
        Bytes.put16(buf, off + 4, payloadLength);
        Bytes.put8(buf, off + 6, nextHeader);
        Bytes.put8(buf, off + 7, hopLimit);
        return this;
    }

    /**
     * Walks hop-by-hop, routing and destination-options headers up to {@code end}. Returns false
     * for a fragment header, ESP/AH or a header running past {@code end}; otherwise
     * {@link #l4Offset()} and {@link #l4Protocol()} name the upper-layer header.
     */
    public boolean findL4(int end) {
        int next = nextHeader();
        int p = off + LENGTH;
        while (next == NEXT_HOP_BY_HOP || next == NEXT_ROUTING || next == NEXT_DEST_OPTS) {
            if (p + 8 > end) {
                return false;
            }
            int len = (Bytes.u8(buf, p + 1) + 1) * 8;
            next = Bytes.u8(buf, p);
            p += len;
        }
        if (next == NEXT_FRAGMENT || p > end) {
            return false;
        }
        l4Offset = p;
        l4Protocol = next;
        return true;
    }

    public int l4Offset() { return l4Offset; }
    public int l4Protocol() { return l4Protocol; }

    /** Unfolded pseudo-header sum for an L4 segment of {@code l4Length} bytes. */
    public long pseudoHeader(int protocol, int l4Length) {
        return InetChecksum.pseudoHeader(buf, off + SRC, ADDR_LEN, protocol, l4Length);
    }
}
