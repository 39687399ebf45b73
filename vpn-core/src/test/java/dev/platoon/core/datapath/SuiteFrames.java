package dev.platoon.core.datapath;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import dev.platoon.tun.GsoSplitter;
import dev.platoon.tun.InetChecksum;
import dev.platoon.tun.SegmentSink;
import dev.platoon.tun.SplitResult;
import dev.platoon.tun.VirtioNetHdr;

/**
 * Tun frames as the kernel hands them to platoon, for the in-memory suite: UDP packets and TCP GSO
 * trains (NEEDS_CSUM with the pseudo-header sum in place, as the kernel writes them) between two
 * tunnel addresses; and the way back, any frame platoon wrote cut into its IP packets by tun-io's own
 * splitter.
 */
public final class SuiteFrames {
    static final int UDP = 17;
    static final int TCP = 6;

    private SuiteFrames() {
    }

    /** One UDP packet, not a train. */
    public static byte[] udp(InetAddress src, InetAddress dst, int sport, int dport, byte[] payload) {
        int ipLen = src.getAddress().length == 4 ? 20 : 40;
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHdr.SIZE + ipLen + 8 + payload.length);
        int l4 = ip(b, src, dst, UDP, 8 + payload.length);
        b.putShort(l4, (short) sport).putShort(l4 + 2, (short) dport).putShort(l4 + 4, (short) (8 + payload.length));
        b.put(l4 + 8, payload);
        long pseudo = InetChecksum.pseudoHeader(b, VirtioNetHdr.SIZE + (ipLen == 20 ? 12 : 8), ipLen == 20 ? 4 : 16,
                UDP, 8 + payload.length);
        int sum = InetChecksum.finish(InetChecksum.sum(b, l4, 8 + payload.length, pseudo));
        b.putShort(l4 + 6, (short) (sum == 0 ? 0xffff : sum));
        return b.array();
    }

    /**
     * A TCP train of {@code payload} in segments of {@code mss}, starting at sequence {@code seq}: one
     * frame, as TSO hands it over (a single packet when it fits one segment).
     */
    public static byte[] tcpTrain(InetAddress src, InetAddress dst, int sport, int dport, long seq, byte[] payload, int mss) {
        boolean v4 = src.getAddress().length == 4;
        int ipLen = v4 ? 20 : 40;
        ByteBuffer b = ByteBuffer.allocate(VirtioNetHdr.SIZE + ipLen + 20 + payload.length);
        int l4 = ip(b, src, dst, TCP, 20 + payload.length);
        b.putShort(l4, (short) sport).putShort(l4 + 2, (short) dport).putInt(l4 + 4, (int) seq).putInt(l4 + 8, 1);
        b.put(l4 + 12, (byte) 0x50).put(l4 + 13, (byte) 0x18).putShort(l4 + 14, (short) 0xffff); // ACK|PSH
        b.put(l4 + 20, payload);
        long pseudo = InetChecksum.pseudoHeader(b, VirtioNetHdr.SIZE + (v4 ? 12 : 8), v4 ? 4 : 16, TCP,
                20 + payload.length);
        b.putShort(l4 + 16, (short) InetChecksum.fold(pseudo));
        ByteBuffer h = b.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        h.put(0, (byte) VirtioNetHdr.F_NEEDS_CSUM);
        boolean train = payload.length > mss;
        h.put(1, (byte) (!train ? VirtioNetHdr.GSO_NONE : v4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6));
        h.putShort(2, (short) (ipLen + 20)).putShort(4, (short) (train ? mss : 0));
        h.putShort(6, (short) ipLen).putShort(8, (short) 16);
        return b.array();
    }

    /** Writes the IP header after the (zero) virtio header; returns where the L4 header starts. */
    private static int ip(ByteBuffer b, InetAddress src, InetAddress dst, int proto, int l4Length) {
        int ip = VirtioNetHdr.SIZE;
        if (src.getAddress().length == 4) {
            b.put(ip, (byte) 0x45).putShort(ip + 2, (short) (20 + l4Length)).put(ip + 8, (byte) 64)
                    .put(ip + 9, (byte) proto).put(ip + 12, src.getAddress()).put(ip + 16, dst.getAddress());
            b.putShort(ip + 10, (short) InetChecksum.checksum(b, ip, 20));
            return ip + 20;
        }
        b.put(ip, (byte) 0x60).putShort(ip + 4, (short) l4Length).put(ip + 6, (byte) proto).put(ip + 7, (byte) 64)
                .put(ip + 8, src.getAddress()).put(ip + 24, dst.getAddress());
        return ip + 40;
    }

    /** The IP packets of a frame platoon wrote: a train is cut by tun-io's splitter, as the kernel would. */
    public static List<byte[]> packets(byte[] frame) {
        ByteBuffer in = ByteBuffer.allocateDirect(frame.length).put(0, frame);
        int slots = 128;
        int slot = 65_536 + GsoSplitter.HEADROOM + GsoSplitter.TAILROOM;
        ByteBuffer out = ByteBuffer.allocateDirect(slots * slot);
        SplitResult result = new SplitResult(slots);
        SegmentSink sink = new SegmentSink() {
            @Override
            public int slots() {
                return slots;
            }

            @Override
            public ByteBuffer buffer(int i) {
                return out;
            }

            @Override
            public int offset(int i) {
                return i * slot + GsoSplitter.HEADROOM;
            }

            @Override
            public int capacity(int i) {
                return slot - GsoSplitter.HEADROOM - GsoSplitter.TAILROOM;
            }
        };
        if (!new GsoSplitter(false).split(in, 0, frame.length, sink, result)) {
            throw new AssertionError("platoon wrote a frame its own splitter refuses: " + result.dropReason());
        }
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < result.count(); i++) {
            byte[] p = new byte[result.length(i)];
            if (result.inPlace()) {
                in.get(VirtioNetHdr.SIZE, p);
            } else {
                out.get(sink.offset(i), p);
            }
            packets.add(p);
        }
        return packets;
    }

    static int protocol(byte[] ip) {
        return (ip[0] >>> 4) == 4 ? ip[9] : ip[6];
    }

    static int l4(byte[] ip) {
        return (ip[0] >>> 4) == 4 ? (ip[0] & 0x0f) * 4 : 40;
    }

    /** The payload of a UDP packet. */
    static byte[] udpPayload(byte[] ip) {
        int l4 = l4(ip);
        int len = ((ip[l4 + 4] & 0xff) << 8 | (ip[l4 + 5] & 0xff)) - 8;
        byte[] p = new byte[len];
        System.arraycopy(ip, l4 + 8, p, 0, len);
        return p;
    }

    static long tcpSeq(byte[] ip) {
        return ByteBuffer.wrap(ip).getInt(l4(ip) + 4) & 0xffffffffL;
    }

    static byte[] tcpPayload(byte[] ip) {
        int l4 = l4(ip);
        int header = ((ip[l4 + 12] & 0xff) >>> 4) * 4;
        int total = (ip[0] >>> 4) == 4 ? ByteBuffer.wrap(ip).getShort(2) & 0xffff
                : 40 + (ByteBuffer.wrap(ip).getShort(4) & 0xffff);
        byte[] p = new byte[total - l4 - header];
        System.arraycopy(ip, l4 + header, p, 0, p.length);
        return p;
    }
}
