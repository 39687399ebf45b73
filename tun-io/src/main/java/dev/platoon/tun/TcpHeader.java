package dev.platoon.tun;

import java.nio.ByteBuffer;

/** Flyweight over a TCP header (RFC 9293). */
public final class TcpHeader {
    public static final int PROTOCOL = 6;
    public static final int MIN_LENGTH = 20;
    /** Offset of the checksum field: virtio_net_hdr csum_offset for TCP. */
    public static final int CHECKSUM_OFFSET = 16;
    public static final int SEQUENCE = 4, ACKNOWLEDGMENT = 8, DATA_OFFSET = 12, FLAGS = 13, WINDOW = 14;

    public static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20,
            ECE = 0x40, CWR = 0x80;

    private ByteBuffer buf;
    private int off;

    public TcpHeader wrap(ByteBuffer buffer, int offset) {
        this.buf = buffer;
        this.off = offset;
        return this;
    }

    public int offset() { return off; }
    public int sourcePort() { return Bytes.u16(buf, off); }
    public int destinationPort() { return Bytes.u16(buf, off + 2); }
    public long sequence() { return Bytes.u32(buf, off + SEQUENCE); }
    public long acknowledgment() { return Bytes.u32(buf, off + ACKNOWLEDGMENT); }
    /** Header length in bytes, options included (data offset × 4). */
    public int headerLength() { return (Bytes.u8(buf, off + DATA_OFFSET) >>> 4) * 4; }
    public int flags() { return Bytes.u8(buf, off + FLAGS); }
    public int window() { return Bytes.u16(buf, off + WINDOW); }
    public int checksum() { return Bytes.u16(buf, off + CHECKSUM_OFFSET); }

    public TcpHeader sequence(long v) { Bytes.put32(buf, off + SEQUENCE, v); return this; }
    public TcpHeader flags(int v) { Bytes.put8(buf, off + FLAGS, v); return this; }
    public TcpHeader checksum(int v) { Bytes.put16(buf, off + CHECKSUM_OFFSET, v); return this; }
}
