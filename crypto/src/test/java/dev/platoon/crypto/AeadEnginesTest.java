package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every engine against the JDK's Cipher, the chooser's trial, and what happens when an engine faults. */
class AeadEnginesTest {
    @Test
    void everyEngineThisJvmMustHaveVerifiesAndTheAbsentOnesSayWhy() {
        for (AeadEngines.Kind k : AeadEngines.Kind.values()) {
            String why = AeadEngines.unavailable(k);
            if (EngineSuite.engines().contains(k)) {
                assertNull(why, k.label());
            } else {
                assertNotNull(why, k.label() + " was declared absent but verified");
                if (k == AeadEngines.Kind.JDK_STUBS) {
                    assertTrue(why.contains("--add-opens"), why);
                }
            }
        }
    }

    /**
     * Random keys, lengths, offsets and counters, in arrays and direct buffers; enough iterations that
     * the JIT compiles each engine, so the compiled code and the JDK's stubs are checked too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void agreesWithTheJdkCipherOnRandomInput(AeadEngines.Kind kind) throws Exception {
        Random rnd = new Random(8439 + kind.ordinal());
        AeadEngine engine = AeadEngines.create(kind);
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        byte[] keyBytes = new byte[32];
        ByteBuffer direct = ByteBuffer.allocateDirect(66_100);
        ChaChaKey key = null;
        for (int i = 0; i < 15_000; i++) {
            if (i % 500 == 0) {
                rnd.nextBytes(keyBytes);
                key = new ChaChaKey(keyBytes);
            }
            int len = i < 1500 ? i : rnd.nextInt(i % 50 == 0 ? 66_000 : 2100);
            int off = rnd.nextInt(40);
            long counter = rnd.nextLong();
            byte[] plain = new byte[len];
            rnd.nextBytes(plain);
            byte[] nonce = new byte[12];
            Protocol.writeLongLE(nonce, 4, counter);
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "ChaCha20"), new IvParameterSpec(nonce));
            byte[] expected = jdk.doFinal(plain);
            byte[] got = new byte[len + 16];
            if ((i & 1) == 0) {
                byte[] buf = new byte[off + len + 16 + rnd.nextInt(3)];
                System.arraycopy(plain, 0, buf, off, len);
                assertEquals(len + 16, engine.seal(key, counter, buf, off, len));
                System.arraycopy(buf, off, got, 0, len + 16);
                assertArrayEquals(expected, got, "seal in an array, length " + len);
                assertEquals(len, engine.open(key, counter, buf, off, len + 16), "open, length " + len);
                assertArrayEquals(plain, Arrays.copyOfRange(buf, off, off + len), "open, length " + len);
            } else {
                direct.put(off, plain);
                assertEquals(len + 16, engine.seal(key, counter, direct, off, len));
                direct.get(off, got);
                assertArrayEquals(expected, got, "seal in a direct buffer, length " + len);
                assertEquals(len, engine.open(key, counter, direct, off, len + 16), "open direct, length " + len);
                byte[] back = new byte[len];
                direct.get(off, back);
                assertArrayEquals(plain, back, "open direct, length " + len);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void aFlippedBitOrAWrongCounterDoesNotOpen(AeadEngines.Kind kind) {
        Random rnd = new Random(1);
        AeadEngine engine = AeadEngines.create(kind);
        byte[] keyBytes = new byte[32];
        rnd.nextBytes(keyBytes);
        ChaChaKey key = new ChaChaKey(keyBytes);
        ByteBuffer direct = ByteBuffer.allocateDirect(1500);
        for (int len : new int[] {0, 1, 16, 100, 1420}) {
            byte[] buf = new byte[len + 16];
            rnd.nextBytes(buf);
            engine.seal(key, len, buf, 0, len);
            for (int bit = 0; bit < buf.length * 8; bit += 1 + rnd.nextInt(13)) {
                byte[] bad = buf.clone();
                bad[bit / 8] ^= (byte) (1 << (bit % 8));
                assertEquals(TransportCipher.FAILED, engine.open(key, len, bad, 0, len + 16), "bit " + bit);
                direct.put(0, buf).put(bit / 8, bad[bit / 8]);
                assertEquals(TransportCipher.FAILED, engine.open(key, len, direct, 0, len + 16), "direct, bit " + bit);
            }
            assertEquals(TransportCipher.FAILED, engine.open(key, len + 1, buf.clone(), 0, len + 16), "wrong counter");
            assertEquals(len, engine.open(key, len, buf, 0, len + 16));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void aDestroyedKeyFails(AeadEngines.Kind kind) {
        AeadEngine engine = AeadEngines.create(kind);
        ChaChaKey key = new ChaChaKey(new byte[32]);
        key.destroy();
        assertEquals(TransportCipher.FAILED, engine.seal(key, 1, new byte[48], 0, 32));
        assertEquals(TransportCipher.FAILED, engine.open(key, 1, new byte[48], 0, 48));
        assertEquals(TransportCipher.FAILED, engine.seal(key, 2, ByteBuffer.allocateDirect(48), 0, 32));
        assertEquals(TransportCipher.FAILED, engine.open(key, 2, ByteBuffer.allocateDirect(48), 0, 48));
    }

    /**
     * The native engine and the Java engine against each other, independently of the JDK: what one
     * seals the other opens, byte for byte the same ciphertext, at random lengths, offsets and keys.
     */
    @Test
    void theNativeAndTheJavaEngineAgreeOnRandomInput() {
        AeadEngine openssl = AeadEngines.create(AeadEngines.Kind.OPENSSL);
        AeadEngine java = AeadEngines.create(AeadEngines.Kind.JAVA);
        Random rnd = new Random(12);
        byte[] keyBytes = new byte[32];
        ChaChaKey key = null;
        ByteBuffer direct = ByteBuffer.allocateDirect(9100);
        for (int i = 0; i < 5_000; i++) {
            if (i % 100 == 0) {
                rnd.nextBytes(keyBytes);
                key = new ChaChaKey(keyBytes);
            }
            int len = rnd.nextInt(i % 10 == 0 ? 9000 : 1500);
            int off = rnd.nextInt(32);
            long counter = rnd.nextLong();
            byte[] plain = new byte[len];
            rnd.nextBytes(plain);
            byte[] a = Arrays.copyOf(plain, len + 16);
            assertEquals(len + 16, java.seal(key, counter, a, 0, len));
            direct.put(off, plain);
            assertEquals(len + 16, openssl.seal(key, counter, direct, off, len));
            byte[] b = new byte[len + 16];
            direct.get(off, b);
            assertArrayEquals(a, b, "ciphertext and tag, length " + len);
            assertEquals(len, java.open(key, counter, b, 0, len + 16));
            assertArrayEquals(plain, Arrays.copyOf(b, len));
            assertEquals(len, openssl.open(key, counter, a, 0, len + 16));
            assertArrayEquals(plain, Arrays.copyOf(a, len));
        }
    }

    @Test
    void theTrialMeasuresEveryEngineAfterCompilingItAndChoosesTheFastestVerified() {
        AeadEngines.runTrial();
        assertTrue(AeadEngines.trialDone());
        AeadEngines.Kind chosen = AeadEngines.chosen();
        assertNull(AeadEngines.unavailable(chosen));
        for (AeadEngines.Kind k : EngineSuite.engines()) {
            assertTrue(AeadEngines.summary().contains(k.label() + " "), AeadEngines.summary());
            if (k == AeadEngines.Kind.JDK_CIPHER) { // the safe engine is verified, and timed only when alone
                assertTrue(AeadEngines.summary().contains("jdk-cipher verified"), AeadEngines.summary());
                continue;
            }
            assertTrue(AeadEngines.rate(k) > 0, k.label() + " was not measured: " + AeadEngines.summary());
            // A later engine must be 10 % faster to replace an earlier one: nothing is more than that ahead.
            assertTrue(AeadEngines.rate(k) <= 1.1 * AeadEngines.rate(chosen), k.label() + " is more than 10 % "
                    + "faster than the chosen " + chosen.label() + ": " + AeadEngines.summary());
        }
        assertTrue(AeadEngines.summary().startsWith(chosen.label()), AeadEngines.summary());
        assertTrue(new TransportCipher().kind() == chosen);
    }
}
