package dev.platoon.crypto;

import java.util.Arrays;

/**
 * What {@link Handshake#consumeInitiation} learned from an authenticated initiation before the peer
 * is known: who sent it (static public key), when (TAI64N), under which index, and the Noise state
 * to continue from. The device looks the peer up by {@link #remoteStaticPublic()} and hands this to
 * that peer's {@link Handshake#acceptInitiation}, which wipes it. Not thread-safe.
 */
public final class InitiationResult {
    final StaticIdentity local;
    final byte[] remoteStatic;
    final byte[] timestamp;
    final int senderIndex;
    final byte[] hash;
    final byte[] chainingKey;
    final byte[] remoteEphemeral;

    InitiationResult(StaticIdentity local, byte[] remoteStatic, byte[] timestamp, int senderIndex,
                     byte[] hash, byte[] chainingKey, byte[] remoteEphemeral) {
        this.local = local;
        this.remoteStatic = remoteStatic;
        this.timestamp = timestamp;
        this.senderIndex = senderIndex;
        this.hash = hash;
        this.chainingKey = chainingKey;
        this.remoteEphemeral = remoteEphemeral;
    }

    /** A copy of the initiator's static public key: the key to find the peer by. */
    public byte[] remoteStaticPublic() {
        return remoteStatic.clone();
    }

    /** A copy of the 12-byte TAI64N timestamp the initiator sent. */
    public byte[] timestamp() {
        return timestamp.clone();
    }

    /** The initiator's sender index: the receiver index of our response and of our transport data. */
    public int senderIndex() {
        return senderIndex;
    }

    /** Wipes the Noise state (done by acceptInitiation; call it when no peer matched). */
    public void destroy() {
        Arrays.fill(hash, (byte) 0);
        Arrays.fill(chainingKey, (byte) 0);
    }

    @Override
    public String toString() {
        return "InitiationResult[sender=" + Integer.toUnsignedString(senderIndex) + ", from="
                + Keys.toBase64(remoteStatic) + "]";
    }
}
