package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one padding rule of every sealed data message: wireguard-go's calculatePaddingSize. */
class PaddingTest {

    /** wireguard-go's device/send.go calculatePaddingSize, transcribed: the padding, not the length. */
    private static int wireguardGoPadding(int packetSize, int mtu) {
        int lastUnit = packetSize;
        if (mtu == 0) {
            return ((lastUnit + 15) & ~15) - lastUnit;
        }
        if (lastUnit > mtu) {
            lastUnit %= mtu;
        }
        int paddedSize = (lastUnit + 15) & ~15;
        if (paddedSize > mtu) {
            paddedSize = mtu;
        }
        return paddedSize - lastUnit;
    }

    @Test
    void theFiguresEveryImplementationSends() {
        assertEquals(0, Protocol.paddedLength(0, 1420), "a keepalive stays empty");
        assertEquals(16, Protocol.paddedLength(1, 1420));
        assertEquals(1420, Protocol.paddedLength(1419, 1420), "never past the MTU");
        assertEquals(1420, Protocol.paddedLength(1420, 1420));
        assertEquals(1516, Protocol.paddedLength(1510, 1420), "past the MTU: the remainder's padding");
        assertEquals(1440, Protocol.paddedLength(1425, 0), "no MTU: round up");
    }

    @Test
    void equalToWireguardGoForEveryLengthAndSomeMtus() {
        for (int mtu : new int[] {0, 576, 1280, 1412, 1420, 1440, 1500, 9000}) {
            for (int len = 0; len <= 3 * Math.max(mtu, 1500); len++) {
                int padded = Protocol.paddedLength(len, mtu);
                assertEquals(len + wireguardGoPadding(len, mtu), padded, "length " + len + ", MTU " + mtu);
                assertTrue(padded - len < Protocol.PADDING_MULTIPLE, "at most 15 bytes of padding");
            }
        }
    }

    @Test
    void longerPacketsNeverPadShorterThanShorterOnesOfATrain() {
        // A train's stride is the padded length of its longest segment: no shorter segment may need more.
        for (int mtu : new int[] {1280, 1420, 1500}) {
            int previous = 0;
            for (int len = 0; len <= 2 * mtu; len++) {
                int padded = Protocol.paddedLength(len, mtu);
                assertTrue(padded >= previous, "length " + len + " pads to " + padded + " < " + previous);
                previous = padded;
            }
        }
    }
}
