package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Poly1305 (RFC 8439 §2.5) in radix 2^64: the accumulator is two 64-bit limbs and a small top limb,
 * r is two 64-bit limbs, and each block costs four 64×64→128 products (low half {@code *}, high half
 * {@link Math#unsignedMultiplyHigh}, both single instructions after C2) plus two small ones — against
 * 25 products for the 26-bit limbs the JDK's Java code uses. One instance per engine; nothing is
 * allocated; no branch or memory index depends on the key, the message or the accumulator.
 *
 * <p>Clamping leaves r0 and r1 below 2^60 and r1 a multiple of 4, which is what makes this work: the
 * product's 2^128 terms fold back as {@code r1 * 2^128 = (r1/4) * 2^130 = 5 * r1/4 (mod p)}, so
 * {@code s1 = r1 + r1/4} stands in for them, and every partial sum fits in 128 bits.
 */
final class Poly1305 implements Poly1305Blocks {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private long r0;
    private long r1;
    private long s1; // r1 + r1/4: r1's coefficient once a 2^128 factor is folded in
    private long pad0; // the "s" half of the one-time key, added at the end
    private long pad1;
    // The accumulator h = h0 + h1*2^64 + h2*2^128. Between calls h2 <= 4 (h < 2^130 + 2^64): only
    // partly reduced mod p; finish() reduces it fully.
    private long h0;
    private long h1;
    private long h2;
    private long tag0;
    private long tag1;
    private final byte[] partial = new byte[16];

    /** Starts a MAC with the 32-byte one-time key at {@code key[off..off+32)}: r (clamped) then s. */
    void init(byte[] key, int off) {
        init((long) LONG_LE.get(key, off), (long) LONG_LE.get(key, off + 8),
                (long) LONG_LE.get(key, off + 16), (long) LONG_LE.get(key, off + 24));
    }

    /** Starts a MAC with the key as four little-endian words (r unclamped: clamped here). */
    void init(long rLow, long rHigh, long sLow, long sHigh) {
        r0 = rLow & 0x0ffffffc0fffffffL;
        r1 = rHigh & 0x0ffffffc0ffffffcL;
        s1 = r1 + (r1 >>> 2);
        pad0 = sLow;
        pad1 = sHigh;
        h0 = 0;
        h1 = 0;
        h2 = 0;
    }

    /** Absorbs {@code len} bytes (a multiple of 16) as full blocks, each with its 2^128 bit set. */
    @Override
    public void blocks(byte[] in, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, in.length);
        if ((len & 15) != 0) {
            throw new IllegalArgumentException("Poly1305 blocks are 16 bytes");
        }
        absorb(in, off, len, 1);
    }

    /**
     * Absorbs a final short message block ({@code 0 < len < 16} bytes) the way plain Poly1305 does: a
     * 1 byte after the message, zeros above, and no 2^128 bit. The AEAD never needs this (it zero-pads
     * to full blocks); it is here for the RFC's plain Poly1305 vectors.
     */
    void lastPartialBlock(byte[] in, int off, int len) {
        if (len <= 0 || len >= 16) {
            throw new IllegalArgumentException("a partial block has 1..15 bytes");
        }
        java.util.Arrays.fill(partial, (byte) 0);
        System.arraycopy(in, off, partial, 0, len);
        partial[len] = 1;
        absorb(partial, 0, 16, 0);
    }

    /** h = (h + m + hiBit * 2^128) * r, partly reduced, for each 16-byte block m. */
    private void absorb(byte[] in, int off, int len, long hiBit) {
        long a0 = h0, a1 = h1, a2 = h2;
        final long k0 = r0, k1 = r1, ks1 = s1;
        for (int end = off + len; off < end; off += 16) {
            // h += m + 2^128
            long m0 = (long) LONG_LE.get(in, off);
            long m1 = (long) LONG_LE.get(in, off + 8);
            long t0 = a0 + m0;
            long c = carry(a0, m0, t0);
            long t1 = a1 + m1;
            long c1 = carry(a1, m1, t1);
            long u1 = t1 + c;
            c1 += carrySmall(t1, u1);
            a2 += c1 + hiBit;

            // d = h * r, partly reduced: d0 = h0*r0 + h1*s1, d1 = h0*r1 + h1*r0 + h2*s1, d2 = h2*r0.
            // With h0, h1 < 2^64, h2 <= 6 and r0, r1 < 2^60, s1 < 2^61: d0, d1 < 2^127, d2 < 2^63.
            long d0lo = t0 * k0;
            long d0hi = Math.unsignedMultiplyHigh(t0, k0);
            long p = u1 * ks1;
            long sum = d0lo + p;
            d0hi += Math.unsignedMultiplyHigh(u1, ks1) + carry(d0lo, p, sum);
            d0lo = sum;

            long d1lo = t0 * k1;
            long d1hi = Math.unsignedMultiplyHigh(t0, k1);
            p = u1 * k0;
            sum = d1lo + p;
            d1hi += Math.unsignedMultiplyHigh(u1, k0) + carry(d1lo, p, sum);
            p = a2 * ks1; // < 7.5 * 2^60: no high half, and a short carry
            d1lo = sum + p;
            d1hi += carrySmall(sum, d1lo);
            // Carry d0's high half (below 2^63) into d1.
            sum = d1lo + d0hi;
            d1hi += carrySmall(d1lo, sum);
            d1lo = sum;
            long d2 = a2 * k0 + d1hi;

            // Fold everything from 2^130 up back in times five: (d2 >> 2) * 5 = (d2 & ~3) + (d2 >> 2).
            c = (d2 & ~3L) + (d2 >>> 2);
            a2 = d2 & 3;
            a0 = d0lo + c;
            c = carry(d0lo, c, a0);
            a1 = d1lo + c;
            a2 += carrySmall(d1lo, a1);
        }
        h0 = a0;
        h1 = a1;
        h2 = a2;
    }

    /**
     * tag = ((h mod 2^130-5) + s) mod 2^128, left in {@link #tag0()}/{@link #tag1()}. Constant time:
     * the conditional subtraction of p is a mask, not a branch.
     */
    void finish() {
        long a0 = h0, a1 = h1, a2 = h2;
        // Fold bits 130 and up once more: then h < 2^130 + 2^64 < 2p, so one subtraction of p suffices.
        long c = (a2 & ~3L) + (a2 >>> 2);
        a2 &= 3;
        long t = a0 + c;
        c = carry(a0, c, t);
        a0 = t;
        t = a1 + c;
        a2 += carry(a1, c, t);
        a1 = t;
        // g = h + 5 - 2^130 = h - p; use it when it is not negative, i.e. when h + 5 reaches 2^130.
        long g0 = a0 + 5;
        c = carry(a0, 5, g0);
        long g1 = a1 + c;
        c = carry(a1, c, g1);
        long g2 = a2 + c;
        long useG = -(g2 >>> 2); // g2 <= 5 here: bit 2 set exactly when h >= p; all ones then, else 0
        a0 = (g0 & useG) | (a0 & ~useG);
        a1 = (g1 & useG) | (a1 & ~useG);
        // + s, mod 2^128
        t = a0 + pad0;
        tag1 = a1 + pad1 + carry(a0, pad0, t);
        tag0 = t;
    }

    long tag0() {
        return tag0;
    }

    long tag1() {
        return tag1;
    }

    /** Writes the 16-byte tag at {@code out[at..at+16)}. */
    void writeTag(byte[] out, int at) {
        LONG_LE.set(out, at, tag0);
        LONG_LE.set(out, at + 8, tag1);
    }

    /** Wipes the key and the accumulator. */
    void clear() {
        r0 = r1 = s1 = pad0 = pad1 = h0 = h1 = h2 = tag0 = tag1 = 0;
    }

    /** Tests set the accumulator to edge values (h2 <= 4, the invariant between calls). */
    void setAccumulator(long low, long high, long top) {
        h0 = low;
        h1 = high;
        h2 = top;
    }

    long[] accumulator() {
        return new long[] {h0, h1, h2};
    }

    /**
     * The carry out of {@code sum = a + b} when {@code b < 2^63}: there is one exactly when a's top
     * bit is set and sum's is not. Shorter than {@link #carry} on the loop's critical path.
     */
    private static long carrySmall(long a, long sum) {
        return (a & ~sum) >>> 63;
    }

    /** The carry out of {@code sum = a + b} (unsigned), 0 or 1, without a compare-and-branch. */
    private static long carry(long a, long b, long sum) {
        return ((a & b) | ((a | b) & ~sum)) >>> 63;
    }
}
