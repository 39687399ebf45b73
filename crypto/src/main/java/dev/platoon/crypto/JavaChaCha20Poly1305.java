package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * WireGuard's transport AEAD (RFC 8439 ChaCha20-Poly1305, nonce 4 zero bytes || 64-bit little-endian
 * counter, no associated data) in place on a {@code byte[]}, with our own {@link Poly1305} in 64-bit
 * limbs and the ChaCha20 key stream from the JDK's stub when {@link JdkChaChaIntrinsics#CHACHA20_AVAILABLE},
 * else from {@link ChaCha20Blocks} in plain Java — so it works in a JVM started without any
 * --add-opens. One instance per thread; nothing is allocated per call.
 *
 * <p>Why its own Poly1305: the JDK's Poly1305 stub needs AVX-512 IFMA; without it (most CPUs, and
 * aarch64) the JDK runs Poly1305 in 26-bit limbs in Java, 25 multiplications per block, where 64-bit
 * limbs need six ({@code Math.unsignedMultiplyHigh} is one instruction after C2).
 *
 * <p>Per packet: one key-stream call whose first block gives the Poly1305 key and whose other
 * blocks encrypt the start of the packet (then one call per further key-stream buffer), the XOR,
 * Poly1305 over the ciphertext, its zero padding and the lengths block. Open authenticates before
 * it decrypts, and compares tags without a data-dependent branch.
 */
final class JavaChaCha20Poly1305 extends AeadEngine {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final KeyStream keyStream;
    private final byte[] block = new byte[16];
    private final Poly1305 poly = new Poly1305();

    /** The ChaCha20 stub when this JVM can use it, else plain Java. */
    JavaChaCha20Poly1305() {
        this(JdkChaChaIntrinsics.CHACHA20_AVAILABLE);
    }

    /** Tests and benchmarks choose: {@code false} forces the plain-Java ChaCha20. */
    JavaChaCha20Poly1305(boolean stubKeyStream) {
        if (stubKeyStream && !JdkChaChaIntrinsics.CHACHA20_AVAILABLE) {
            throw new IllegalStateException(JdkChaChaIntrinsics.CHACHA20_UNAVAILABLE_REASON);
        }
        this.keyStream = new KeyStream(stubKeyStream);
    }

    @Override
    AeadEngines.Kind kind() {
        return AeadEngines.Kind.JAVA;
    }

    /** Whether the key stream comes from the JDK's ChaCha20 stub (else from plain Java). */
    boolean usesStubKeyStream() {
        return keyStream.usesStub();
    }

    @Override
    int seal(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len + Protocol.TAG_LENGTH, buf.length);
        if (!start(key, counter, len)) {
            return TransportCipher.FAILED;
        }
        crypt(buf, off, len);
        authenticate(buf, off, len);
        poly.writeTag(buf, off + len);
        return len + Protocol.TAG_LENGTH;
    }

    @Override
    int open(ChaChaKey key, long counter, byte[] buf, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, buf.length);
        int plain = len - Protocol.TAG_LENGTH;
        if (plain < 0 || !start(key, counter, plain)) {
            return TransportCipher.FAILED;
        }
        authenticate(buf, off, plain);
        long diff = (poly.tag0() ^ (long) LONG_LE.get(buf, off + plain))
                | (poly.tag1() ^ (long) LONG_LE.get(buf, off + plain + 8));
        if (diff != 0) { // a branch on whether the whole tag matched, which an attacker learns anyway
            return TransportCipher.FAILED;
        }
        crypt(buf, off, plain);
        return plain;
    }

    /** Sets up the key stream for (key, counter) and the Poly1305 key from block 0; false if the key is gone. */
    private boolean start(ChaChaKey key, long counter, int len) {
        if (!keyStream.start(key, counter, len)) {
            return false;
        }
        poly.init(keyStream.bytes(), 0);
        return true;
    }

    private void crypt(byte[] buf, int off, int len) {
        keyStream.crypt(buf, off, len);
    }

    /** Poly1305 over the ciphertext, its zero padding and the lengths block; the tag is then in poly. */
    private void authenticate(byte[] buf, int off, int len) {
        poly.absorbTransport(buf, off, len, block);
        poly.finish();
    }

    /**
     * The {@link KnownAnswers} with the plain-Java key stream and, when this JVM has it, the stub's;
     * null when all hold, else why not (one line).
     */
    static String selfTest() {
        try {
            String reason = KnownAnswers.check(new JavaChaCha20Poly1305(false), new KnownAnswers.Scratch());
            if (reason == null && JdkChaChaIntrinsics.CHACHA20_AVAILABLE) {
                reason = KnownAnswers.check(new JavaChaCha20Poly1305(true), new KnownAnswers.Scratch());
            }
            return reason;
        } catch (RuntimeException | LinkageError e) {
            return "self-test failed: " + e;
        }
    }
}
