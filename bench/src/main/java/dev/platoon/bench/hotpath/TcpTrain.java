package dev.platoon.bench.hotpath;

import java.nio.ByteBuffer;

import dev.platoon.tun.InetChecksum;
import dev.platoon.tun.VirtioNetHdr;

/**
 * Builds the frame a tun queue hands platoon during a bulk TCP transfer: virtio_net_hdr with
 * GSO_TCPV4 and NEEDS_CSUM, an IPv4 header with a valid checksum, a TCP header with the 12-byte
 * timestamp option and the pseudo-header sum in its checksum field (as the kernel leaves it), and
 * a payload of whole gso_size segments. With MTU 1420 the MSS is 1420 - 20 - 32 = 1368.
 */
final class TcpTrain {
    static final int IP_HEADER = 20;
    static final int TCP_HEADER = 32; // 20 + NOP NOP TIMESTAMP
    static final int HEADERS = IP_HEADER + TCP_HEADER;

    private TcpTrain() {}

    /** Writes the frame at offset 0 of {@code b} and returns its length. */
    static int write(ByteBuffer b, int gsoSize, int segments) {
        int payload = gsoSize * segments;
        int ipLength = HEADERS + payload;
        if (ipLength > 65535) {
            throw new IllegalArgumentException("train longer than an IPv4 packet: " + ipLength);
        }
        int ip = VirtioNetHdr.SIZE;
        int tcp = ip + IP_HEADER;
        // IPv4: 100.64.0.1 -> 100.64.0.2, DF, TTL 64.
        b.put(ip, (byte) 0x45).put(ip + 1, (byte) 0).putShort(ip + 2, (short) ipLength)
                .putShort(ip + 4, (short) 0x1234).putShort(ip + 6, (short) 0x4000)
                .put(ip + 8, (byte) 64).put(ip + 9, (byte) 6).putShort(ip + 10, (short) 0)
                .putInt(ip + 12, 0x64400001).putInt(ip + 16, 0x64400002);
        b.putShort(ip + 10, (short) InetChecksum.checksum(b, ip, IP_HEADER));
        // TCP: ports 40000 -> 5201, seq, ack, data offset 8 words, ACK, window, timestamp option.
        b.putShort(tcp, (short) 40000).putShort(tcp + 2, (short) 5201).putInt(tcp + 4, 0x10000000)
                .putInt(tcp + 8, 0x20000000).put(tcp + 12, (byte) (8 << 4)).put(tcp + 13, (byte) 0x10)
                .putShort(tcp + 14, (short) 502).putShort(tcp + 16, (short) 0).putShort(tcp + 18, (short) 0)
                .putInt(tcp + 20, 0x0101080a).putInt(tcp + 24, 0x00abcdef).putInt(tcp + 28, 0x00fedcba);
        for (int i = 0; i < payload; i++) {
            b.put(tcp + TCP_HEADER + i, (byte) (i * 31 + 7));
        }
        // Partial checksum: the pseudo-header sum, not complemented (what NEEDS_CSUM means).
        long pseudo = InetChecksum.sum(b, ip + 12, 8, 0) + 6 + (TCP_HEADER + payload);
        b.putShort(tcp + 16, (short) InetChecksum.fold(pseudo));
        new VirtioNetHdr().wrap(b, 0).flags(VirtioNetHdr.F_NEEDS_CSUM).gsoType(VirtioNetHdr.GSO_TCPV4)
                .hdrLen(HEADERS).gsoSize(gsoSize).csumStart(IP_HEADER).csumOffset(16).numBuffers(0);
        return ip + ipLength;
    }
}
