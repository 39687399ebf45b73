package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

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

    private final boolean stubKeyStream;
    private final int[] state = new int[16];
    private final byte[] keyStream = new byte[JdkChaChaIntrinsics.KEY_STREAM_BYTES];
    private final byte[] block = new byte[16];
    private final Poly1305 poly = new Poly1305();
    private int keyStreamLength; // bytes the last key-stream call wrote
    private int keyStreamOffset; // next unused key-stream byte
    private int nextBlock; // block counter for the next key-stream call

    /** The ChaCha20 stub when this JVM can use it, else plain Java. */
    JavaChaCha20Poly1305() {
        this(JdkChaChaIntrinsics.CHACHA20_AVAILABLE);
    }

    /** Tests and benchmarks choose: {@code false} forces the plain-Java ChaCha20. */
    JavaChaCha20Poly1305(boolean stubKeyStream) {
        if (stubKeyStream && !JdkChaChaIntrinsics.CHACHA20_AVAILABLE) {
            throw new IllegalStateException(JdkChaChaIntrinsics.CHACHA20_UNAVAILABLE_REASON);
        }
        this.stubKeyStream = stubKeyStream;
    }

    @Override
    AeadEngines.Kind kind() {
        return AeadEngines.Kind.JAVA;
    }

    /** Whether the key stream comes from the JDK's ChaCha20 stub (else from plain Java). */
    boolean usesStubKeyStream() {
        return stubKeyStream;
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

    /** Sets up the state for (key, counter) and the Poly1305 key from block 0; false if the key is gone. */
    private boolean start(ChaChaKey key, long counter, int len) {
        int[] st = state;
        ChaCha20State.putConstants(st);
        if (!key.loadWords(st, 4)) {
            return false;
        }
        st[12] = 0;
        st[13] = 0;
        st[14] = (int) counter;
        st[15] = (int) (counter >>> 32);
        keyStreamLength = keyStream(64 + len);
        nextBlock = keyStreamLength >>> 6;
        keyStreamOffset = 64;
        poly.init(keyStream, 0);
        return true;
    }

    /**
     * Key stream from block {@code state[12]} on into {@link #keyStream}: the stub writes what it
     * writes (the CPU decides, 64 to 1024 bytes); plain Java writes the blocks {@code wanted} bytes
     * need, up to the array's length (each block costs the same there, so none is made in vain).
     */
    private int keyStream(int wanted) {
        if (stubKeyStream) {
            int n = JdkChaChaIntrinsics.chaCha20Blocks(state, keyStream);
            // The stub's count steers what we read: a count outside the array or not whole blocks is a fault.
            if (n < 64 || n > keyStream.length || (n & 63) != 0) {
                throw new IllegalStateException("ChaCha20 stub returned " + n + " bytes of key stream");
            }
            return n;
        }
        int blocks = Math.min((wanted + 63) >>> 6, keyStream.length >>> 6);
        return ChaCha20Blocks.blocks(state, keyStream, Math.max(blocks, 1));
    }

    /** XORs the key stream (from block 1 on) over {@code buf[off..off+len)}. */
    private void crypt(byte[] buf, int off, int len) {
        int done = 0;
        while (done < len) {
            if (keyStreamOffset == keyStreamLength) {
                state[12] = nextBlock;
                keyStreamLength = keyStream(len - done);
                nextBlock += keyStreamLength >>> 6;
                keyStreamOffset = 0;
            }
            int n = Math.min(len - done, keyStreamLength - keyStreamOffset);
            xor(buf, off + done, keyStream, keyStreamOffset, n);
            done += n;
            keyStreamOffset += n;
        }
    }

    private static void xor(byte[] buf, int off, byte[] ks, int ksOff, int n) {
        int i = 0;
        for (; i <= n - 8; i += 8) {
            LONG_LE.set(buf, off + i, (long) LONG_LE.get(buf, off + i) ^ (long) LONG_LE.get(ks, ksOff + i));
        }
        for (; i < n; i++) {
            buf[off + i] ^= ks[ksOff + i];
        }
    }

    /** Poly1305 over the ciphertext, its zero padding and the lengths block; the tag is then in poly. */
    private void authenticate(byte[] buf, int off, int len) {
        int full = len & ~15;
        if (full > 0) {
            poly.blocks(buf, off, full);
        }
        if (full < len) {
            Arrays.fill(block, (byte) 0);
            System.arraycopy(buf, off + full, block, 0, len - full);
            poly.blocks(block, 0, 16);
        }
        LONG_LE.set(block, 0, 0L); // associated data length: WireGuard transport has none
        LONG_LE.set(block, 8, (long) len);
        poly.blocks(block, 0, 16);
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
