package dev.platoon.testkit;

import java.nio.ByteBuffer;
import java.util.Random;

/**
 * Builds IPv4/IPv6 + TCP/UDP test packets, and GSO train frames as a tun device with
 * IFF_VNET_HDR hands them over, into byte arrays; randomised where the content does not matter.
 */
public final class Packets {
    public static final int TCP = 6;
    public static final int UDP = 17;

    // The kernel's virtio_net_hdr with num_buffers (include/uapi/linux/virtio_net.h): the ABI a tun
    // queue speaks, written out here because testkit depends on no platoon module.
    private static final int VNET_HDR_SIZE = 12;
    private static final int F_NEEDS_CSUM = 1;
    private static final int GSO_TCPV4 = 1;
    private static final int GSO_TCPV6 = 4;
    private static final int GSO_UDP_L4 = 5;

    private Packets() {
    }

    /** Writes an IP header for {@code l4Len} bytes of {@code proto}; returns its length. */
    public static int ipHeader(byte[] b, int at, boolean v4, int proto, int l4Len, Random r, int extHeaderLen) {
        if (v4) {
            b[at] = 0x45;
            b[at + 1] = (byte) (r.nextInt(64) << 2);
            put16(b, at + 2, 20 + l4Len);
            put16(b, at + 4, r.nextInt(65536));
            put16(b, at + 6, r.nextBoolean() ? 0x4000 : 0);
            b[at + 8] = (byte) (1 + r.nextInt(255));
            b[at + 9] = (byte) proto;
            b[at + 12] = 100; b[at + 13] = 64; b[at + 14] = 0; b[at + 15] = (byte) (1 + r.nextInt(254));
            b[at + 16] = 100; b[at + 17] = 64; b[at + 18] = 0; b[at + 19] = (byte) (1 + r.nextInt(254));
            put16(b, at + 10, 0);
            put16(b, at + 10, Checksum.checksum(b, at, 20));
            return 20;
        }
        int tc = r.nextInt(256);
        b[at] = (byte) (0x60 | (tc >>> 4));
        b[at + 1] = (byte) ((tc & 0x0f) << 4);
        put16(b, at + 4, extHeaderLen + l4Len);
        b[at + 6] = (byte) (extHeaderLen > 0 ? 0 : proto);
        b[at + 7] = (byte) (1 + r.nextInt(255));
        for (int i = 0; i < 32; i++) {
            b[at + 8 + i] = (byte) r.nextInt(256);
        }
        b[at + 8] = (byte) 0xfd; b[at + 24] = (byte) 0xfd;
        if (extHeaderLen > 0) { // one hop-by-hop header padded with PadN
            b[at + 40] = (byte) proto;
            b[at + 41] = (byte) (extHeaderLen / 8 - 1);
            b[at + 42] = 1;
            b[at + 43] = (byte) (extHeaderLen - 4);
        }
        return 40 + extHeaderLen;
    }

    public static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    public static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    public static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    public static void put16le(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    /** A TCP or UDP header of {@code l4HeaderLen} bytes with random ports, seq, ack, options. */
    public static void l4Header(byte[] b, int at, int proto, int l4HeaderLen, int l4Len, int tcpFlags, Random r) {
        put16(b, at, 1024 + r.nextInt(60000));
        put16(b, at + 2, 1024 + r.nextInt(60000));
        if (proto == TCP) {
            for (int i = 4; i < 12; i++) {
                b[at + i] = (byte) r.nextInt(256);
            }
            b[at + 12] = (byte) ((l4HeaderLen / 4) << 4);
            b[at + 13] = (byte) tcpFlags;
            put16(b, at + 14, r.nextInt(65536));
            for (int i = 20; i < l4HeaderLen; i++) {
                b[at + i] = (byte) (i == 20 ? 1 : r.nextInt(256));
            }
        } else {
            put16(b, at + 4, l4Len);
        }
    }

    /**
     * A GSO train frame: virtio_net_hdr (NEEDS_CSUM, pseudo sum in place, as the kernel writes it)
     * + IP + L4 + payload. Returns the frame length; {@code b} must be large enough.
     */
    public static int train(byte[] b, boolean v4, int proto, int tcpOptions, int gsoSize, int payload, int tcpFlags,
                     Random r, int extHeaderLen) {
        int ip = VNET_HDR_SIZE;
        int l4HeaderLen = proto == TCP ? 20 + tcpOptions : 8;
        int l4Len = l4HeaderLen + payload;
        int ipHl = ipHeader(b, ip, v4, proto, l4Len, r, extHeaderLen);
        int l4 = ip + ipHl;
        l4Header(b, l4, proto, l4HeaderLen, l4Len, tcpFlags, r);
        for (int i = 0; i < payload; i++) {
            b[l4 + l4HeaderLen + i] = (byte) r.nextInt(256);
        }
        int csumOff = proto == TCP ? 16 : 6;
        put16(b, l4 + csumOff, Checksum.sum16(new byte[0], 0, 0, Checksum.pseudo(b, ip, proto, l4Len)));
        b[0] = F_NEEDS_CSUM;
        b[1] = (byte) (proto == UDP ? GSO_UDP_L4 : v4 ? GSO_TCPV4 : GSO_TCPV6);
        put16le(b, 2, ipHl + l4HeaderLen);
        put16le(b, 4, gsoSize);
        put16le(b, 6, ipHl);
        put16le(b, 8, csumOff);
        put16le(b, 10, 0);
        return ip + ipHl + l4Len;
    }

    public static ByteBuffer direct(byte[] b, int len) {
        ByteBuffer bb = ByteBuffer.allocateDirect(len + 64);
        bb.put(0, b, 0, len);
        return bb;
    }

    public static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] a = new byte[len];
        b.get(off, a, 0, len);
        return a;
    }
}
