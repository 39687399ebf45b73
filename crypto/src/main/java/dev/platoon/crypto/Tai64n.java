package dev.platoon.crypto;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;

/**
 * TAI64N timestamps as WireGuard sends them in initiations: 8 bytes big-endian seconds
 * (2^62 + 10 + Unix seconds) then 4 bytes big-endian nanoseconds. Like wireguard-go, the low 24 bits
 * of the nanoseconds are cleared, so the timestamp does not leak a precise clock reading; two
 * initiations within ~16 ms therefore carry the same timestamp and the second is a replay.
 */
public final class Tai64n {
    public static final int LENGTH = Protocol.TAI64N_LENGTH;
    static final long BASE = 0x400000000000000aL;
    static final int WHITENER_MASK = 0x1000000 - 1;

    private Tai64n() {
    }

    public static byte[] now(InstantSource clock) {
        byte[] out = new byte[LENGTH];
        write(clock.instant(), out, 0);
        return out;
    }

    public static void write(Instant t, byte[] out, int off) {
        long secs = BASE + t.getEpochSecond();
        int nanos = t.getNano() & ~WHITENER_MASK;
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (secs >>> (56 - 8 * i));
        }
        for (int i = 0; i < 4; i++) {
            out[off + 8 + i] = (byte) (nanos >>> (24 - 8 * i));
        }
    }

    /** True when {@code a} is strictly later than {@code b} (unsigned byte order). */
    public static boolean after(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, 0, LENGTH, b, 0, LENGTH) > 0;
    }
}
