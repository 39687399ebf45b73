package dev.platoon.config;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * A 32-byte WireGuard key (private, public or preshared) as read from a configuration file.
 *
 * <p>Immutable: the bytes are copied in and out. {@link #toString()} never shows the key, because a
 * record holding a private key must be safe to log; call {@link #toBase64()} to print a public key.
 */
public final class WgKey {
    /** Key length in bytes (Curve25519 keys and preshared keys alike). */
    public static final int LENGTH = 32;
    /** Length of the base64 text of a key: 44 characters, the last one '='. */
    public static final int BASE64_LENGTH = 44;

    private final byte[] bytes;

    private WgKey(byte[] bytes) {
        this.bytes = bytes;
    }

    /** A key from its 32 bytes (copied). */
    public static WgKey of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("key is " + bytes.length + " bytes, expected " + LENGTH);
        }
        return new WgKey(bytes.clone());
    }

    /**
     * Decodes the base64 text of a key. The exception message never contains the text itself, since
     * it may be a private key.
     */
    public static WgKey fromBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not valid base64 (a key is " + BASE64_LENGTH + " base64 characters)");
        }
        try {
            if (decoded.length != LENGTH) {
                throw new IllegalArgumentException("key is " + decoded.length + " bytes, expected " + LENGTH
                        + " (" + BASE64_LENGTH + " base64 characters)");
            }
            // Like wg(8): the unused low bits of the last character must be zero, so that every key
            // has exactly one text (Java's decoder would accept and drop them).
            if (!Base64.getEncoder().encodeToString(decoded).equals(text)) {
                throw new IllegalArgumentException("not a canonical base64 key");
            }
            return new WgKey(decoded.clone());
        } finally {
            Arrays.fill(decoded, (byte) 0);
        }
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The 44-character base64 text, as in configuration files. */
    public String toBase64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** True when all 32 bytes are zero (wg(8) treats an all-zero preshared key as none). */
    public boolean isZero() {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    @Override
    public boolean equals(Object o) {
        // Constant time: keys are secrets, and equals may be called on attacker-influenced input.
        return o instanceof WgKey other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Never the key: "(hidden)". */
    @Override
    public String toString() {
        return "(hidden)";
    }
}
