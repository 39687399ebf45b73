package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Flyweight over an ARP packet for IPv4 over Ethernet (RFC 826): the 28 bytes after the Ethernet
 * header. MACs are {@code long}s as in {@link EthernetHeader}; IPv4 addresses are read as offsets
 * so that callers can compare or copy them without building objects.
 */
public final class ArpPacket {
    public static final int LENGTH = 28;
    public static final int HTYPE_ETHERNET = 1;
    public static final int OP_REQUEST = 1;
    public static final int OP_REPLY = 2;
    private static final int HTYPE = 0, PTYPE = 2, HLEN = 4, PLEN = 5, OPER = 6, SHA = 8, SPA = 14, THA = 18,
            TPA = 24;

    private ByteBuffer buf;
    private int off;

    public ArpPacket wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    /** Whether the fixed fields say Ethernet hardware and IPv4 protocol addresses (6 and 4 bytes long). */
    public boolean isEthernetIpv4() {
        return Bytes.u16(buf, off + HTYPE) == HTYPE_ETHERNET && Bytes.u16(buf, off + PTYPE) == EthernetHeader.ETHERTYPE_IPV4
                && Bytes.u8(buf, off + HLEN) == 6 && Bytes.u8(buf, off + PLEN) == Ipv4Header.ADDR_LEN;
    }

    public int operation() { return Bytes.u16(buf, off + OPER); }
    public long senderMac() { return EthernetHeader.mac(buf, off + SHA); }
    public long targetMac() { return EthernetHeader.mac(buf, off + THA); }
    /** The sender's IPv4 address as an unsigned 32-bit number. */
    public int senderIp() { return (int) Bytes.u32(buf, off + SPA); }
    public int targetIp() { return (int) Bytes.u32(buf, off + TPA); }
    public int senderIpOffset() { return off + SPA; }
    public int targetIpOffset() { return off + TPA; }

    /** Writes a whole Ethernet/IPv4 ARP packet. */
    public ArpPacket set(int operation, long senderMac, int senderIp, long targetMac, int targetIp) {
        Bytes.put16(buf, off + HTYPE, HTYPE_ETHERNET);
        Bytes.put16(buf, off + PTYPE, EthernetHeader.ETHERTYPE_IPV4);
        Bytes.put8(buf, off + HLEN, 6);
        Bytes.put8(buf, off + PLEN, Ipv4Header.ADDR_LEN);
        Bytes.put16(buf, off + OPER, operation);
        EthernetHeader.putMac(buf, off + SHA, senderMac);
        Bytes.put32(buf, off + SPA, senderIp & 0xffff_ffffL);
        EthernetHeader.putMac(buf, off + THA, targetMac);
        Bytes.put32(buf, off + TPA, targetIp & 0xffff_ffffL);
        return this;
    }
}
