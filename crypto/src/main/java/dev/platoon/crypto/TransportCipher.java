package dev.platoon.crypto;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Seals and opens transport data IN PLACE with ChaCha20-Poly1305. One instance per thread (it holds
 * its engine's state); it works for any keypair. Nonce: 4 zero bytes || 64-bit little-endian counter;
 * no associated data.
 *
 * <p>The work is done by an {@link AeadEngine}: the one {@link AeadEngines#chosen()} names, which this
 * instance follows when the choice changes (one volatile read per packet), or a fixed one given to the
 * constructor. Direct buffers are processed where they lie by the native engine and through a scratch
 * array by the Java ones; arrays and heap buffers in place.
 *
 * <p>Guards: an engine that throws loses the packet ({@link #FAILED}, never a half-sealed packet on the
 * wire), is reported to {@link AeadEngines#fault} and replaced by the safe engine in this instance;
 * every 65,536 packets the engine's known answers are checked again, so a wrong answer from code the
 * JIT compiled later is caught the same way.
 *
 * <p>Padding the plaintext to a multiple of 16 ({@link Protocol#PADDING_MULTIPLE}) is the caller's
 * job, as is writing the 16-byte header and checking/recording the counter
 * ({@link TransportKeypair#acceptCounter}) after a successful open.
 */
public final class TransportCipher {
    /** Returned by open/seal when the packet must be dropped. */
    public static final int FAILED = -1;
    private static final int CHECK_EVERY = 1 << 16;

    private final boolean follows; // false: the engine was given, and changes only after a fault
    private AeadEngine engine;
    private KnownAnswers.Scratch checkScratch;
    private int untilCheck = CHECK_EVERY;
    private ChaChaKey lastSealKey; // the previous seal's key and counter: a repeat is refused
    private long lastSealCounter;

    /** A cipher on the engine {@link AeadEngines} chooses, following its choice. */
    public TransportCipher() {
        follows = true;
        engine = AeadEngines.create(AeadEngines.chosen);
    }

    /** A cipher on one engine (tests, benchmarks); throws IllegalStateException when it is unavailable. */
    public TransportCipher(AeadEngines.Kind kind) {
        String why = AeadEngines.unavailable(kind);
        if (why != null) {
            throw new IllegalStateException(kind.label() + ": " + why);
        }
        follows = false;
        engine = AeadEngines.create(kind);
    }

    /** A cipher on a given engine instance: tests give it one that fails on purpose. */
    TransportCipher(AeadEngine engine) {
        follows = false;
        this.engine = engine;
    }

    /** The engine this instance uses now. */
    public AeadEngines.Kind kind() {
        return engine.kind();
    }

    /**
     * Encrypts {@code buf[off..off+len)} in place and appends the 16-byte tag at {@code off+len}.
     * Returns {@code len + 16}, or {@link #FAILED} if the keypair was closed or the engine faulted.
     * Throws {@link IndexOutOfBoundsException} when the buffer has no room for the tag and
     * {@link IllegalStateException} when this instance's previous seal used the same key and counter.
     * Offsets are absolute; the region (tag included) must lie below the limit. Position and limit
     * are not changed.
     */
    public int seal(TransportKeypair kp, long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + Protocol.TAG_LENGTH, buf.limit());
        if (buf.hasArray()) {
            return seal(kp, counter, buf.array(), buf.arrayOffset() + off, len);
        }
        ChaChaKey key = sealKey(kp, counter);
        AeadEngine e = current();
        try {
            return e.seal(key, counter, buf, off, len);
        } catch (RuntimeException | LinkageError x) {
            return fault(e, x);
        }
    }

    /**
     * Decrypts {@code len} bytes of ciphertext-and-tag at {@code buf[off..)} in place. Returns the
     * plaintext length ({@code len - 16}) or {@link #FAILED} when it does not authenticate (the
     * buffer content is then unspecified), the keypair was closed or the engine faulted.
     */
    public int open(TransportKeypair kp, long counter, ByteBuffer buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.limit());
        if (buf.hasArray()) {
            return open(kp, counter, buf.array(), buf.arrayOffset() + off, len);
        }
        if (len < Protocol.TAG_LENGTH) {
            return FAILED;
        }
        AeadEngine e = current();
        try {
            return e.open(kp.receiveKey(), counter, buf, off, len);
        } catch (RuntimeException | LinkageError x) {
            return fault(e, x);
        }
    }

    /** Array form of {@link #seal(TransportKeypair, long, ByteBuffer, int, int)}. */
    public int seal(TransportKeypair kp, long counter, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len + Protocol.TAG_LENGTH, buf.length);
        ChaChaKey key = sealKey(kp, counter);
        AeadEngine e = current();
        try {
            return e.seal(key, counter, buf, off, len);
        } catch (RuntimeException | LinkageError x) {
            return fault(e, x);
        }
    }

    /** Array form of {@link #open(TransportKeypair, long, ByteBuffer, int, int)}. */
    public int open(TransportKeypair kp, long counter, byte[] buf, int off, int len) {
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len < Protocol.TAG_LENGTH) {
            return FAILED;
        }
        AeadEngine e = current();
        try {
            return e.open(kp.receiveKey(), counter, buf, off, len);
        } catch (RuntimeException | LinkageError x) {
            return fault(e, x);
        }
    }

    private ChaChaKey sealKey(TransportKeypair kp, long counter) {
        ChaChaKey key = kp.sendKey();
        if (key == lastSealKey && counter == lastSealCounter) {
            throw new IllegalStateException("seal: same key and counter as this cipher's previous seal");
        }
        lastSealKey = key;
        lastSealCounter = counter;
        return key;
    }

    /** The engine for this packet: follows the chooser, and re-checks the known answers now and then. */
    private AeadEngine current() {
        AeadEngine e = engine;
        if (follows && e.kind() != AeadEngines.chosen) {
            e = engine = AeadEngines.create(AeadEngines.chosen);
        }
        if (--untilCheck == 0) {
            untilCheck = CHECK_EVERY;
            if (checkScratch == null) {
                checkScratch = new KnownAnswers.Scratch();
            }
            String wrong = KnownAnswers.check(e, checkScratch);
            if (wrong != null) {
                fault(e, new IllegalStateException(wrong));
                e = engine;
            }
        }
        return e;
    }

    /** The engine faulted: count it, lose this packet, and go on with the safe engine. */
    private int fault(AeadEngine e, Throwable why) {
        AeadEngines.fault(e.kind(), why);
        if (e.kind() != AeadEngines.Kind.JDK_CIPHER) {
            engine = AeadEngines.create(AeadEngines.Kind.JDK_CIPHER);
        }
        return FAILED;
    }
}
