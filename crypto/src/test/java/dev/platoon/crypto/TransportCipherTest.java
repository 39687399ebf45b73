package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class TransportCipherTest {
    final Random rnd = new Random(11);
    final byte[] k1 = PrimitivesTest.seq(1, 32);
    final byte[] k2 = PrimitivesTest.seq(50, 32);
    final TransportKeypair a = new TransportKeypair(k1, k2, 1, 2, true);
    final TransportKeypair b = new TransportKeypair(k2, k1, 2, 1, false);

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void sealMatchesTheAeadWithTheWireGuardNonce(AeadEngines.Kind engine) {
        byte[] plain = new byte[1400];
        rnd.nextBytes(plain);
        long counter = 0x0123456789abcdefL;
        byte[] expected = new byte[plain.length + 16];
        Aead.seal(k1, counter, plain, 0, plain.length, null, expected, 0);
        for (int kind = 0; kind < 3; kind++) {
            TransportCipher c = new TransportCipher(engine);
            byte[] got = new byte[plain.length + 16];
            int off = 16;
            if (kind == 0) {
                byte[] arr = new byte[off + plain.length + 16];
                System.arraycopy(plain, 0, arr, off, plain.length);
                assertEquals(1416, c.seal(a, counter, arr, off, plain.length));
                System.arraycopy(arr, off, got, 0, got.length);
            } else {
                ByteBuffer buf = kind == 1 ? ByteBuffer.allocate(off + 1416) : ByteBuffer.allocateDirect(off + 1416);
                buf.put(off, plain);
                buf.position(3); // offsets are absolute: position is neither used nor changed
                assertEquals(1416, c.seal(a, counter, buf, off, plain.length));
                assertEquals(3, buf.position());
                assertEquals(off + 1416, buf.limit());
                buf.get(off, got);
            }
            assertArrayEquals(expected, got, "kind " + kind);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void roundTripsAtEverySizeInHeapDirectAndSlicedBuffers(AeadEngines.Kind engine) {
        TransportCipher cs = new TransportCipher(engine);
        TransportCipher cr = new TransportCipher(engine);
        long counter = 0;
        for (int len : new int[] {0, 16, 64, 1392, 1400, 9000, 65535}) {
            for (int kind = 0; kind < 3; kind++) {
                byte[] plain = new byte[len];
                rnd.nextBytes(plain);
                ByteBuffer buf = switch (kind) {
                    case 0 -> ByteBuffer.allocate(len + 64);
                    case 1 -> ByteBuffer.allocateDirect(len + 64);
                    default -> ByteBuffer.allocate(len + 100).slice(20, len + 64); // arrayOffset != 0
                };
                buf.put(16, plain);
                assertEquals(len + 16, cs.seal(a, counter, buf, 16, len));
                assertEquals(len, cr.open(b, counter, buf, 16, len + 16));
                byte[] got = new byte[len];
                buf.get(16, got);
                assertArrayEquals(plain, got, len + "/" + kind);
                counter++;
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void sameKeyAndCounterTwiceOnOneCipherIsAnError(AeadEngines.Kind engine) {
        TransportCipher c = new TransportCipher(engine);
        c.seal(a, 5, new byte[32], 0, 16);
        assertThrows(IllegalStateException.class, () -> c.seal(a, 5, new byte[32], 0, 16));
        // Another counter, or another cipher instance, is fine; opening twice is fine.
        assertEquals(32, c.seal(a, 6, new byte[32], 0, 16));
        byte[] x = new byte[32];
        assertEquals(32, new TransportCipher(engine).seal(a, 7, x, 0, 16));
        TransportCipher r = new TransportCipher(engine);
        assertEquals(16, r.open(b, 7, x.clone(), 0, 32));
        assertEquals(16, r.open(b, 7, x.clone(), 0, 32));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void closedKeypairFailsCleanly(AeadEngines.Kind engine) {
        TransportCipher c = new TransportCipher(engine);
        byte[] x = new byte[48];
        assertEquals(48, c.seal(a, 0, x, 0, 32));
        a.close();
        b.close();
        assertTrue(a.isClosed());
        assertEquals(TransportCipher.FAILED, c.seal(a, 1, new byte[48], 0, 32));
        assertEquals(TransportCipher.FAILED, c.open(b, 0, x, 0, 48));
        assertArrayEquals(new byte[32], a.sendKey().raw(), "key wiped");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.platoon.crypto.EngineSuite#engines")
    void noRoomForTheTagIsAProgrammingError(AeadEngines.Kind engine) {
        TransportCipher c = new TransportCipher(engine);
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(a, 0, new byte[40], 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(a, 0, ByteBuffer.allocateDirect(40), 0, 32));
        assertThrows(IndexOutOfBoundsException.class, () -> c.seal(a, 0, ByteBuffer.allocate(64).limit(40), 0, 32));
    }

    @Test
    void sendCounterStopsAtRejectAfterMessages() {
        TransportKeypair kp = new TransportKeypair(k1, k2, 1, 2, true);
        assertEquals(0, kp.nextSendCounter());
        assertEquals(1, kp.nextSendCounter());
        assertEquals(2, kp.sentMessages());
        assertTrue(Long.compareUnsigned(Protocol.REKEY_AFTER_MESSAGES, Protocol.REJECT_AFTER_MESSAGES) < 0);
        assertEquals("ffffffffffffdfff", Long.toHexString(Protocol.REJECT_AFTER_MESSAGES));
    }

    @Test
    void keypairToStringShowsNoKeys() {
        assertTrue(a.toString().contains("initiator"));
        assertTrue(!a.toString().contains(Keys.toBase64(k1)));
    }
}
