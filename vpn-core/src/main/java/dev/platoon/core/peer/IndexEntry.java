package dev.platoon.core.peer;

import dev.platoon.crypto.TransportKeypair;

/**
 * What one of our indices stands for: a handshake in flight for {@code peer} ({@code keypair == null})
 * or a session key. Immutable; the {@link IndexTable} slot is swapped from the first kind to the
 * second when the handshake yields its keypair.
 *
 * @param createdNanos when the keypair was derived (the clock of {@link PeerHost#nanoClock()}); the
 *                     data path refuses packets on a keypair older than REJECT_AFTER_TIME
 */
public record IndexEntry(Peer peer, TransportKeypair keypair, long createdNanos) {

    public boolean isHandshake() {
        return keypair == null;
    }

    /** True when a keypair must no longer be used to receive (or send): older than REJECT_AFTER_TIME. */
    public boolean expired(long nowNanos, ProtocolTimings timings) {
        return nowNanos - createdNanos >= timings.rejectAfterTimeNanos();
    }

    @Override
    public String toString() {
        return "IndexEntry[" + peer.shortName() + (keypair == null ? ", handshake" : ", " + keypair) + "]";
    }
}
