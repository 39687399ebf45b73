package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.InstantSource;

import org.junit.jupiter.api.Test;

class Tai64nTest {
    @Test
    void layoutIsBigEndianSecondsFromTaiBaseThenWhitenedNanos() {
        byte[] t = Tai64n.now(InstantSource.fixed(Instant.ofEpochSecond(1, 0x12345678)));
        // 2^62 + 10 + 1 seconds; nanos 0x12345678 with the low 24 bits cleared = 0x12000000.
        assertArrayEquals(PrimitivesTest.hex("400000000000000b 12000000"), t);
    }

    @Test
    void laterIsGreaterAndWithinSixteenMillisecondsIsEqual() {
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        byte[] a = Tai64n.now(InstantSource.fixed(base));
        byte[] b = Tai64n.now(InstantSource.fixed(base.plusMillis(5)));
        byte[] c = Tai64n.now(InstantSource.fixed(base.plusMillis(20)));
        byte[] d = Tai64n.now(InstantSource.fixed(base.plusSeconds(1)));
        assertFalse(Tai64n.after(b, a), "whitened: same 16 ms slot");
        assertTrue(Tai64n.after(c, a));
        assertTrue(Tai64n.after(d, c));
        assertFalse(Tai64n.after(a, d));
        assertFalse(Tai64n.after(a, a));
    }
}
