package dev.platoon.crypto;

import java.security.GeneralSecurityException;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * AEAD(key, counter, plain, aad) of the whitepaper for handshake and cookie messages: JDK
 * ChaCha20-Poly1305 with the nonce 4 zero bytes || 64-bit little-endian counter. A fresh Cipher per
 * call: handshakes are rare, keys are single-use, and a fresh instance can never trip the JDK's
 * "same key and nonce as the last init" guard. The data path uses {@link TransportCipher} instead.
 */
final class Aead {
    static final String TRANSFORMATION = "ChaCha20-Poly1305";

    private Aead() {
    }

    static byte[] nonce(long counter) {
        byte[] n = new byte[12];
        Protocol.writeLongLE(n, 4, counter);
        return n;
    }

    /** Seals {@code len} bytes into {@code out[outOff..+len+16)} (may be the same region). */
    static void seal(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad,
                     byte[] out, int outOff) {
        seal(key, nonce(counter), in, inOff, len, aad, out, outOff);
    }

    static void seal(byte[] key, byte[] nonce12, byte[] in, int inOff, int len, byte[] aad,
                     byte[] out, int outOff) {
        ChaChaKey k = new ChaChaKey(key);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, k, new IvParameterSpec(nonce12));
            if (aad != null) {
                c.updateAAD(aad);
            }
            c.doFinal(in, inOff, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable: " + e.getMessage(), e);
        } finally {
            k.destroy();
        }
    }

    /** Opens {@code len} bytes (ciphertext and tag); false when the tag does not verify. */
    static boolean open(byte[] key, long counter, byte[] in, int inOff, int len, byte[] aad,
                        byte[] out, int outOff) {
        return open(key, nonce(counter), in, inOff, len, aad, out, outOff);
    }

    static boolean open(byte[] key, byte[] nonce12, byte[] in, int inOff, int len, byte[] aad,
                        byte[] out, int outOff) {
        if (len < Protocol.TAG_LENGTH) {
            return false;
        }
        ChaChaKey k = new ChaChaKey(key);
        byte[] tmp = new byte[len - Protocol.TAG_LENGTH];
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, k, new IvParameterSpec(nonce12));
            if (aad != null) {
                c.updateAAD(aad);
            }
            // Decrypt to a temporary so a failed open never writes into the caller's output.
            c.doFinal(in, inOff, len, tmp, 0);
            System.arraycopy(tmp, 0, out, outOff, tmp.length);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable: " + e.getMessage(), e);
        } finally {
            k.destroy();
            Arrays.fill(tmp, (byte) 0);
        }
    }
}
