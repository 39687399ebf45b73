package dev.platoon.crypto;

import java.security.SecureRandom;
import java.util.Base64;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * WireGuard keys as {@code wg} handles them: 32 bytes, written as standard base64 (44 characters).
 * Private keys are clamped the way {@code wg genkey} clamps them, so a key made here and one made by
 * {@code wg} are interchangeable byte for byte.
 */
public final class Keys {
    /** Length in bytes of every WireGuard key: private, public and preshared. */
    public static final int KEY_LENGTH = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private Keys() {
    }

    /** A fresh, clamped Curve25519 private key. */
    public static byte[] generatePrivateKey() {
        byte[] key = generatePresharedKey();
        clamp(key);
        return key;
    }

    /** 32 random bytes, as {@code wg genpsk} makes them (no clamping). */
    public static byte[] generatePresharedKey() {
        byte[] key = new byte[KEY_LENGTH];
        RANDOM.nextBytes(key);
        return key;
    }

    /** The public key of a private key. The private key is used as given (X25519 clamps internally). */
    public static byte[] publicKey(byte[] privateKey) {
        requireLength(privateKey);
        byte[] pub = new byte[KEY_LENGTH];
        X25519.scalarMultBase(privateKey, 0, pub, 0);
        return pub;
    }

    /** Curve25519 clamping, in place: what {@code wg genkey} does to 32 random bytes. */
    public static void clamp(byte[] key) {
        key[0] &= (byte) 248;
        key[31] &= 127;
        key[31] |= 64;
    }

    /**
     * Decodes a base64 key. Throws {@link IllegalArgumentException} with a one-line reason (not base64,
     * wrong length) that names no key material.
     */
    public static byte[] fromBase64(String text) {
        String trimmed = text.strip();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(trimmed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 key");
        }
        if (key.length != KEY_LENGTH || trimmed.length() != 44) {
            throw new IllegalArgumentException(
                    "key has " + key.length + " bytes, a WireGuard key has " + KEY_LENGTH);
        }
        return key;
    }

    public static String toBase64(byte[] key) {
        requireLength(key);
        return Base64.getEncoder().encodeToString(key);
    }

    private static void requireLength(byte[] key) {
        if (key == null || key.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a WireGuard key has " + KEY_LENGTH + " bytes");
        }
    }
}
