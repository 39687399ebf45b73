package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Flyweight over an ICMPv6 neighbour solicitation or advertisement (RFC 4861 §4.3, §4.4): the bytes
 * after the IPv6 header. The link-layer address options (source for a solicitation, target for an
 * advertisement) are found by walking the options; a MAC is a {@code long} as in {@link EthernetHeader}.
 */
public final class NeighbourMessage {
    public static final int NEXT_HEADER_ICMPV6 = 58;
    public static final int TYPE_SOLICITATION = 135;
    public static final int TYPE_ADVERTISEMENT = 136;
    /** Fixed part: type, code, checksum, flags/reserved, target address. */
    public static final int LENGTH = 24;
    /** A link-layer address option for Ethernet: type, length 1 (8 bytes), the MAC. */
    public static final int MAC_OPTION_LENGTH = 8;
    public static final int OPTION_SOURCE_MAC = 1;
    public static final int OPTION_TARGET_MAC = 2;
    public static final int FLAG_ROUTER = 0x80;
    public static final int FLAG_SOLICITED = 0x40;
    public static final int FLAG_OVERRIDE = 0x20;
    /** Hop limit every neighbour discovery message carries: proof that it was not routed. */
    public static final int HOP_LIMIT = 255;
    /** No link-layer address option: an impossible 48-bit MAC. */
    public static final long NO_MAC = -1;
    private static final int TYPE = 0, CODE = 1, CHECKSUM = 2, FLAGS = 4, TARGET = 8;

    private ByteBuffer buf;
    private int off;

    public NeighbourMessage wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    public int type() { return Bytes.u8(buf, off + TYPE); }
    public int code() { return Bytes.u8(buf, off + CODE); }
    public int flags() { return Bytes.u8(buf, off + FLAGS); }
    public int targetOffset() { return off + TARGET; }

    /**
     * The MAC of the first link-layer address option of {@code optionType} within {@code [off+24, end)},
     * or {@link #NO_MAC}. Returns {@code -2} for an option of length 0 or running past {@code end}, which
     * RFC 4861 §4.6 makes the whole message invalid.
     */
    public long macOption(int optionType, int end) {
        int p = off + LENGTH;
        while (p + 2 <= end) {
            int len = Bytes.u8(buf, p + 1) * 8;
            if (len == 0 || p + len > end) {
                return -2;
            }
            if (Bytes.u8(buf, p) == optionType && len == MAC_OPTION_LENGTH) {
                return EthernetHeader.mac(buf, p + 2);
            }
            p += len;
        }
        return p == end ? NO_MAC : -2;
    }

    /**
     * Writes the fixed part and one link-layer address option for {@code mac} (none for {@link #NO_MAC});
     * the target address is left for the caller to copy. Returns the message length. The checksum is
     * zero until {@link #checksum}.
     */
    public int set(int type, int flags, int optionType, long mac) {
        Bytes.put8(buf, off + TYPE, type);
        Bytes.put8(buf, off + CODE, 0);
        Bytes.put16(buf, off + CHECKSUM, 0);
        Bytes.put32(buf, off + FLAGS, (long) flags << 24);
        if (mac == NO_MAC) {
            return LENGTH;
        }
        Bytes.put8(buf, off + LENGTH, optionType);
        Bytes.put8(buf, off + LENGTH + 1, 1);
        EthernetHeader.putMac(buf, off + LENGTH + 2, mac);
        return LENGTH + MAC_OPTION_LENGTH;
    }

    /** Stores the ICMPv6 checksum of {@code length} bytes under the pseudo-header of {@code ip}. */
    public void checksum(Ipv6Header ip, int length) {
        Bytes.put16(buf, off + CHECKSUM, 0);
        Bytes.put16(buf, off + CHECKSUM, InetChecksum.finish(InetChecksum.sum(buf, off, length,
                ip.pseudoHeader(NEXT_HEADER_ICMPV6, length))));
    }

    /** Whether the {@code length} bytes sum to a valid checksum under the pseudo-header of {@code ip}. */
    public boolean checksumValid(Ipv6Header ip, int length) {
        return InetChecksum.verify(buf, off, length, ip.pseudoHeader(NEXT_HEADER_ICMPV6, length));
    }
}
