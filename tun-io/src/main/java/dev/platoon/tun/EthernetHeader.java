package dev.platoon.tun;

import java.nio.ByteBuffer;

/** Flyweight over an Ethernet II header (tap mode): two MACs and the EtherType. */
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
}
