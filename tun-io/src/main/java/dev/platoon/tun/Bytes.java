package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Network-order (big endian) field access by absolute index, independent of the buffer's own
 * {@link ByteBuffer#order()} — callers hand us buffers of either order.
 */
final class Bytes {
    private Bytes() {}

    static int u8(ByteBuffer b, int i) {
        return b.get(i) & 0xff;
    }

    static int u16(ByteBuffer b, int i) {
        return ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff);
    }

    static long u32(ByteBuffer b, int i) {
        return ((long) u16(b, i) << 16) | u16(b, i + 2);
    }

    static void put8(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
    }

    static void put16(ByteBuffer b, int i, int v) {
        b.put(i, (byte) (v >>> 8));
        b.put(i + 1, (byte) v);
    }

    static void put32(ByteBuffer b, int i, long v) {
        put16(b, i, (int) (v >>> 16));
        put16(b, i + 2, (int) v);
    }

    /** Little-endian u16, for virtio_net_hdr. */
    static int u16le(ByteBuffer b, int i) {
        return (b.get(i) & 0xff) | ((b.get(i + 1) & 0xff) << 8);
    }

    static void put16le(ByteBuffer b, int i, int v) {
        b.put(i, (byte) v);
        b.put(i + 1, (byte) (v >>> 8));
    }

    /** Exchanges the {@code len} bytes at {@code a} with those at {@code b} (non-overlapping). */
    static void swap(ByteBuffer x, int a, int b, int len) {
        for (int k = 0; k < len; k++) {
            byte t = x.get(a + k);
            x.put(a + k, x.get(b + k));
            x.put(b + k, t);
        }
    }

    /** True when [a, a+len) and [b, b+len) hold the same bytes. */
    static boolean equal(ByteBuffer x, int a, ByteBuffer y, int b, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            if (x.getLong(a + i) != y.getLong(b + i)) {
                return false;
            }
        }
        for (; i < len; i++) {
            if (x.get(a + i) != y.get(b + i)) {
                return false;
            }
        }
        return true;
    }
}
