package dev.platoon.tun;

import java.nio.ByteBuffer;

/** Flyweight over an IPv4 header (RFC 791). Offsets are absolute in the wrapped buffer. */
public final class Ipv4Header {
    public static final int MIN_LENGTH = 20;
    public static final int VERSION = 4;
    public static final int FLAG_DF = 0x4000;
    public static final int FLAG_MF = 0x2000;
    public static final int FRAGMENT_OFFSET_MASK = 0x1fff;
    public static final int TOS = 1;
    /** Flags and fragment offset: one 16-bit word. */
    public static final int FLAGS_FRAGMENT = 6;
    public static final int TTL = 8;
    /** The protocol field (its value is e.g. {@link TcpHeader#PROTOCOL}). */
    public static final int PROTOCOL_FIELD = 9;
    public static final int SRC = 12;
    public static final int DST = 16;
    public static final int ADDR_LEN = 4;

    private ByteBuffer buf;
    private int off;

    public Ipv4Header wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    /** The version nibble every IP header starts with: {@link #VERSION} or {@link Ipv6Header#VERSION}. */
    public static int versionAt(ByteBuffer buffer, int offset) { return Bytes.u8(buffer, offset) >>> 4; }

    public int offset() { return off; }
    public int version() { return Bytes.u8(buf, off) >>> 4; }
    /** Header length in bytes (IHL × 4). */
    public int headerLength() { return (Bytes.u8(buf, off) & 0x0f) * 4; }
    public int tos() { return Bytes.u8(buf, off + TOS); }
    public int totalLength() { return Bytes.u16(buf, off + 2); }
    public int id() { return Bytes.u16(buf, off + 4); }
    /** Flags and fragment offset, the 16-bit word at 6. */
    public int flagsFragment() { return Bytes.u16(buf, off + FLAGS_FRAGMENT); }
    public boolean dontFragment() { return (flagsFragment() & FLAG_DF) != 0; }
    /** True for any fragment: MF set or a non-zero offset. */
    public boolean isFragment() { return (flagsFragment() & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0; }
    public int ttl() { return Bytes.u8(buf, off + TTL); }
    public int protocol() { return Bytes.u8(buf, off + PROTOCOL_FIELD); }
    public int headerChecksum() { return Bytes.u16(buf, off + 10); }
    public int sourceOffset() { return off + SRC; }
    public int destinationOffset() { return off + DST; }

    public Ipv4Header totalLength(int v) { Bytes.put16(buf, off + 2, v); return this; }
    public Ipv4Header id(int v) { Bytes.put16(buf, off + 4, v); return this; }
    public Ipv4Header headerChecksum(int v) { Bytes.put16(buf, off + 10, v); return this; }
    /** Exchanges source and destination; the checksums stay right (a one's-complement sum is unordered). */
    public Ipv4Header swapAddresses() { Bytes.swap(buf, off + SRC, off + DST, ADDR_LEN); return this; }

    /** Recomputes and stores the header checksum. */
    public Ipv4Header updateChecksum() {
        headerChecksum(0);
        headerChecksum(InetChecksum.checksum(buf, off, headerLength()));
        return this;
    }

    public boolean checksumValid() {
        return InetChecksum.verify(buf, off, headerLength(), 0);
    }

    /** Unfolded pseudo-header sum for an L4 segment of {@code l4Length} bytes. */
    public long pseudoHeader(int protocol, int l4Length) {
        return InetChecksum.pseudoHeader(buf, off + SRC, ADDR_LEN, protocol, l4Length);
    }
}
