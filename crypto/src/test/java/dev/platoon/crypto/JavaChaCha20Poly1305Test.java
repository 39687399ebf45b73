package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/**
 * The Java engine on both key-stream paths (the JDK's ChaCha20 stub and plain Java) against the
 * JDK's Cipher as the oracle, plus the RFC 8439 ChaCha20 vector for both block functions. Enough
 * iterations that C2 compiles the engine, so the stub (not only its Java body) and the compiled
 * Poly1305 are what is checked.
 */
class JavaChaCha20Poly1305Test {
    private static final byte[] SUNSCREEN = PrimitivesTest.SUNSCREEN;
    private static final String RFC_2_4_2_CIPHERTEXT = "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
            + "f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
            + "07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
            + "5af90bbf74a35be6b40b8eedf2785e42874d";

    @Test
    void selfTestPassesAndTheTestJvmHasTheChaCha20Stub() {
        assertNull(JavaChaCha20Poly1305.selfTest());
        assertTrue(JdkChaChaIntrinsics.CHACHA20_AVAILABLE, () -> JdkChaChaIntrinsics.CHACHA20_UNAVAILABLE_REASON);
        assertTrue(new JavaChaCha20Poly1305().usesStubKeyStream());
        assertEquals(AeadEngines.Kind.JAVA, new JavaChaCha20Poly1305().kind());
    }

    @Test
    void chaCha20Rfc8439Section2_4_2OnBothBlockFunctions() {
        int[] state = new int[16];
        ChaCha20State.putConstants(state);
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) i;
        }
        ChaCha20State.putKey(key, state, 4);
        state[12] = 1;
        state[13] = 0;
        state[14] = 0x4a000000; // nonce 00 00 00 00 | 00 00 00 4a | 00 00 00 00
        state[15] = 0;
        byte[] java = new byte[128];
        assertEquals(128, ChaCha20Blocks.blocks(state, java, 2));
        assertEquals(RFC_2_4_2_CIPHERTEXT, HexFormat.of().formatHex(xor(SUNSCREEN, java)));

        byte[] stub = new byte[JdkChaChaIntrinsics.KEY_STREAM_BYTES];
        for (int i = 0; i < 20_000; i++) { // until C2 has compiled the caller and the stub runs
            state[12] = 1;
            int n = JdkChaChaIntrinsics.chaCha20Blocks(state, stub);
            byte[] same = new byte[n];
            ChaCha20Blocks.blocks(state, same, n >>> 6);
            assertArrayEquals(same, Arrays.copyOf(stub, n));
            byte[] ks = Arrays.copyOf(stub, 128);
            if (n == 64) { // the JDK's Java body (before C2) makes one block per call
                state[12] = 2;
                JdkChaChaIntrinsics.chaCha20Blocks(state, stub);
                System.arraycopy(stub, 0, ks, 64, 64);
            }
            assertEquals(RFC_2_4_2_CIPHERTEXT, HexFormat.of().formatHex(xor(SUNSCREEN, ks)));
        }
    }

    @Test
    void stubKeyStreamAgreesWithTheJdk() throws Exception {
        againstTheJdk(new JavaChaCha20Poly1305(true), 20_000);
    }

    @Test
    void plainJavaKeyStreamAgreesWithTheJdk() throws Exception {
        againstTheJdk(new JavaChaCha20Poly1305(false), 20_000);
    }

    private static void againstTheJdk(JavaChaCha20Poly1305 engine, int iterations) throws Exception {
        Random rnd = new Random(engine.usesStubKeyStream() ? 8439 : 7539);
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        long[] edgeCounters = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xffffffffL, 0x100000000L};
        byte[] keyBytes = new byte[32];
        ChaChaKey key = null;
        for (int i = 0; i < iterations; i++) {
            if (i % 500 == 0) {
                rnd.nextBytes(keyBytes);
                key = new ChaChaKey(keyBytes);
            }
            int len = i < 2001 ? i : i % 97 == 0 ? rnd.nextInt(66_000) : rnd.nextInt(2001);
            int off = rnd.nextInt(40);
            long counter = i < edgeCounters.length ? edgeCounters[i] : rnd.nextLong();
            byte[] plain = new byte[len];
            rnd.nextBytes(plain);
            byte[] nonce = new byte[12];
            Protocol.writeLongLE(nonce, 4, counter);
            jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(keyBytes, "ChaCha20"), new IvParameterSpec(nonce));
            byte[] expected = jdk.doFinal(plain);

            byte[] buf = new byte[off + len + 16 + rnd.nextInt(3)];
            System.arraycopy(plain, 0, buf, off, len);
            assertEquals(len + 16, engine.seal(key, counter, buf, off, len));
            assertArrayEquals(expected, Arrays.copyOfRange(buf, off, off + len + 16), "seal, length " + len);
            if (i % 10 == 0) { // a changed bit anywhere, tag included, is refused and nothing is decrypted
                int at = off + rnd.nextInt(len + 16);
                buf[at] ^= (byte) (1 << rnd.nextInt(8));
                byte[] before = buf.clone();
                assertEquals(TransportCipher.FAILED, engine.open(key, counter, buf, off, len + 16), "tampered, length " + len);
                assertArrayEquals(before, buf);
                System.arraycopy(expected, 0, buf, off, len + 16);
            }
            assertEquals(len, engine.open(key, counter, buf, off, len + 16), "open, length " + len);
            assertArrayEquals(plain, Arrays.copyOfRange(buf, off, off + len), "open, length " + len);
        }
    }

    @Test
    void bothPathsAgreeAndTheWrongCounterOrKeyFails() {
        JavaChaCha20Poly1305 stub = new JavaChaCha20Poly1305(true);
        JavaChaCha20Poly1305 java = new JavaChaCha20Poly1305(false);
        ChaChaKey key = new ChaChaKey(new byte[32]);
        byte[] a = new byte[1400 + 16];
        byte[] b = new byte[1400 + 16];
        stub.seal(key, 42, a, 0, 1400);
        java.seal(key, 42, b, 0, 1400);
        assertArrayEquals(a, b);
        assertEquals(TransportCipher.FAILED, java.open(key, 43, a.clone(), 0, a.length));
        byte[] other = new byte[32];
        other[0] = 1;
        assertEquals(TransportCipher.FAILED, java.open(new ChaChaKey(other), 42, a.clone(), 0, a.length));
        assertEquals(TransportCipher.FAILED, java.open(key, 42, a, 0, 15)); // shorter than a tag
        assertEquals(0, java.open(key, 42, sealed(java, key, 42, 0), 0, 16));
    }

    @Test
    void destroyedKeyFailsBothWays() {
        for (boolean useStub : new boolean[] {true, false}) {
            JavaChaCha20Poly1305 engine = new JavaChaCha20Poly1305(useStub);
            ChaChaKey key = new ChaChaKey(new byte[32]);
            byte[] sealed = sealed(engine, key, 7, 100);
            key.destroy();
            assertEquals(TransportCipher.FAILED, engine.seal(key, 8, new byte[116], 0, 100));
            assertEquals(TransportCipher.FAILED, engine.open(key, 7, sealed, 0, sealed.length));
        }
    }

    @Test
    void directBuffersGoThroughTheScratchArray() {
        JavaChaCha20Poly1305 engine = new JavaChaCha20Poly1305();
        ChaChaKey key = new ChaChaKey(new byte[32]);
        byte[] expected = sealed(engine, key, 9, 3000);
        ByteBuffer direct = ByteBuffer.allocateDirect(5 + 3000 + 16);
        assertEquals(3016, engine.seal(key, 9, direct, 5, 3000));
        byte[] got = new byte[3016];
        direct.get(5, got);
        assertArrayEquals(expected, got);
        assertEquals(3000, engine.open(key, 9, direct, 5, 3016));
        direct.get(5, got, 0, 3000);
        assertArrayEquals(new byte[3000], Arrays.copyOf(got, 3000));
    }

    @Test
    void worksInAJvmWithoutAddOpens() throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                NoAddOpens.class.getName())).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals("stub=false selfTest=null sealed=true", out);
    }

    /** Run in a JVM without --add-opens: the engine falls back to plain Java and still works. */
    static final class NoAddOpens {
        public static void main(String[] args) {
            JavaChaCha20Poly1305 engine = new JavaChaCha20Poly1305();
            byte[] buf = new byte[1416];
            boolean ok = engine.seal(new ChaChaKey(new byte[32]), 1, buf, 0, 1400) == 1416;
            System.out.println("stub=" + engine.usesStubKeyStream() + " selfTest=" + JavaChaCha20Poly1305.selfTest()
                    + " sealed=" + ok);
        }
    }

    private static byte[] sealed(JavaChaCha20Poly1305 engine, ChaChaKey key, long counter, int len) {
        byte[] buf = new byte[len + 16];
        assertEquals(len + 16, engine.seal(key, counter, buf, 0, len));
        return buf;
    }

    private static byte[] xor(byte[] a, byte[] ks) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ ks[i]);
        }
        return out;
    }
}
