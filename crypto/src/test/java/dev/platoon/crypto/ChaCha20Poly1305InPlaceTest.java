package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * The in-place engine against the JDK's Cipher as the oracle. Enough iterations that the JIT compiles
 * the engine, so both the JDK's Java bodies (interpreter) and its stubs (C2) are checked.
 */
class ChaCha20Poly1305InPlaceTest {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));

    @Test
    void theTestJvmHasTheStubs() {
        assertTrue(JdkChaChaIntrinsics.AVAILABLE, () -> "unavailable: " + JdkChaChaIntrinsics.UNAVAILABLE_REASON);
    }

    @Test
    void sealAndOpenAgreeWithTheJdkAtRandomLengthsCountersAndOffsets() throws Exception {
        Random rnd = new Random(8439);
        ChaCha20Poly1305InPlace engine = new ChaCha20Poly1305InPlace();
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        byte[] keyBytes = new byte[32];
        for (int i = 0; i < 30_000; i++) {
            if (i % 1000 == 0) {
                rnd.nextBytes(keyBytes);
            }
            ChaChaKey key = new ChaChaKey(keyBytes);
            int len = i < 3000 ? i : rnd.nextInt(i % 7 == 0 ? 66_000 : 2100);
            int off = rnd.nextInt(40);
            long counter = rnd.nextLong();
            byte[] plain = new byte[len];
            rnd.nextBytes(plain);
            byte[] nonce = new byte[12];
            Protocol.writeLongLE(nonce, 4, counter);
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "ChaCha20"), new IvParameterSpec(nonce));
            byte[] expected = jdk.doFinal(plain);

            byte[] buf = new byte[off + len + 16 + rnd.nextInt(3)];
            System.arraycopy(plain, 0, buf, off, len);
            assertEquals(len + 16, engine.seal(key, counter, buf, off, len));
            assertArrayEquals(expected, Arrays.copyOfRange(buf, off, off + len + 16), "seal, length " + len);
            assertEquals(len, engine.open(key, counter, buf, off, len + 16), "open, length " + len);
            assertArrayEquals(plain, Arrays.copyOfRange(buf, off, off + len), "open, length " + len);
        }
    }

    @Test
    void anyFlippedBitFailsAndLeavesTheBufferUntouched() {
        Random rnd = new Random(1);
        ChaCha20Poly1305InPlace engine = new ChaCha20Poly1305InPlace();
        byte[] keyBytes = new byte[32];
        rnd.nextBytes(keyBytes);
        ChaChaKey key = new ChaChaKey(keyBytes);
        for (int len : new int[] {0, 1, 16, 100, 1420}) {
            byte[] buf = new byte[len + 16];
            rnd.nextBytes(buf);
            engine.seal(key, 9, buf, 0, len);
            for (int bit = 0; bit < buf.length * 8; bit += 1 + rnd.nextInt(7)) {
                byte[] bad = buf.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                byte[] before = bad.clone();
                assertEquals(TransportCipher.FAILED, engine.open(key, 9, bad, 0, len + 16), "bit " + bit);
                assertArrayEquals(before, bad);
            }
            assertEquals(TransportCipher.FAILED, engine.open(key, 10, buf.clone(), 0, len + 16), "wrong counter");
            assertEquals(len, engine.open(key, 9, buf, 0, len + 16));
        }
    }

    @Test
    void aDestroyedKeyFailsWithoutTouchingTheBuffer() {
        ChaCha20Poly1305InPlace engine = new ChaCha20Poly1305InPlace();
        ChaChaKey key = new ChaChaKey(new byte[32]);
        key.destroy();
        byte[] buf = new byte[48];
        Arrays.fill(buf, (byte) 5);
        assertEquals(TransportCipher.FAILED, engine.seal(key, 1, buf, 0, 32));
        assertEquals(TransportCipher.FAILED, engine.open(key, 1, buf, 0, 48));
        byte[] fives = new byte[48];
        Arrays.fill(fives, (byte) 5);
        assertArrayEquals(fives, buf);
    }

    /** The final reduction, on accumulators the block loop rarely produces: around p, 2^130, and signed. */
    @Test
    void finalReductionMatchesBigIntegerAtTheEdges() {
        ChaCha20Poly1305InPlace engine = new ChaCha20Poly1305InPlace();
        Random rnd = new Random(5);
        BigInteger[] edges = {BigInteger.ZERO, BigInteger.ONE, P.subtract(BigInteger.ONE), P, P.add(BigInteger.ONE),
            P.add(BigInteger.valueOf(4)), BigInteger.ONE.shiftLeft(130).subtract(BigInteger.ONE),
            BigInteger.ONE.shiftLeft(128), BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE)};
        for (BigInteger h : edges) {
            checkFinish(engine, limbs(h), rnd);
        }
        for (int i = 0; i < 20_000; i++) {
            long[] a = new long[5];
            for (int j = 0; j < 5; j++) {
                a[j] = rnd.nextLong() >> (36 + rnd.nextInt(3)); // signed, up to ~27 bits, as the JDK leaves them
            }
            checkFinish(engine, a, rnd);
        }
    }

    private static long[] limbs(BigInteger h) {
        long[] a = new long[5];
        for (int j = 0; j < 5; j++) {
            a[j] = h.shiftRight(26 * j).longValue() & 0x3ffffff;
        }
        return a;
    }

    private static void checkFinish(ChaCha20Poly1305InPlace engine, long[] a, Random rnd) {
        BigInteger h = BigInteger.ZERO;
        for (int j = 4; j >= 0; j--) {
            h = h.shiftLeft(26).add(BigInteger.valueOf(a[j]));
        }
        long sLow = rnd.nextLong();
        long sHigh = rnd.nextLong();
        BigInteger s = new BigInteger(1, toBytesBigEndian(sHigh, sLow));
        BigInteger expected = h.mod(P).add(s).mod(BigInteger.ONE.shiftLeft(128));
        byte[] tag = new byte[16];
        engine.finish(a.clone(), sLow, sHigh);
        engine.writeTag(tag, 0);
        assertEquals(expected, new BigInteger(1, reverse(tag)), () -> "limbs " + Arrays.toString(a));
    }

    private static byte[] toBytesBigEndian(long high, long low) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (high >>> (56 - 8 * i));
            b[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return b;
    }

    private static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }
}
