package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine that throws or gives wrong answers on the data path: the packet is lost (never sent as
 * plaintext or half-sealed), the fault is counted, and the safe engine takes over in that cipher.
 */
class EngineFaultTest {
    final byte[] k1 = PrimitivesTest.seq(1, 32);
    final byte[] k2 = PrimitivesTest.seq(50, 32);
    final TransportKeypair a = new TransportKeypair(k1, k2, 1, 2, true);
    final TransportKeypair b = new TransportKeypair(k2, k1, 2, 1, false);

    /** An engine claiming to be jdk-stubs that throws on every call. */
    static final class Throwing extends AeadEngine {
        @Override
        AeadEngines.Kind kind() {
            return AeadEngines.Kind.JDK_STUBS;
        }

        @Override
        int seal(ChaChaKey key, long counter, byte[] buf, int off, int len) {
            throw new IllegalStateException("simulated engine fault");
        }

        @Override
        int open(ChaChaKey key, long counter, byte[] buf, int off, int len) {
            throw new IllegalStateException("simulated engine fault");
        }
    }

    /** The java engine, but every tag it writes has one bit flipped: only the known answers can tell. */
    static final class WrongTags extends AeadEngine {
        private final JavaChaCha20Poly1305 real = new JavaChaCha20Poly1305();

        @Override
        AeadEngines.Kind kind() {
            return AeadEngines.Kind.JAVA;
        }

        @Override
        int seal(ChaChaKey key, long counter, byte[] buf, int off, int len) {
            int n = real.seal(key, counter, buf, off, len);
            buf[off + len] ^= 1;
            return n;
        }

        @Override
        int open(ChaChaKey key, long counter, byte[] buf, int off, int len) {
            return real.open(key, counter, buf, off, len);
        }
    }

    @AfterEach
    void forget() {
        AeadEngines.forgetFault(AeadEngines.Kind.JDK_STUBS);
        AeadEngines.forgetFault(AeadEngines.Kind.JAVA);
    }

    @Test
    void anEngineThatThrowsLosesThatPacketOnlyAndTheSafeEngineTakesOver() {
        TransportCipher c = new TransportCipher(new Throwing());
        long faults = AeadEngines.faults();
        ByteBuffer direct = ByteBuffer.allocateDirect(64);
        assertEquals(TransportCipher.FAILED, c.seal(a, 1, direct, 0, 32));
        assertEquals(faults + 1, AeadEngines.faults());
        assertEquals(AeadEngines.Kind.JDK_CIPHER, c.kind());
        assertTrue(AeadEngines.unavailable(AeadEngines.Kind.JDK_STUBS).contains("faulted"));

        byte[] plain = PrimitivesTest.seq(9, 32);
        byte[] expected = new byte[48];
        Aead.seal(k1, 2, plain, 0, 32, null, expected, 0);
        byte[] buf = Arrays.copyOf(plain, 48);
        assertEquals(48, c.seal(a, 2, buf, 0, 32));
        assertArrayEquals(expected, buf);
        TransportCipher opener = new TransportCipher(new Throwing());
        assertEquals(TransportCipher.FAILED, opener.open(b, 2, buf.clone(), 0, 48), "the faulting open loses its packet");
        assertEquals(32, opener.open(b, 2, buf, 0, 48), "the next one opens on the safe engine");
        assertArrayEquals(plain, Arrays.copyOf(buf, 32));
    }

    @Test
    void aWrongAnswerIsCaughtByTheKnownAnswersWithin65536Packets() {
        TransportCipher c = new TransportCipher(new WrongTags());
        long faults = AeadEngines.faults();
        byte[] buf = new byte[64 + 16];
        int sealed = 0;
        for (long counter = 0; counter < 70_000 && c.kind() == AeadEngines.Kind.JAVA; counter++) {
            c.seal(a, counter, buf, 0, 64);
            sealed++;
        }
        assertEquals(AeadEngines.Kind.JDK_CIPHER, c.kind(), "the wrong engine was never caught");
        assertTrue(sealed <= 65_536, "caught after " + sealed);
        assertEquals(faults + 1, AeadEngines.faults());
    }
}
