package dev.platoon.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The ChaCha20 block function (RFC 8439 §2.3) in plain Java, for JVMs where the JDK's ChaCha20 stub
 * cannot be reached ({@link JdkChaChaIntrinsics#CHACHA20_AVAILABLE} false: no --add-opens, or other
 * JDK internals). Same contract as {@link JdkChaChaIntrinsics#chaCha20Blocks}: the state is read, not
 * changed, and the blocks use counters {@code state[12]}, {@code state[12]+1}, ... (32-bit, as the
 * JDK's). Scalar: sixteen {@code int} locals, which C2 keeps in registers.
 */
final class ChaCha20Blocks {
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private ChaCha20Blocks() {
    }

    /**
     * Writes {@code blocks} 64-byte key-stream blocks at {@code keyStream[0..64*blocks)} from the
     * 16-word {@code state}; returns the bytes written.
     */
    static int blocks(int[] state, byte[] keyStream, int blocks) {
        if (state.length != 16) {
            throw new IllegalArgumentException("ChaCha20 state must be 16 words");
        }
        java.util.Objects.checkFromIndexSize(0, 64 * blocks, keyStream.length);
        for (int b = 0; b < blocks; b++) {
            block(state, state[12] + b, keyStream, 64 * b);
        }
        return 64 * blocks;
    }

    private static void block(int[] in, int counter, byte[] out, int at) {
        final int j0 = in[0], j1 = in[1], j2 = in[2], j3 = in[3], j4 = in[4], j5 = in[5], j6 = in[6], j7 = in[7];
        final int j8 = in[8], j9 = in[9], j10 = in[10], j11 = in[11], j13 = in[13], j14 = in[14], j15 = in[15];
        int x0 = j0, x1 = j1, x2 = j2, x3 = j3, x4 = j4, x5 = j5, x6 = j6, x7 = j7;
        int x8 = j8, x9 = j9, x10 = j10, x11 = j11, x12 = counter, x13 = j13, x14 = j14, x15 = j15;
        for (int i = 0; i < 10; i++) {
            // Column round: quarter rounds on (0,4,8,12) (1,5,9,13) (2,6,10,14) (3,7,11,15).
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 16);
            x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 12);
            x0 += x4; x12 = Integer.rotateLeft(x12 ^ x0, 8);
            x8 += x12; x4 = Integer.rotateLeft(x4 ^ x8, 7);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 16);
            x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 12);
            x1 += x5; x13 = Integer.rotateLeft(x13 ^ x1, 8);
            x9 += x13; x5 = Integer.rotateLeft(x5 ^ x9, 7);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 16);
            x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 12);
            x2 += x6; x14 = Integer.rotateLeft(x14 ^ x2, 8);
            x10 += x14; x6 = Integer.rotateLeft(x6 ^ x10, 7);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 16);
            x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 12);
            x3 += x7; x15 = Integer.rotateLeft(x15 ^ x3, 8);
            x11 += x15; x7 = Integer.rotateLeft(x7 ^ x11, 7);
            // Diagonal round: (0,5,10,15) (1,6,11,12) (2,7,8,13) (3,4,9,14).
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 16);
            x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 12);
            x0 += x5; x15 = Integer.rotateLeft(x15 ^ x0, 8);
            x10 += x15; x5 = Integer.rotateLeft(x5 ^ x10, 7);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 16);
            x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 12);
            x1 += x6; x12 = Integer.rotateLeft(x12 ^ x1, 8);
            x11 += x12; x6 = Integer.rotateLeft(x6 ^ x11, 7);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 16);
            x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 12);
            x2 += x7; x13 = Integer.rotateLeft(x13 ^ x2, 8);
            x8 += x13; x7 = Integer.rotateLeft(x7 ^ x8, 7);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 16);
            x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 12);
            x3 += x4; x14 = Integer.rotateLeft(x14 ^ x3, 8);
            x9 += x14; x4 = Integer.rotateLeft(x4 ^ x9, 7);
        }
        INT_LE.set(out, at, x0 + j0);
        INT_LE.set(out, at + 4, x1 + j1);
        INT_LE.set(out, at + 8, x2 + j2);
        INT_LE.set(out, at + 12, x3 + j3);
        INT_LE.set(out, at + 16, x4 + j4);
        INT_LE.set(out, at + 20, x5 + j5);
        INT_LE.set(out, at + 24, x6 + j6);
        INT_LE.set(out, at + 28, x7 + j7);
        INT_LE.set(out, at + 32, x8 + j8);
        INT_LE.set(out, at + 36, x9 + j9);
        INT_LE.set(out, at + 40, x10 + j10);
        INT_LE.set(out, at + 44, x11 + j11);
        INT_LE.set(out, at + 48, x12 + counter);
        INT_LE.set(out, at + 52, x13 + j13);
        INT_LE.set(out, at + 56, x14 + j14);
        INT_LE.set(out, at + 60, x15 + j15);
    }
}
