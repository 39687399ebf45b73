package dev.platoon.crypto;

import java.util.Arrays;

/**
 * XChaCha20-Poly1305 (draft-irtf-cfrg-xchacha) for cookie replies: HChaCha20 turns the key and the
 * first 16 nonce bytes into a subkey, and the JDK's ChaCha20-Poly1305 runs with that subkey and the
 * nonce 4 zero bytes || the last 8 nonce bytes. HChaCha20 is small enough to write here.
 */
public final class XChaCha20Poly1305 {
    public static final int NONCE_LENGTH = 24;

    private XChaCha20Poly1305() {
    }

    /** Seals {@code len} bytes of {@code in} into {@code out[outOff..+len+16)}. */
    public static void seal(byte[] key, byte[] nonce24, byte[] in, int inOff, int len, byte[] aad,
                            byte[] out, int outOff) {
        byte[] subkey = hChaCha20(key, nonce24);
        try {
            Aead.seal(subkey, innerNonce(nonce24), in, inOff, len, aad, out, outOff);
        } finally {
            Arrays.fill(subkey, (byte) 0);
        }
    }

    /** Opens {@code len} bytes (ciphertext and tag) into {@code out}; false when the tag is wrong. */
    public static boolean open(byte[] key, byte[] nonce24, byte[] in, int inOff, int len, byte[] aad,
                               byte[] out, int outOff) {
        byte[] subkey = hChaCha20(key, nonce24);
        try {
            return Aead.open(subkey, innerNonce(nonce24), in, inOff, len, aad, out, outOff);
        } finally {
            Arrays.fill(subkey, (byte) 0);
        }
    }

    private static byte[] innerNonce(byte[] nonce24) {
        byte[] n = new byte[12];
        System.arraycopy(nonce24, 16, n, 4, 8);
        return n;
    }

    /** HChaCha20(key, nonce[0..16)): 20 ChaCha rounds, output words 0-3 and 12-15, little endian. */
    public static byte[] hChaCha20(byte[] key, byte[] nonce) {
        if (key.length != 32 || nonce.length < 16) {
            throw new IllegalArgumentException("HChaCha20 needs a 32-byte key and a 16-byte nonce");
        }
        int[] s = new int[16];
        ChaCha20State.putConstants(s);
        ChaCha20State.putKey(key, s, 4);
        for (int i = 0; i < 4; i++) {
            s[12 + i] = Protocol.readIntLE(nonce, 4 * i);
        }
        for (int round = 0; round < 10; round++) {
            quarter(s, 0, 4, 8, 12);
            quarter(s, 1, 5, 9, 13);
            quarter(s, 2, 6, 10, 14);
            quarter(s, 3, 7, 11, 15);
            quarter(s, 0, 5, 10, 15);
            quarter(s, 1, 6, 11, 12);
            quarter(s, 2, 7, 8, 13);
            quarter(s, 3, 4, 9, 14);
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 4; i++) {
            Protocol.writeIntLE(out, 4 * i, s[i]);
            Protocol.writeIntLE(out, 16 + 4 * i, s[12 + i]);
        }
        Arrays.fill(s, 0);
        return out;
    }

    private static void quarter(int[] s, int a, int b, int c, int d) {
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 16);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 12);
        s[a] += s[b];
        s[d] = Integer.rotateLeft(s[d] ^ s[a], 8);
        s[c] += s[d];
        s[b] = Integer.rotateLeft(s[b] ^ s[c], 7);
    }
}
