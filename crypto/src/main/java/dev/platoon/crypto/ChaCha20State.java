package dev.platoon.crypto;

/**
 * The ChaCha20 state layout (RFC 8439 §2.3), shared by HChaCha20 ({@link XChaCha20Poly1305}) and the
 * in-place transport cipher ({@link ChaCha20Poly1305InPlace}): words 0-3 the constant, 4-11 the key,
 * 12-15 counter and nonce (which each caller fills its own way).
 */
final class ChaCha20State {
    private ChaCha20State() {
    }

    /** Words 0-3: "expand 32-byte k". */
    static void putConstants(int[] state) {
        state[0] = 0x61707865;
        state[1] = 0x3320646e;
        state[2] = 0x79622d32;
        state[3] = 0x6b206574;
    }

    /** The 32-byte key as eight little-endian words at {@code words[at..at+8)}. */
    static void putKey(byte[] key, int[] words, int at) {
        for (int i = 0; i < 8; i++) {
            words[at + i] = Protocol.readIntLE(key, 4 * i);
        }
    }
}
