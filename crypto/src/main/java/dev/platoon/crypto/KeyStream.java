package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 side of WireGuard's transport AEAD for the engines that make their own key stream
 * (java, jdk-stubs): the state for (key, counter), block 0 — whose first 32 bytes are the Poly1305
 * key — and the XOR of blocks 1, 2, … over the payload. The blocks come from the JDK's ChaCha20 stub
 * (as many per call as the CPU's vectors give, 64 to 1024 bytes; {@link JdkChaChaIntrinsics} checks
 * the count) or from {@link ChaCha20Blocks} in plain Java (only the blocks the payload needs). One
 * instance per engine; nothing is allocated per packet.
 */
final class KeyStream {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean stub;
    private final int[] state = new int[16];
    private final byte[] bytes = new byte[JdkChaChaIntrinsics.KEY_STREAM_BYTES];
    private int length; // bytes the last call wrote
    private int offset; // next unused byte
    private int nextBlock; // block counter for the next call

    KeyStream(boolean stub) {
        this.stub = stub;
    }

    boolean usesStub() {
        return stub;
    }

    /**
     * Sets up (key, counter) and makes the first blocks, enough for {@code len} payload bytes where
     * that is up to us. False, with nothing made, when the key was destroyed. Afterwards
     * {@link #bytes()}[0..32) is the Poly1305 key.
     */
    boolean start(ChaChaKey key, long counter, int len) {
        int[] st = state;
        ChaCha20State.putConstants(st);
        if (!key.loadWords(st, 4)) {
            return false;
        }
        st[12] = 0;
        st[13] = 0;
        st[14] = (int) counter;
        st[15] = (int) (counter >>> 32);
        length = blocks(64 + len);
        nextBlock = length >>> 6;
        offset = 64;
        return true;
    }

    /** The key-stream buffer; after {@link #start}, its first 32 bytes are the Poly1305 key. */
    byte[] bytes() {
        return bytes;
    }

    /** XORs the key stream (from block 1 on) over {@code buf[off..off+len)}. */
    void crypt(byte[] buf, int off, int len) {
        int done = 0;
        while (done < len) {
            if (offset == length) {
                state[12] = nextBlock;
                length = blocks(len - done);
                nextBlock += length >>> 6;
                offset = 0;
            }
            int n = Math.min(len - done, length - offset);
            xor(buf, off + done, bytes, offset, n);
            done += n;
            offset += n;
        }
    }

    /** Blocks from {@code state[12]} on into {@link #bytes}; how many bytes were written. */
    private int blocks(int wanted) {
        if (stub) {
            return JdkChaChaIntrinsics.chaCha20Blocks(state, bytes);
        }
        int blocks = Math.min((wanted + 63) >>> 6, bytes.length >>> 6);
        return ChaCha20Blocks.blocks(state, bytes, Math.max(blocks, 1));
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
}
