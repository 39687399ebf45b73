package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A Poly1305 that absorbs whole 16-byte blocks (each with its 2^128 bit): our own {@link Poly1305}
 * and the JDK's, driven through {@link JdkChaChaIntrinsics.Poly1305State}. What RFC 8439's AEAD feeds
 * it for a WireGuard transport message is the same for both, and written once here.
 */
interface Poly1305Blocks {
    VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Absorbs {@code len} bytes (a multiple of 16) from {@code in[off..)}. */
    void blocks(byte[] in, int off, int len);

    /**
     * The AEAD's MAC input with no associated data: the ciphertext {@code msg[off..off+len)}, zero
     * padding to 16 bytes, then the lengths block (0, len). {@code block} is a 16-byte scratch array.
     */
    default void absorbTransport(byte[] msg, int off, int len, byte[] block) {
        int full = len & ~15;
        if (full > 0) {
            blocks(msg, off, full);
        }
        if (full < len) {
            Arrays.fill(block, (byte) 0);
            System.arraycopy(msg, off + full, block, 0, len - full);
            blocks(block, 0, 16);
        }
        LONG_LE.set(block, 0, 0L); // associated data length: WireGuard transport has none
        LONG_LE.set(block, 8, (long) len);
        blocks(block, 0, 16);
    }
}
