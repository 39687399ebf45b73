package dev.platoon.crypto;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.util.Objects;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.IvParameterSpec;

/**
 * Seals and opens transport data IN PLACE with the JDK's ChaCha20-Poly1305 (HotSpot intrinsics).
 * One instance per thread (it holds two reusable Ciphers and a scratch array); it works for any
 * keypair. Nonce: 4 zero bytes || 64-bit little-endian counter; no associated data.
 *
 * <p>Allocation: each call must {@code Cipher.init} (the nonce changes), and the JDK allocates
 * there (a 1 KB key-stream block for the Poly1305 key, the Poly1305 state, key and nonce copies:
 * ~2.2 KB per call measured, whatever the packet size); beyond that nothing is allocated. Heap
 * buffers and arrays are processed in place. Direct buffers are copied into a per-instance
 * scratch array and back, because the JDK's direct-buffer path allocates a packet-sized array
 * per call (see docs/benchmarks.md, "crypto (JMH)").
 *
 * <p>Padding the plaintext to a multiple of 16 ({@link Protocol#PADDING_MULTIPLE}) is the caller's
 * job, as is writing the 16-byte header and checking/recording the counter
 * ({@link TransportKeypair#acceptCounter}) after a successful open.
 */
public final class TransportCipher {
    /** Returned by open/seal when the packet must be dropped. */
    public static final int FAILED = -1;

    private final Cipher sealer;
    private final Cipher opener;
    private final CounterNonce sealNonce = new CounterNonce();
    private final CounterNonce openNonce = new CounterNonce();
    private byte[] scratch = new byte[2048];

    public TransportCipher() {
        try {
            sealer = Cipher.getInstance(Aead.TRANSFORMATION);
            opener = Cipher.getInstance(Aead.TRANSFORMATION);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no ChaCha20-Poly1305: " + e.getMessage(), e);
        }
    }

    /**
     * Encrypts {@code buf[off..off+len)} in place and appends the 16-byte tag at {@code off+len}.
     * Returns {@code len + 16}, or {@link #FAILED} if the keypair was closed. Throws
     * {@link IndexOutOfBoundsException} when the buffer has no room for the tag and
     * {@link IllegalStateException} when this instance's previous seal used the same key and counter.
     * Offsets are absolute; the region (tag included) must lie below the limit. Position and limit
     * are not changed.
     */
    public int seal(TransportKeypair kp, long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + Protocol.TAG_LENGTH, buf.limit());
        if (buf.hasArray()) {
            return seal(kp, counter, buf.array(), buf.arrayOffset() + off, len);
        }
        byte[] s = scratch(len + Protocol.TAG_LENGTH);
        buf.get(off, s, 0, len);
        int n = seal(kp, counter, s, 0, len);
        if (n > 0) {
            buf.put(off, s, 0, n);
        }
        return n;
    }

    /**
     * Decrypts {@code len} bytes of ciphertext-and-tag at {@code buf[off..)} in place. Returns the
     * plaintext length ({@code len - 16}) or {@link #FAILED} when it does not authenticate (the
     * buffer content is then unspecified) or the keypair was closed.
     */
    public int open(TransportKeypair kp, long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return open(kp, counter, buf.array(), buf.arrayOffset() + off, len);
        }
        if (len < Protocol.TAG_LENGTH) {
            return FAILED;
        }
        byte[] s = scratch(len);
        buf.get(off, s, 0, len);
        int n = open(kp, counter, s, 0, len);
        if (n >= 0) {
            buf.put(off, s, 0, n);
        }
        return n;
    }

    /** Array form of {@link #seal(TransportKeypair, long, ByteBuffer, int, int)}. */
    public int seal(TransportKeypair kp, long counter, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + Protocol.TAG_LENGTH, buf.length);
        try {
            sealer.init(Cipher.ENCRYPT_MODE, kp.sendKey(), sealNonce.set(counter));
            return sealer.doFinal(buf, off, len, buf, off);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("seal: same key and counter as this cipher's previous seal");
        } catch (IllegalStateException e) {
            return FAILED; // key destroyed under us: the keypair was closed
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("seal: " + e.getMessage(), e);
        }
    }

    /** Array form of {@link #open(TransportKeypair, long, ByteBuffer, int, int)}. */
    public int open(TransportKeypair kp, long counter, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < Protocol.TAG_LENGTH) {
            return FAILED;
        }
        return openWith(kp.receiveKey(), counter, buf, off, len);
    }

    private int openWith(SecretKey key, long counter, byte[] buf, int off, int len) {
        try {
            opener.init(Cipher.DECRYPT_MODE, key, openNonce.set(counter));
            return opener.doFinal(buf, off, len, buf, off);
        } catch (AEADBadTagException e) {
            return FAILED;
        } catch (IllegalStateException e) {
            return FAILED;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("open: " + e.getMessage(), e);
        }
    }

    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(2 * scratch.length, 65536 + 64))];
        }
        return scratch;
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
