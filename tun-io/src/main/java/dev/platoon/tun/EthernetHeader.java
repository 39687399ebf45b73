package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Flyweight over an Ethernet II header (tap mode): two MACs and the EtherType. A MAC is handled as a
 * {@code long} holding its 48 bits in network order, so comparing and storing one allocates nothing.
 */
public final class EthernetHeader {
    public static final int LENGTH = 14;
    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int ETHERTYPE_ARP = 0x0806;
    public static final int ETHERTYPE_IPV6 = 0x86dd;
    public static final int ETHERTYPE_VLAN = 0x8100;

    private ByteBuffer buf;
    private int off;

    public EthernetHeader wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    public int destinationOffset() { return off; }
    public int sourceOffset() { return off + 6; }
    public int etherType() { return Bytes.u16(buf, off + 12); }
    public EthernetHeader etherType(int v) { Bytes.put16(buf, off + 12, v); return this; }
    public long destination() { return mac(buf, off); }
    public long source() { return mac(buf, off + 6); }
    public EthernetHeader destination(long mac) { putMac(buf, off, mac); return this; }
    public EthernetHeader source(long mac) { putMac(buf, off + 6, mac); return this; }

    /** The broadcast address ff:ff:ff:ff:ff:ff. */
    public static final long BROADCAST = 0xffff_ffff_ffffL;

    /** Whether {@code mac} is a group (multicast or broadcast) address: the I/G bit of its first octet. */
    public static boolean isGroup(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** The 48-bit MAC at {@code i}. */
    public static long mac(ByteBuffer b, int i) {
        return ((long) Bytes.u16(b, i) << 32) | Bytes.u32(b, i + 2);
    }

    public static void putMac(ByteBuffer b, int i, long mac) {
        Bytes.put16(b, i, (int) (mac >>> 32));
        Bytes.put32(b, i + 2, mac & 0xffff_ffffL);
    }

    /** {@code 02:00:5e:10:00:01} for a MAC held in a long. */
    public static String format(long mac) {
        StringBuilder s = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            s.append(Character.forDigit((int) (mac >>> (shift + 4)) & 0xf, 16))
                    .append(Character.forDigit((int) (mac >>> shift) & 0xf, 16));
            if (shift > 0) {
                s.append(':');
            }
        }
        return s.toString();
    }
}
