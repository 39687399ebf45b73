package dev.platoon.tun;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): ones'-complement sum of 16-bit big-endian words.
 * Sums are carried unfolded in a {@code long} so that pieces (pseudo-header, headers, payload)
 * can be added before one final {@link #fold}; {@link #finish} gives the value to store.
 */
public final class InetChecksum {
    private InetChecksum() {}

    /** Adds the bytes [off, off+len) to {@code initial}; an odd last byte is padded with zero. */
    public static long sum(ByteBuffer b, int off, int len, long initial) {
        // Read in the buffer's own order: a byte-swapped ones'-complement sum is the byte-swap of
        // the sum (RFC 1071 §2(B)), so one swap at the end fixes a little-endian buffer.
        long acc = 0;
        int i = off;
        int end = off + len;
        for (; end - i >= 32; i += 32) {
            long w0 = b.getLong(i), w1 = b.getLong(i + 8), w2 = b.getLong(i + 16), w3 = b.getLong(i + 24);
            acc += (w0 >>> 32) + (w0 & 0xffffffffL) + (w1 >>> 32) + (w1 & 0xffffffffL)
                    + (w2 >>> 32) + (w2 & 0xffffffffL) + (w3 >>> 32) + (w3 & 0xffffffffL);
        }
        for (; end - i >= 8; i += 8) {
            long w = b.getLong(i);
            acc += (w >>> 32) + (w & 0xffffffffL);
        }
        if (end - i >= 4) {
            acc += b.getInt(i) & 0xffffffffL;
            i += 4;
        }
        if (end - i >= 2) {
            acc += b.getShort(i) & 0xffffL;
            i += 2;
        }
        boolean big = b.order() == ByteOrder.BIG_ENDIAN;
        if (i < end) {
            int last = b.get(i) & 0xff;
            acc += big ? last << 8 : last;
        }
        int folded = fold(acc);
        if (!big) {
            folded = Integer.reverseBytes(folded) >>> 16;
        }
        return initial + folded;
    }

    /** Folds carries into 16 bits (not complemented). */
    public static int fold(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** The value for the checksum field: the complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Full checksum of [off, off+len), e.g. an IPv4 header whose checksum field is zero. */
    public static int checksum(ByteBuffer b, int off, int len) {
        return finish(sum(b, off, len, 0));
    }

    /**
     * Unfolded pseudo-header sum (RFC 768/793 for IPv4, RFC 8200 §8.1 for IPv6): both addresses,
     * which lie next to each other in both IP headers, the protocol and the L4 length.
     */
    public static long pseudoHeader(ByteBuffer b, int srcAddrOff, int addrLen, int protocol, int l4Length) {
        return sum(b, srcAddrOff, addrLen * 2, 0) + protocol + l4Length;
    }

    /**
     * RFC 1624 eqn. 3: the new checksum after a 16-bit field changed from {@code oldValue} to
     * {@code newValue}, without touching the rest of the data.
     */
    public static int update16(int checksum, int oldValue, int newValue) {
        long s = (~checksum & 0xffff) + (~oldValue & 0xffff) + (newValue & 0xffff);
        return ~fold(s) & 0xffff;
    }

    /** RFC 1624 for a 32-bit field (e.g. a TCP sequence number). */
    public static int update32(int checksum, long oldValue, long newValue) {
        int c = update16(checksum, (int) (oldValue >>> 16) & 0xffff, (int) (newValue >>> 16) & 0xffff);
        return update16(c, (int) oldValue & 0xffff, (int) newValue & 0xffff);
    }

    /**
     * Completes a {@code NEEDS_CSUM} partial checksum: the field at {@code csumAt} holds the
     * pseudo-header sum, the rest of [start, end) is summed over it. A result of zero is written as
     * 0xffff (zero means "no checksum" for UDP; for TCP both encode the same sum), as the kernel does.
     */
    public static void completePartial(ByteBuffer b, int start, int end, int csumAt) {
        int c = finish(sum(b, start, end - start, 0));
        Bytes.put16(b, csumAt, c == 0 ? 0xffff : c);
    }

    /** True when [off, off+len) sums, with {@code initial}, to all ones: a valid checksum. */
    public static boolean verify(ByteBuffer b, int off, int len, long initial) {
        return fold(sum(b, off, len, initial)) == 0xffff;
    }
}
