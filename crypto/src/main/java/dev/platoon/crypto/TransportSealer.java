package dev.platoon.crypto;

import java.nio.ByteBuffer;

/**
 * Makes one whole transport data message in place: the 16-byte header (type 4, the receiver's
 * index, the next counter of the keypair), the plaintext padded with zeroes as
 * {@link Protocol#paddedLength} says, and the AEAD over it. Every sender of data — the data path's
 * trains and the handshake worker's staged packets and keepalives — seals through this, so there is
 * one padding rule and one header layout. One instance per thread (it holds a {@link TransportCipher}).
 */
public final class TransportSealer {
    /** From {@link #seal}: the keypair's counters are spent; nothing was written. */
    public static final int SPENT = -1;
    /** From {@link #seal}: the cipher refused (the keypair was closed under it, or its engine faulted). */
    public static final int FAILED = -2;

    private final TransportCipher cipher;
    private final TransportHeader header = new TransportHeader();

    public TransportSealer() {
        this(new TransportCipher());
    }

    public TransportSealer(TransportCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * Seals the {@code plainLength} bytes at {@code offset + 16} of {@code buf} into a message starting
     * at {@code offset}. The buffer needs room for the padding and the tag after the plaintext:
     * {@code 16 + paddedLength(plainLength, mtu) + 16} bytes from {@code offset}. Absolute indices only;
     * the buffer's position, limit and byte order are not used.
     *
     * @return the message length, {@link #SPENT} or {@link #FAILED}
     */
    public int seal(TransportKeypair kp, ByteBuffer buf, int offset, int plainLength, int mtu) {
        int padded = Protocol.paddedLength(plainLength, mtu);
        long counter = kp.nextSendCounter();
        if (counter < 0) {
            return SPENT;
        }
        int data = header.wrap(buf, offset).packetOffset();
        for (int z = data + plainLength; z < data + padded; z++) {
            buf.put(z, (byte) 0);
        }
        header.write(kp.remoteIndex(), counter);
        int sealed = cipher.seal(kp, counter, buf, data, padded);
        return sealed < 0 ? FAILED : data - offset + sealed;
    }
}
