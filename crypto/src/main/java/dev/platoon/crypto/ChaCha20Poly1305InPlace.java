package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * RFC 8439 ChaCha20-Poly1305 with WireGuard's transport nonce (4 zero bytes, 64-bit little-endian
 * counter) and no associated data, in place on a {@code byte[]}, on the JDK's own ChaCha20 and
 * Poly1305 stubs ({@link JdkChaChaIntrinsics}). One instance per thread; nothing is allocated per call.
 *
 * <p>Per packet this does only what the construction needs: one key-stream call whose first block
 * gives the Poly1305 key and whose remaining blocks encrypt the first 960 bytes (then one call per
 * further 1024 bytes), the XOR, Poly1305 over the ciphertext, its zero padding and the lengths block,
 * and a final reduction in {@code long} arithmetic. Open authenticates before it decrypts, and
 * compares tags in constant time.
 */
final class ChaCha20Poly1305InPlace extends AeadEngine {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long MASK26 = 0x3ffffff;

    private final KeyStream keyStream = new KeyStream(true);
    private final byte[] block = new byte[16];
    private final JdkChaChaIntrinsics.Poly1305State poly = new JdkChaChaIntrinsics.Poly1305State();
    private long s0; // Poly1305 key, s half
    private long s1;
    private long tag0; // the tag authenticate() computed
    private long tag1;

    @Override
    AeadEngines.Kind kind() {
        return AeadEngines.Kind.JDK_STUBS;
    }

    /**
     * Encrypts {@code buf[off..off+len)} in place and writes the tag at {@code off+len}. Returns
     * {@code len + 16}, or {@link TransportCipher#FAILED} when the key was destroyed.
     */
    @Override
    int seal(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len + Protocol.TAG_LENGTH, buf.length);
        if (!start(key, counter)) {
            return TransportCipher.FAILED;
        }
        crypt(buf, off, len);
        authenticate(buf, off, len);
        writeTag(buf, off + len);
        return len + Protocol.TAG_LENGTH;
    }

    /**
     * Checks the tag of {@code len} bytes of ciphertext-and-tag at {@code off} and, only if it holds,
     * decrypts in place. Returns the plaintext length, or {@link TransportCipher#FAILED} (the buffer
     * is then unchanged).
     */
    @Override
    int open(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        int plain = len - Protocol.TAG_LENGTH;
        if (plain < 0 || !start(key, counter)) {
            return TransportCipher.FAILED;
        }
        authenticate(buf, off, plain);
        long diff = (tag0 ^ (long) LONG_LE.get(buf, off + plain))
                | (tag1 ^ (long) LONG_LE.get(buf, off + plain + 8));
        if (diff != 0) {
            return TransportCipher.FAILED;
        }
        crypt(buf, off, plain);
        return plain;
    }

    void writeTag(byte[] out, int at) {
        LONG_LE.set(out, at, tag0);
        LONG_LE.set(out, at + 8, tag1);
    }

    /** Sets up the key stream for (key, counter), derives the Poly1305 key from block 0. */
    private boolean start(ChaChaKey key, long counter) {
        if (!keyStream.start(key, counter, 0)) {
            return false;
        }
        byte[] ks = keyStream.bytes();
        long r0 = (long) LONG_LE.get(ks, 0) & 0x0ffffffc0fffffffL;
        long r1 = (long) LONG_LE.get(ks, 8) & 0x0ffffffc0ffffffcL;
        s0 = (long) LONG_LE.get(ks, 16);
        s1 = (long) LONG_LE.get(ks, 24);
        long[] r = poly.r;
        r[0] = r0 & MASK26;
        r[1] = (r0 >>> 26) & MASK26;
        r[2] = ((r0 >>> 52) | (r1 << 12)) & MASK26;
        r[3] = (r1 >>> 14) & MASK26;
        r[4] = (r1 >>> 40) & MASK26;
        Arrays.fill(poly.accumulator, 0);
        return true;
    }

    private void crypt(byte[] buf, int off, int len) {
        keyStream.crypt(buf, off, len);
    }

    /** Poly1305 over the ciphertext, its zero padding and the lengths block; leaves the tag in tag0/tag1. */
    private void authenticate(byte[] buf, int off, int len) {
        poly.absorbTransport(buf, off, len, block);
        finish(poly.accumulator, s0, s1);
    }

    /**
     * tag = (h mod 2^130-5) + s mod 2^128, where h is the accumulator's five 26-bit limbs — which the
     * JDK keeps only partly reduced, and signed (its carries round to nearest), so normalise first.
     */
    void finish(long[] a, long sLow, long sHigh) {
        long h0 = a[0], h1 = a[1], h2 = a[2], h3 = a[3], h4 = a[4];
        long c;
        for (int pass = 0; pass < 3; pass++) { // 2^130 = 5 (mod p): the top carry folds in times five
            c = h0 >> 26; h0 &= MASK26; h1 += c;
            c = h1 >> 26; h1 &= MASK26; h2 += c;
            c = h2 >> 26; h2 &= MASK26; h3 += c;
            c = h3 >> 26; h3 &= MASK26; h4 += c;
            c = h4 >> 26; h4 &= MASK26; h0 += c * 5;
        }
        // 0 <= h < 2^130 now; h - p = h + 5 - 2^130 is the answer when it is not negative.
        long g0 = h0 + 5;
        c = g0 >> 26; g0 &= MASK26;
        long g1 = h1 + c;
        c = g1 >> 26; g1 &= MASK26;
        long g2 = h2 + c;
        c = g2 >> 26; g2 &= MASK26;
        long g3 = h3 + c;
        c = g3 >> 26; g3 &= MASK26;
        long g4 = h4 + c - (1L << 26);
        long useG = ~(g4 >> 63); // all ones when g4 >= 0, without a branch on secret data
        h0 = (g0 & useG) | (h0 & ~useG);
        h1 = (g1 & useG) | (h1 & ~useG);
        h2 = (g2 & useG) | (h2 & ~useG);
        h3 = (g3 & useG) | (h3 & ~useG);
        h4 = (g4 & useG) | (h4 & ~useG);
        long low = h0 | (h1 << 26) | (h2 << 52);
        long high = (h2 >>> 12) | (h3 << 14) | (h4 << 40);
        long t0 = low + sLow;
        long carry = (((low & sLow) | ((low | sLow) & ~t0)) >>> 63);
        tag0 = t0;
        tag1 = high + sHigh + carry;
    }

    /** The {@link KnownAnswers} on the stubs; null when all hold, else why not (one line). */
    static String selfTest() {
        try {
            return KnownAnswers.check(new ChaCha20Poly1305InPlace(), new KnownAnswers.Scratch());
        } catch (RuntimeException | LinkageError e) {
            return "self-test failed: " + e;
        }
    }
}
