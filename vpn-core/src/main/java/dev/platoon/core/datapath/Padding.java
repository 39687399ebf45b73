package dev.platoon.core.datapath;

/**
 * WireGuard pads the plaintext of a data message to a multiple of 16 to hide exact lengths, but never
 * beyond the interface MTU (so a full-size packet is not pushed past it): wireguard-go's
 * calculatePaddingSize.
 */
final class Padding {
    static final int MULTIPLE = 16;

    private Padding() {
    }

    static int paddedLength(int length, int mtu) {
        if (length >= mtu) {
            return length;
        }
        int padded = (length + MULTIPLE - 1) & ~(MULTIPLE - 1);
        return Math.min(padded, mtu);
    }
}
