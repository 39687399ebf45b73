package dev.platoon.tun;

import java.nio.ByteBuffer;

/** Flyweight over a UDP header (RFC 768). */
public final class UdpHeader {
    public static final int PROTOCOL = 17;
    public static final int LENGTH = 8;
    /** Offset of the checksum field: virtio_net_hdr csum_offset for UDP. */
    public static final int CHECKSUM_OFFSET = 6;

    private ByteBuffer buf;
    private int off;

    public UdpHeader wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    public int offset() { return off; }
    public int sourcePort() { return Bytes.u16(buf, off); }
    public int destinationPort() { return Bytes.u16(buf, off + 2); }
    public int length() { return Bytes.u16(buf, off + 4); }
    public int checksum() { return Bytes.u16(buf, off + 6); }

    public UdpHeader length(int v) { Bytes.put16(buf, off + 4, v); return this; }
    public UdpHeader checksum(int v) { Bytes.put16(buf, off + 6, v); return this; }
}
