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
 * Seals and opens transport data IN PLACE with ChaCha20-Poly1305. One instance per thread (it holds
 * its engine's state and a scratch array); it works for any keypair. Nonce: 4 zero bytes || 64-bit
 * little-endian counter; no associated data.
 *
 * <p>Engine: {@link ChaCha20Poly1305InPlace} on the JDK's own ChaCha20 and Poly1305 stubs when
 * {@link JdkChaChaIntrinsics#AVAILABLE} (nothing allocated per call; ~2× the JDK {@code Cipher} at
 * 1400 B, ~4× at 64 B — docs/benchmarks.md), else the public {@code Cipher} API, which must be
 * re-initialised per packet and allocates ~2.2 KB there. {@link #engine()} says which, and why.
 * Heap buffers and arrays are processed in place. Direct buffers are copied into a per-instance
 * scratch array and back: both engines work on arrays (the JDK's direct-buffer path allocates a
 * packet-sized array per call, and the Poly1305 stub reads arrays only).
 *
 * <p>Padding the plaintext to a multiple of 16 ({@link Protocol#PADDING_MULTIPLE}) is the caller's
 * job, as is writing the 16-byte header and checking/recording the counter
 * ({@link TransportKeypair#acceptCounter}) after a successful open.
 */
public final class TransportCipher {
    /** Returned by open/seal when the packet must be dropped. */
    public static final int FAILED = -1;

    private final ChaCha20Poly1305InPlace inPlace; // null: the Cipher API below does the work
    private final Cipher sealer;
    private final Cipher opener;
    private ChaChaKey lastSealKey; // the previous seal's key and counter: a repeat is refused, as the JDK does
    private long lastSealCounter;
    private final CounterNonce sealNonce = new CounterNonce();
    private final CounterNonce openNonce = new CounterNonce();
    private byte[] scratch = new byte[2048];

    public TransportCipher() {
        this(JdkChaChaIntrinsics.AVAILABLE);
    }

    /** Tests run one suite on both engines; {@code true} needs {@link JdkChaChaIntrinsics#AVAILABLE}. */
    TransportCipher(boolean inPlaceEngine) {
        if (inPlaceEngine && !JdkChaChaIntrinsics.AVAILABLE) {
            throw new IllegalStateException(JdkChaChaIntrinsics.UNAVAILABLE_REASON);
        }
        inPlace = inPlaceEngine ? new ChaCha20Poly1305InPlace() : null;
        if (inPlaceEngine) {
            sealer = null;
            opener = null;
            return;
        }
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
        if (inPlace != null) {
            ChaChaKey key = kp.sendKey();
            if (key == lastSealKey && counter == lastSealCounter) {
                throw new IllegalStateException("seal: same key and counter as this cipher's previous seal");
            }
            lastSealKey = key;
            lastSealCounter = counter;
            return inPlace.seal(key, counter, buf, off, len);
        }
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
        if (inPlace != null) {
            return inPlace.open(kp.receiveKey(), counter, buf, off, len);
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

    /** Which engine this JVM uses, in one line: for the log at start-up and for benchmarks. */
    public static String engine() {
        return JdkChaChaIntrinsics.AVAILABLE ? "in place on the JDK's ChaCha20 and Poly1305 stubs"
                : "the JDK's Cipher API (" + JdkChaChaIntrinsics.UNAVAILABLE_REASON + ")";
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
