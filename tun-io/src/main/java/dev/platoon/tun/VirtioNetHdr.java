package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Flyweight over {@code struct virtio_net_hdr_v1} (12 bytes, little endian) that prefixes every
 * frame read from or written to a tun/tap opened with {@code IFF_VNET_HDR} and
 * {@code TUNSETVNETHDRSZ 12}. Constants carry the names of {@code linux/virtio_net.h}.
 */
public final class VirtioNetHdr {
    public static final int SIZE = 12;

    public static final int F_NEEDS_CSUM = 1;
    public static final int F_DATA_VALID = 2;

    public static final int GSO_NONE = 0;
    public static final int GSO_TCPV4 = 1;
    /** UFO, deprecated; we never ask for it. */
    public static final int GSO_UDP = 3;
    public static final int GSO_TCPV6 = 4;
    /** USO: UDP segmentation for IPv4 and IPv6. */
    public static final int GSO_UDP_L4 = 5;
    public static final int GSO_ECN = 0x80;

    private static final int FLAGS = 0, GSO_TYPE = 1, HDR_LEN = 2, GSO_SIZE = 4, CSUM_START = 6,
            CSUM_OFFSET = 8, NUM_BUFFERS = 10;

    private ByteBuffer buf;
    private int off;

    public VirtioNetHdr wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    public int flags() { return Bytes.u8(buf, off + FLAGS); }
    public int gsoType() { return Bytes.u8(buf, off + GSO_TYPE); }
    public int hdrLen() { return Bytes.u16le(buf, off + HDR_LEN); }
    public int gsoSize() { return Bytes.u16le(buf, off + GSO_SIZE); }
    public int csumStart() { return Bytes.u16le(buf, off + CSUM_START); }
    public int csumOffset() { return Bytes.u16le(buf, off + CSUM_OFFSET); }
    public int numBuffers() { return Bytes.u16le(buf, off + NUM_BUFFERS); }

    public VirtioNetHdr flags(int v) { Bytes.put8(buf, off + FLAGS, v); return this; }
    public VirtioNetHdr gsoType(int v) { Bytes.put8(buf, off + GSO_TYPE, v); return this; }
    public VirtioNetHdr hdrLen(int v) { Bytes.put16le(buf, off + HDR_LEN, v); return this; }
    public VirtioNetHdr gsoSize(int v) { Bytes.put16le(buf, off + GSO_SIZE, v); return this; }
    public VirtioNetHdr csumStart(int v) { Bytes.put16le(buf, off + CSUM_START, v); return this; }
    public VirtioNetHdr csumOffset(int v) { Bytes.put16le(buf, off + CSUM_OFFSET, v); return this; }
    public VirtioNetHdr numBuffers(int v) { Bytes.put16le(buf, off + NUM_BUFFERS, v); return this; }

    /** Zeroes all 12 bytes: a plain frame, GSO_NONE, checksums already complete. */
    public VirtioNetHdr clear() {
        buf.putLong(off, 0L);
        buf.putInt(off + 8, 0);
        return this;
    }
}
