package dev.platoon.crypto;

import java.util.Arrays;

/**
 * KDF1/KDF2/KDF3 of the whitepaper (HKDF with HMAC-BLAKE2s): t0 = HMAC(key, input),
 * t1 = HMAC(t0, 0x1), t2 = HMAC(t0, t1 || 0x2), t3 = HMAC(t0, t2 || 0x3). Outputs may alias the key
 * (the chaining key is usually replaced by t1), because t0 is taken before anything is written.
 */
public final class Kdf {
    private static final byte[] ONE = {1};
    private static final byte[] TWO = {2};
    private static final byte[] THREE = {3};

    private Kdf() {
    }

    /** KDF1(key, input) = t1. */
    public static byte[] kdf1(byte[] key, byte[] input) {
        byte[] t1 = new byte[32];
        derive(key, input, t1, null, null);
        return t1;
    }

    /** KDF2(key, input) = (t1, t2). */
    public static byte[][] kdf2(byte[] key, byte[] input) {
        byte[][] t = {new byte[32], new byte[32]};
        derive(key, input, t[0], t[1], null);
        return t;
    }

    /** KDF3(key, input) = (t1, t2, t3). */
    public static byte[][] kdf3(byte[] key, byte[] input) {
        byte[][] t = {new byte[32], new byte[32], new byte[32]};
        derive(key, input, t[0], t[1], t[2]);
        return t;
    }

    /**
     * Derives up to three 32-byte outputs; pass {@code null} for the ones not wanted (KDF1: t2 and t3
     * null, KDF2: t3 null).
     */
    public static void derive(byte[] key, byte[] input, byte[] t1, byte[] t2, byte[] t3) {
        byte[] t0 = Blake2s.hmac(key, input);
        byte[] a = Blake2s.hmac(t0, ONE);
        byte[] b = null;
        byte[] c = null;
        if (t2 != null || t3 != null) {
            b = Blake2s.hmac(t0, a, TWO);
        }
        if (t3 != null) {
            c = Blake2s.hmac(t0, b, THREE);
        }
        System.arraycopy(a, 0, t1, 0, 32);
        if (t2 != null) {
            System.arraycopy(b, 0, t2, 0, 32);
        }
        if (t3 != null) {
            System.arraycopy(c, 0, t3, 0, 32);
        }
        Arrays.fill(t0, (byte) 0);
        Arrays.fill(a, (byte) 0);
        if (b != null) {
            Arrays.fill(b, (byte) 0);
        }
        if (c != null) {
            Arrays.fill(c, (byte) 0);
        }
    }
}
