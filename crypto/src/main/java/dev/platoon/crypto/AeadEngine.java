package dev.platoon.crypto;

import java.nio.ByteBuffer;

/**
 * One implementation of WireGuard's transport AEAD: RFC 8439 ChaCha20-Poly1305 with the nonce 4 zero
 * bytes || 64-bit little-endian counter and no associated data, in place. One instance per thread
 * (engines keep scratch state); {@link TransportCipher} owns one and {@link AeadEngines} decides which.
 *
 * <p>Every engine works on arrays; an engine that can work on native memory directly (the OpenSSL one)
 * overrides the direct-buffer forms, the others copy through a scratch array. Contract of all four
 * methods: offsets are absolute, the caller has checked the bounds (tag included), the key may be
 * destroyed under us ({@link ChaChaKey#loadWords}) and then the result is {@link TransportCipher#FAILED}.
 * An engine may throw on an internal fault; {@link TransportCipher} treats that as a fault of the
 * engine, drops the packet and switches to the safe engine.
 */
abstract class AeadEngine {
    private byte[] scratch = new byte[2048];

    /** Which engine this is. */
    abstract AeadEngines.Kind kind();

    /** Encrypts {@code buf[off..off+len)} and writes the tag at {@code off+len}; {@code len+16} or FAILED. */
    abstract int seal(ChaChaKey key, long counter, byte[] buf, int off, int len);

    /**
     * Checks the tag of {@code len} bytes of ciphertext-and-tag ({@code len >= 16}) and decrypts them in
     * place; the plaintext length or FAILED (the buffer's content is then unspecified).
     */
    abstract int open(ChaChaKey key, long counter, byte[] buf, int off, int len);

    /** {@link #seal(ChaChaKey, long, byte[], int, int)} on a direct buffer (index {@code off}). */
    int seal(ChaChaKey key, long counter, ByteBuffer direct, int off, int len) {
        byte[] s = scratch(len + Protocol.TAG_LENGTH);
        direct.get(off, s, 0, len);
        int n = seal(key, counter, s, 0, len);
        if (n > 0) {
            direct.put(off, s, 0, n);
        }
        return n;
    }

    /** {@link #open(ChaChaKey, long, byte[], int, int)} on a direct buffer (index {@code off}). */
    int open(ChaChaKey key, long counter, ByteBuffer direct, int off, int len) {
        byte[] s = scratch(len);
        direct.get(off, s, 0, len);
        int n = open(key, counter, s, 0, len);
        if (n >= 0) {
            direct.put(off, s, 0, n);
        }
        return n;
    }

    private byte[] scratch(int n) {
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, Math.min(2 * scratch.length, 65536 + 64))];
        }
        return scratch;
    }
}
