package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

/** Known answers from the RFCs and drafts the primitives come from. */
class PrimitivesTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static byte[] seq(int first, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one tip"
            + " for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);

    @Test
    void x25519Rfc7748Section5_2() {
        byte[] out = new byte[32];
        assertTrue(Curve25519.sharedSecret(
                hex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                hex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"), out));
        assertArrayEquals(hex("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"), out);
    }

    @Test
    void x25519Rfc7748Section6_1() {
        byte[] alicePriv = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPriv = hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePub = Keys.publicKey(alicePriv);
        byte[] bobPub = Keys.publicKey(bobPriv);
        assertArrayEquals(hex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"), alicePub);
        assertArrayEquals(hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), bobPub);
        byte[] k1 = new byte[32];
        byte[] k2 = new byte[32];
        assertTrue(Curve25519.sharedSecret(alicePriv, bobPub, k1));
        assertTrue(Curve25519.sharedSecret(bobPriv, alicePub, k2));
        assertArrayEquals(hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"), k1);
        assertArrayEquals(k1, k2);
    }

    @Test
    void x25519ZeroResultIsAnError() {
        byte[] out = new byte[32];
        // u = 0 and u = 1 are low-order points: every scalar gives the all-zero result.
        assertFalse(Curve25519.sharedSecret(Keys.generatePrivateKey(), new byte[32], out));
        byte[] one = new byte[32];
        one[0] = 1;
        assertFalse(Curve25519.sharedSecret(Keys.generatePrivateKey(), one, out));
        HandshakeException e = org.junit.jupiter.api.Assertions.assertThrows(HandshakeException.class,
                () -> Curve25519.dh(Keys.generatePrivateKey(), new byte[32], "test"));
        assertEquals(HandshakeException.Reason.ZERO_SHARED_SECRET, e.reason());
    }

    @Test
    void blake2sRfc7693AppendixB() {
        assertArrayEquals(hex("508c5e8c327c14e2e1a72ba34eeb452f37458b209ed63a294d999b4c86675982"),
                Blake2s.hash("abc".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void blake2sMacIsKeyedAndSixteenBytes() {
        byte[] data = "abc".getBytes(StandardCharsets.US_ASCII);
        byte[] m1 = Blake2s.mac(seq(0, 32), data, 0, 3);
        byte[] m2 = Blake2s.mac(seq(1, 32), data, 0, 3);
        assertEquals(16, m1.length);
        assertFalse(Arrays.equals(m1, m2));
        // Keyed BLAKE2s-128 is not a truncation of unkeyed BLAKE2s-256.
        assertFalse(Arrays.equals(m1, Arrays.copyOf(Blake2s.hash(data), 16)));
    }

    @Test
    void hmacIsRfc2104OverBlake2s() {
        // HMAC(K, m) = H((K ^ opad) || H((K ^ ipad) || m)) with a 64-byte block: check against that definition.
        byte[] key = seq(7, 32);
        byte[] msg = "message".getBytes(StandardCharsets.US_ASCII);
        byte[] ipad = new byte[64];
        byte[] opad = new byte[64];
        for (int i = 0; i < 64; i++) {
            byte k = i < key.length ? key[i] : 0;
            ipad[i] = (byte) (k ^ 0x36);
            opad[i] = (byte) (k ^ 0x5c);
        }
        byte[] expected = Blake2s.hash(opad, Blake2s.hash(ipad, msg));
        assertArrayEquals(expected, Blake2s.hmac(key, msg));
    }

    @Test
    void kdfOutputsFollowTheWhitepaper() {
        byte[] key = seq(3, 32);
        byte[] input = seq(100, 32);
        byte[] t1 = new byte[32];
        byte[] t2 = new byte[32];
        byte[] t3 = new byte[32];
        Kdf.derive(key, input, t1, t2, t3);
        byte[] t0 = Blake2s.hmac(key, input);
        byte[] e1 = Blake2s.hmac(t0, new byte[] {1});
        byte[] e2 = Blake2s.hmac(t0, e1, new byte[] {2});
        byte[] e3 = Blake2s.hmac(t0, e2, new byte[] {3});
        assertArrayEquals(e1, t1);
        assertArrayEquals(e2, t2);
        assertArrayEquals(e3, t3);
        assertArrayEquals(e1, Kdf.kdf1(key, input));
        byte[][] two = Kdf.kdf2(key, input);
        assertArrayEquals(e1, two[0]);
        assertArrayEquals(e2, two[1]);
        byte[][] three = Kdf.kdf3(key, input);
        assertArrayEquals(e3, three[2]);
        // KDF1 into the key itself (ck := KDF1(ck, x)) gives the same t1.
        byte[] ck = key.clone();
        Kdf.derive(ck, input, ck, null, null);
        assertArrayEquals(e1, ck);
    }

    @Test
    void chacha20Poly1305Rfc8439Section2_8_2() {
        byte[] key = seq(0x80, 32);
        byte[] nonce = hex("070000004041424344454647");
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] out = new byte[SUNSCREEN.length + 16];
        Aead.seal(key, nonce, SUNSCREEN, 0, SUNSCREEN.length, aad, out, 0);
        assertArrayEquals(hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116" + "1ae10b594f09e26a7e902ecbd0600691"), out);
        byte[] back = new byte[SUNSCREEN.length];
        assertTrue(Aead.open(key, nonce, out, 0, out.length, aad, back, 0));
        assertArrayEquals(SUNSCREEN, back);
        out[3] ^= 1;
        assertFalse(Aead.open(key, nonce, out, 0, out.length, aad, back, 0));
    }

    @Test
    void wireguardNonceIsFourZerosAndLittleEndianCounter() {
        assertArrayEquals(hex("00000000 0807060504030201"), Aead.nonce(0x0102030405060708L));
    }

    @Test
    void hchacha20DraftXchachaSection2_2_1() {
        assertArrayEquals(hex("82413b4227b27bfed30e42508a877d73a0f9e4d58a74a853c12ec41326d3ecdc"),
                XChaCha20Poly1305.hChaCha20(seq(0, 32), hex("000000090000004a0000000031415927")));
    }

    @Test
    void xchacha20Poly1305DraftXchachaAppendixA_3_1() {
        byte[] key = seq(0x80, 32);
        byte[] nonce = seq(0x40, 24);
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        byte[] out = new byte[SUNSCREEN.length + 16];
        XChaCha20Poly1305.seal(key, nonce, SUNSCREEN, 0, SUNSCREEN.length, aad, out, 0);
        assertArrayEquals(hex("bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
                + "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
                + "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
                + "21f9664c97637da9768812f615c68b13b52e" + "c0875924c1c7987947deafd8780acf49"), out);
        byte[] back = new byte[SUNSCREEN.length];
        assertTrue(XChaCha20Poly1305.open(key, nonce, out, 0, out.length, aad, back, 0));
        assertArrayEquals(SUNSCREEN, back);
        aad[0] ^= 1;
        assertFalse(XChaCha20Poly1305.open(key, nonce, out, 0, out.length, aad, back, 0));
    }

    @Test
    void wireguardInitialChainingKeyAndHash() {
        assertArrayEquals(hex("60e26daef327efc02ec335e2a025d2d016eb4206f87277f52d38d1988b78cd36"),
                Handshake.INITIAL_CHAINING_KEY);
        assertArrayEquals(hex("2211b361081ac566691243db458ad5322d9c6c662293e8b70ee19c65ba079ef3"),
                Handshake.INITIAL_HASH);
    }

    @Test
    void staticIdentityDerivesMacKeysAndHidesThePrivateKey() {
        byte[] priv = Keys.generatePrivateKey();
        try (StaticIdentity id = new StaticIdentity(priv)) {
            assertArrayEquals(Keys.publicKey(priv), id.publicKey());
            assertArrayEquals(Blake2s.hash("mac1----".getBytes(StandardCharsets.US_ASCII), id.publicKey()), id.mac1Key());
            assertArrayEquals(Blake2s.hash("cookie--".getBytes(StandardCharsets.US_ASCII), id.publicKey()), id.cookieKey());
            assertFalse(id.toString().contains(Keys.toBase64(priv)));
            assertTrue(id.toString().contains(Keys.toBase64(id.publicKey())));
            id.close();
            assertTrue(id.isClosed());
            assertNotEquals(Keys.toBase64(priv), Keys.toBase64(new byte[32]));
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, id::privateKeyRef);
        }
    }
}
