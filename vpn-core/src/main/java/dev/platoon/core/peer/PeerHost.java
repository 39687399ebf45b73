package dev.platoon.core.peer;

import java.time.InstantSource;
import java.util.function.LongSupplier;

import dev.platoon.crypto.StaticIdentity;

/**
 * What a {@link Peer} needs from its device: the shared tables, the clocks, and the handshake worker
 * that does every piece of cryptography the control plane sends. Implemented by
 * {@code dev.platoon.core.handshake.HandshakeWorker}.
 */
public interface PeerHost {
    StaticIdentity identity();

    IndexTable<IndexEntry> indexTable();

    ProtocolTimings timings();

    /** Monotonic nanoseconds, the clock of every timer and keypair age. */
    LongSupplier nanoClock();

    /** Wall clock, for TAI64N timestamps and wg's last-handshake time. */
    InstantSource wallClock();

    /** Queue an initiation for {@code peer} on the worker; must not block. */
    void requestInitiation(Peer peer);

    /** Queue "send the staged packets, or a keepalive if there are none" for {@code peer}; must not block. */
    void requestKeepalive(Peer peer);

    /** Queue "send the staged packets if a key is usable, else start a handshake"; must not block. */
    void requestStagedSend(Peer peer);
}
