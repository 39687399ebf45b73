package dev.platoon.testkit;

/**
 * An independent, deliberately naive RFC 1071 Internet checksum over byte arrays: the reference the
 * tests hold production checksum code and packet builders to.
 */
public final class Checksum {
    private Checksum() {
    }

    /** The ones'-complement sum of {@code len} bytes at {@code off} (odd length padded with zero), folded. */
    public static int sum16(byte[] b, int off, int len, long initial) {
        long s = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            s += (hi << 8) | lo;
        }
        while (s > 0xffff) {
            s = (s & 0xffff) + (s >> 16);
        }
        return (int) s;
    }

    /** The checksum to store: the complement of the sum. */
    public static int checksum(byte[] b, int off, int len) {
        return ~sum16(b, off, len, 0) & 0xffff;
    }

    /** Pseudo-header sum of an IP packet at {@code ip} (v4 or v6 chosen by its version nibble). */
    public static long pseudo(byte[] b, int ip, int proto, int l4Len) {
        boolean v4 = (b[ip] & 0xf0) == 0x40;
        int src = ip + (v4 ? 12 : 8);
        int n = v4 ? 8 : 32;
        return sum16(b, src, n, 0) + proto + l4Len;
    }

    /** True when the IPv4 header checksum (if v4) and the L4 checksum at {@code l4} are valid. */
    public static boolean packetValid(byte[] b, int ip, int l4, int end, int proto) {
        boolean v4 = (b[ip] & 0xf0) == 0x40;
        if (v4 && sum16(b, ip, l4 - ip, 0) != 0xffff) {
            return false;
        }
        return sum16(b, l4, end - l4, pseudo(b, ip, proto, end - l4)) == 0xffff;
    }
}
