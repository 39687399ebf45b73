package dev.platoon.tun;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The Internet checksum (RFC 1071): ones'-complement sum of 16-bit big-endian words.
 * Sums are carried unfolded in a {@code long} so that pieces (pseudo-header, headers, payload)
 * can be added before one final {@link #fold}; {@link #finish} gives the value to store.
 */
public final class InetChecksum {
    private InetChecksum() {}

    /**
     * Adds the bytes [off, off+len) to {@code initial}; an odd last byte is padded with zero.
     * Indices are absolute, as for {@link ByteBuffer#get(int)}: [off, off+len) must lie below the
     * limit (else {@link IndexOutOfBoundsException}); a non-positive {@code len} adds nothing.
     */
    public static long sum(ByteBuffer b, int off, int len, long initial) {
        if (len <= 0) {
            return initial;
        }
        Objects.checkFromIndexSize(off, len, b.limit());
        // Every word is read little-endian whatever the buffer's order: a byte-swapped
        // ones'-complement sum is the byte-swap of the sum (RFC 1071 §2(B)), so one swap of the
        // folded result gives the network-order sum. Reading in the buffer's order (big endian for
        // Netty) cost a bswap per word and kept the loop ~2x slower on x86.
        long acc = b.hasArray() ? sumArray(b.array(), b.arrayOffset() + off, len) : sumBuffer(b, off, len);
        return initial + (Integer.reverseBytes(fold(acc)) >>> 16);
    }

    private static final VarHandle ARRAY_LONGS =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BUFFER_LONGS =
            MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LOW32 = 0xffffffffL;

    /*
     * Both loops add the two 32-bit halves of each 8-byte word into a long: no carry to track, and
     * 2^31 bytes could not overflow it. They are counted int loops over a VarHandle view so that C2
     * hoists the bounds checks (an `end - i >= 32` loop over ByteBuffer.getLong keeps a
     * Buffer.checkIndex per word: 6 % of the sender's CPU in a profile of the tunnel). Measured with
     * bench's ChecksumBench (1400 bytes): the array loop is vectorized by C2; the off-heap loop is
     * not, and more accumulators there were no faster. Each access site inlines a long chain
     * (bounds, session, Unsafe), so the off-heap loop has one: with four, GsoSplitter ran out of
     * C2's inlining budget and its loads became calls. A MemorySegment.ofBuffer view was rejected:
     * no faster at 1400 bytes, and it allocated 72 B per call at 64 KiB when escape analysis gave up.
     */

    private static long sumArray(byte[] a, int off, int len) {
        int n = len >>> 3;
        long acc = 0;
        for (int k = 0; k < n; k++) {
            long w = (long) ARRAY_LONGS.get(a, off + (k << 3));
            acc += (w >>> 32) + (w & LOW32);
        }
        for (int i = n << 3; i < len; i++) {
            acc += (long) (a[off + i] & 0xff) << ((i & 1) << 3);
        }
        return acc;
    }

    private static long sumBuffer(ByteBuffer b, int off, int len) {
        int n = len >>> 3;
        long acc = 0;
        for (int k = 0; k < n; k++) {
            long w = (long) BUFFER_LONGS.get(b, off + (k << 3));
            acc += (w >>> 32) + (w & LOW32);
        }
        // At most 7 bytes; an even distance from off is the low byte of a little-endian word.
        for (int i = n << 3; i < len; i++) {
            acc += (long) (b.get(off + i) & 0xff) << ((i & 1) << 3);
        }
        return acc;
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
