package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** {@link Poly1305} in 64-bit limbs against BigInteger arithmetic mod 2^130-5, the RFC's vector and edge values. */
class Poly1305Test {
    private static final BigInteger P = BigInteger.ONE.shiftLeft(130).subtract(BigInteger.valueOf(5));
    private static final BigInteger TWO_128 = BigInteger.ONE.shiftLeft(128);
    private static final BigInteger TWO_64 = BigInteger.ONE.shiftLeft(64);
    private static final BigInteger CLAMP = new BigInteger("0ffffffc0ffffffc0ffffffc0fffffff", 16);

    @Test
    void rfc8439Section2_5_2() {
        byte[] key = HexFormat.of().parseHex("85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b");
        byte[] msg = "Cryptographic Forum Research Group".getBytes(StandardCharsets.US_ASCII);
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", HexFormat.of().formatHex(mac(new Poly1305(), key, msg)));
        assertEquals("a8061dc1305136c6c22b8baf0c0127a9", HexFormat.of().formatHex(oracle(key, msg)));
    }

    @Test
    void randomKeysAndMessagesAgreeWithBigInteger() {
        Random rnd = new Random(1305);
        Poly1305 poly = new Poly1305(); // reused: init must reset everything
        byte[] key = new byte[32];
        for (int i = 0; i < 20_000; i++) {
            rnd.nextBytes(key);
            byte[] msg = new byte[rnd.nextInt(i % 100 == 0 ? 3000 : 200)];
            rnd.nextBytes(msg);
            assertArrayEquals(oracle(key, msg), mac(poly, key, msg), () -> "length " + msg.length);
        }
    }

    @Test
    void largestValuesEverywhere() {
        // r at its largest after clamping, s all ones, every message block all ones (2^129 - 1 with its
        // pad bit): the widest products and carries the limbs can see.
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 0xff);
        for (int len : new int[] {16, 17, 31, 32, 160, 1600, 16000}) {
            byte[] msg = new byte[len];
            Arrays.fill(msg, (byte) 0xff);
            assertArrayEquals(oracle(key, msg), mac(new Poly1305(), key, msg), "length " + len);
        }
        // r = 1 and r = 0: h passes through (or vanishes) unreduced.
        for (byte[] r : new byte[][] {{1}, {}}) {
            byte[] k = new byte[32];
            System.arraycopy(r, 0, k, 0, r.length);
            Arrays.fill(k, 16, 32, (byte) 0xff);
            byte[] msg = new byte[64];
            Arrays.fill(msg, (byte) 0xff);
            assertArrayEquals(oracle(k, msg), mac(new Poly1305(), k, msg));
        }
    }

    @Test
    void finishReducesAccumulatorsNearTheModulus() {
        // Every accumulator the block loop can leave (h < 2^130 + 2^64), around p, 2^130 and the top.
        BigInteger two130 = BigInteger.ONE.shiftLeft(130);
        BigInteger[] centres = {BigInteger.ZERO, P, two130, two130.add(TWO_64), TWO_128, TWO_128.shiftLeft(1)};
        Random rnd = new Random(5);
        for (BigInteger centre : centres) {
            for (int d = -20; d <= 20; d++) {
                BigInteger h = centre.add(BigInteger.valueOf(d));
                if (h.signum() < 0 || h.compareTo(two130.add(TWO_64)) >= 0) {
                    continue;
                }
                for (BigInteger s : new BigInteger[] {BigInteger.ZERO, TWO_128.subtract(BigInteger.ONE),
                        new BigInteger(128, rnd)}) {
                    Poly1305 poly = new Poly1305();
                    poly.init(0, 0, s.longValue(), s.shiftRight(64).longValue());
                    setH(poly, h);
                    poly.finish();
                    assertEquals(h.mod(P).add(s).mod(TWO_128), tag(poly), "h = " + h.toString(16));
                }
            }
        }
    }

    @Test
    void blocksStartingFromPartlyReducedAccumulators() {
        // The accumulator is carried between calls only partly reduced; the next blocks must still be
        // right mod p, and the invariant (top limb <= 4) must hold after them.
        Random rnd = new Random(130);
        BigInteger top = BigInteger.ONE.shiftLeft(130).add(TWO_64);
        byte[] key = new byte[32];
        for (int i = 0; i < 20_000; i++) {
            rnd.nextBytes(key);
            if (i % 3 == 0) {
                Arrays.fill(key, 0, 16, (byte) 0xff);
            }
            BigInteger h = switch (i % 4) {
                case 0 -> top.subtract(BigInteger.valueOf(1 + rnd.nextInt(1000)));
                case 1 -> P.add(BigInteger.valueOf(rnd.nextInt(1000) - 500));
                default -> new BigInteger(130, rnd);
            };
            byte[] msg = new byte[16 * (1 + rnd.nextInt(4))];
            if (i % 2 == 0) {
                Arrays.fill(msg, (byte) 0xff);
            } else {
                rnd.nextBytes(msg);
            }
            Poly1305 poly = new Poly1305();
            poly.init(key, 0);
            setH(poly, h);
            poly.blocks(msg, 0, msg.length);
            long[] a = poly.accumulator();
            assertTrue(a[2] >= 0 && a[2] <= 4 && (a[2] < 4 || a[1] == 0), () -> "invariant broken: " + Arrays.toString(a));
            poly.finish();

            BigInteger r = le(key, 0, 16).and(CLAMP);
            BigInteger s = le(key, 16, 16);
            BigInteger acc = h;
            for (int off = 0; off < msg.length; off += 16) {
                acc = acc.add(le(msg, off, 16)).add(TWO_128).multiply(r).mod(P);
            }
            assertEquals(acc.add(s).mod(TWO_128), tag(poly));
        }
    }

    @Test
    void rejectsPartialBlocksInBlocks() {
        Poly1305 poly = new Poly1305();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> poly.blocks(new byte[32], 0, 17));
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> poly.blocks(new byte[32], 32, 16));
    }

    /** Plain Poly1305 (RFC 8439 §2.5.1) with our class: full blocks, then the short last one. */
    static byte[] mac(Poly1305 poly, byte[] key, byte[] msg) {
        poly.init(key, 0);
        int full = msg.length & ~15;
        poly.blocks(msg, 0, full);
        if (full < msg.length) {
            poly.lastPartialBlock(msg, full, msg.length - full);
        }
        poly.finish();
        byte[] tag = new byte[16];
        poly.writeTag(tag, 0);
        return tag;
    }

    /** RFC 8439 §2.5.1 in BigInteger. */
    static byte[] oracle(byte[] key, byte[] msg) {
        BigInteger r = le(key, 0, 16).and(CLAMP);
        BigInteger s = le(key, 16, 16);
        BigInteger acc = BigInteger.ZERO;
        for (int off = 0; off < msg.length; off += 16) {
            int n = Math.min(16, msg.length - off);
            BigInteger block = le(msg, off, n).add(BigInteger.ONE.shiftLeft(8 * n));
            acc = acc.add(block).multiply(r).mod(P);
        }
        BigInteger t = acc.add(s).mod(TWO_128);
        byte[] out = new byte[16];
        for (int i = 0; i < 16; i++) {
            out[i] = t.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    private static BigInteger le(byte[] b, int off, int n) {
        byte[] be = new byte[n + 1];
        for (int i = 0; i < n; i++) {
            be[n - i] = b[off + i];
        }
        return new BigInteger(be);
    }

    private static void setH(Poly1305 poly, BigInteger h) {
        poly.setAccumulator(h.longValue(), h.shiftRight(64).longValue(), h.shiftRight(128).longValue());
    }

    private static BigInteger tag(Poly1305 poly) {
        return new BigInteger(1, toBytes(poly.tag1(), poly.tag0()));
    }

    private static byte[] toBytes(long high, long low) {
        byte[] be = new byte[16];
        for (int i = 0; i < 8; i++) {
            be[i] = (byte) (high >>> (56 - 8 * i));
            be[8 + i] = (byte) (low >>> (56 - 8 * i));
        }
        return be;
    }
}
