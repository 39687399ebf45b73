package dev.platoon.crypto;

import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * X25519 for the handshake: OpenSSL's libcrypto when it is there and gives RFC 7748's answers
 * ({@link OpenSslX25519}, several times faster), else Bouncy Castle's RFC 7748 code (measured ~2x
 * faster than SunEC here). {@code -Dplatoon.x25519=bc} keeps Bouncy Castle.
 */
public final class Curve25519 {
    private static final boolean NATIVE;
    private static final String IMPLEMENTATION;

    static {
        String why = "bc".equals(System.getProperty("platoon.x25519")) ? "-Dplatoon.x25519=bc"
                : OpenSslX25519.REASON != null ? OpenSslX25519.REASON : knownAnswerFailure();
        NATIVE = why == null;
        IMPLEMENTATION = NATIVE ? "libcrypto" : "Bouncy Castle (" + why + ")";
    }

    private Curve25519() {
    }

    /** "libcrypto", or "Bouncy Castle (why not libcrypto)": for the start-up log. */
    public static String implementation() {
        return IMPLEMENTATION;
    }

    /**
     * DH(private, public) into {@code out}. Returns false, and leaves {@code out} all zero, when the
     * result is the all-zero point (a low-order public key): WireGuard must reject that.
     */
    public static boolean sharedSecret(byte[] privateKey, byte[] publicKey, byte[] out) {
        if (NATIVE && OpenSslX25519.sharedSecret(privateKey, publicKey, out)) {
            return true;
        }
        // libcrypto refuses an all-zero result; Bouncy Castle says so the same way (and is the engine
        // when libcrypto is not used).
        return X25519.calculateAgreement(privateKey, 0, publicKey, 0, out, 0);
    }

    /** The public key of a private key (X25519 with the base point; the key is clamped as X25519 does). */
    static void publicKey(byte[] privateKey, byte[] out) {
        if (!NATIVE || !OpenSslX25519.publicKey(privateKey, out)) {
            X25519.scalarMultBase(privateKey, 0, out, 0);
        }
    }

    /** Like {@link #sharedSecret} but throws the handshake rejection for an all-zero result. */
    static byte[] dh(byte[] privateKey, byte[] publicKey, String where) throws HandshakeException {
        byte[] out = new byte[32];
        if (!sharedSecret(privateKey, publicKey, out)) {
            throw new HandshakeException(HandshakeException.Reason.ZERO_SHARED_SECRET,
                    where + ": Curve25519 shared secret is zero (low-order public key)");
        }
        return out;
    }

    /** RFC 7748 section 6.1 through libcrypto, and a low-order point refused: null when all hold. */
    private static String knownAnswerFailure() {
        HexFormat hex = HexFormat.of();
        byte[] alice = hex.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] alicePublic = hex.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPublic = hex.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        byte[] shared = hex.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        byte[] out = new byte[32];
        try {
            if (!OpenSslX25519.publicKey(alice, out) || !Arrays.equals(out, alicePublic)) {
                return "libcrypto's X25519 public key is not RFC 7748's";
            }
            if (!OpenSslX25519.sharedSecret(alice, bobPublic, out) || !Arrays.equals(out, shared)) {
                return "libcrypto's X25519 shared secret is not RFC 7748's";
            }
            if (OpenSslX25519.sharedSecret(alice, new byte[32], out)) {
                return "libcrypto's X25519 accepted a low-order public key";
            }
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }
}
