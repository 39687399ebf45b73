package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.Random;

import org.bouncycastle.math.ec.rfc7748.X25519;
import org.junit.jupiter.api.Test;

/** X25519 through libcrypto agrees with Bouncy Castle's, and both refuse low-order points. */
class Curve25519Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void libcryptoIsTheEngineWhereItIsInstalled() {
        // CI and the packages have libcrypto; its absence would silently cost every handshake.
        assertNull(OpenSslX25519.REASON);
        assertEquals("libcrypto", Curve25519.implementation());
    }

    @Test
    void rfc7748VectorsBothWays() {
        byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePublic = HEX.parseHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        byte[] bobPublic = HEX.parseHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertArrayEquals(bobPublic, Keys.publicKey(bob));
        byte[] out = new byte[32];
        assertTrue(Curve25519.sharedSecret(bob, alicePublic, out));
        assertArrayEquals(HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"), out);
    }

    @Test
    void agreesWithBouncyCastleOnRandomKeys() {
        Random random = new Random(7748);
        byte[] a = new byte[32], b = new byte[32], ours = new byte[32], theirs = new byte[32];
        for (int i = 0; i < 200; i++) {
            random.nextBytes(a);
            random.nextBytes(b); // any 32 bytes as a public key, as a peer may send
            assertEquals(X25519.calculateAgreement(a, 0, b, 0, theirs, 0), Curve25519.sharedSecret(a, b, ours));
            assertArrayEquals(theirs, ours, "key pair " + i);
            byte[] pub = new byte[32];
            X25519.scalarMultBase(a, 0, pub, 0);
            assertArrayEquals(pub, Keys.publicKey(a), "public key " + i);
        }
    }

    @Test
    void lowOrderPointsGiveZeroAndAreRefused() {
        byte[] priv = Keys.generatePrivateKey();
        byte[][] lowOrder = {
            new byte[32],
            HEX.parseHex("0100000000000000000000000000000000000000000000000000000000000000"),
            HEX.parseHex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
        };
        for (byte[] p : lowOrder) {
            byte[] out = new byte[32];
            assertFalse(Curve25519.sharedSecret(priv, p, out), HEX.formatHex(p));
            assertArrayEquals(new byte[32], out);
        }
    }
}
