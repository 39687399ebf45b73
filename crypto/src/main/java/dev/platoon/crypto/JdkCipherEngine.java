package dev.platoon.crypto;

import java.security.GeneralSecurityException;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;

/**
 * The transport AEAD on the JDK's public {@code Cipher} API: the safe engine, available in every JVM
 * and maintained by the JDK. It is the slowest (the Cipher must be re-initialised for every packet,
 * which computes a key stream up front and allocates ~2.2 KB), so it is chosen only when no other
 * engine verifies, and taken over when another engine faults at run time.
 */
final class JdkCipherEngine extends AeadEngine {
    private final Cipher sealer;
    private final Cipher opener;
    private final CounterNonce sealNonce = new CounterNonce();
    private final CounterNonce openNonce = new CounterNonce();

    JdkCipherEngine() {
        try {
            sealer = Cipher.getInstance(Aead.TRANSFORMATION);
            opener = Cipher.getInstance(Aead.TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no ChaCha20-Poly1305: " + e.getMessage(), e);
        }
    }

    @Override
    AeadEngines.Kind kind() {
        return AeadEngines.Kind.JDK_CIPHER;
    }

    @Override
    int seal(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, sealNonce.set(counter));
            return sealer.doFinal(buf, off, len, buf, off);
        } catch (IllegalStateException e) {
            return TransportCipher.FAILED; // key destroyed under us: the keypair was closed
        } catch (GeneralSecurityException e) {
            if (key.isDestroyed()) { // the JDK reports a key it could not read as an invalid key
                return TransportCipher.FAILED;
            }
            throw new IllegalStateException("seal: " + e.getMessage(), e);
        }
    }

    @Override
    int open(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        try {
            opener.init(Cipher.DECRYPT_MODE, key, openNonce.set(counter));
            return opener.doFinal(buf, off, len, buf, off);
        } catch (AEADBadTagException e) {
            return TransportCipher.FAILED;
        } catch (IllegalStateException e) {
            return TransportCipher.FAILED;
        } catch (GeneralSecurityException e) {
            if (key.isDestroyed()) {
                return TransportCipher.FAILED;
            }
            throw new IllegalStateException("open: " + e.getMessage(), e);
        }
    }

    /**
     * The nonce as an IvParameterSpec that the Cipher reads once per init. Reusing one spec saves the
     * spec and its defensive copy; getIV must still return a fresh array, because the Cipher keeps it
     * to compare with the next init's nonce.
     */
    private static final class CounterNonce extends IvParameterSpec {
        private long counter;

        CounterNonce() {
            super(new byte[12]);
        }

        CounterNonce set(long c) {
            counter = c;
            return this;
        }

        @Override
        public byte[] getIV() {
            byte[] n = new byte[12];
            Protocol.writeLongLE(n, 4, counter);
            return n;
        }
    }
}
