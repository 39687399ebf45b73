package dev.platoon.core.peer;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;

import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Handshake;
import dev.platoon.crypto.TransportKeypair;

/**
 * One configured peer: its keys, endpoint, session keypairs, staged packets, timers and counters.
 *
 * <p>Keypairs follow wireguard-go's rules (noise-protocol.go BeginSymmetricSession and
 * ReceivedWithKeypair): the initiator's new keypair becomes {@code current} at once (the old current
 * becomes {@code previous}); the responder's new keypair waits in {@code next} until the first packet
 * arrives on it (whitepaper §5.4.6: a responder may not send first), then it becomes current. The
 * previous keypair is kept so packets in flight on it still decrypt.
 *
 * <p>Threads: the data path reads {@code current}/{@code next}/{@code endpoint} (volatile) and records
 * events; the handshake worker owns {@link #handshake()} (hold {@link #handshakeLock()}) and rotates
 * keypairs under the keypair lock; the timer thread calls {@code timers().tick}.
 */
public final class Peer implements PeerTimers.Actions {
    private final byte[] publicKey;
    private final String shortName;
    private final PeerHost host;
    private final ProtocolTimings timings;
    private final Handshake handshake;
    private final Object handshakeLock = new Object();
    private final CookieGenerator cookieGenerator;
    private final PeerCounters counters = new PeerCounters();
    private final StagedPackets staged;
    private final PeerTimers timers;

    private volatile InetSocketAddress endpoint;

    private final Object keypairLock = new Object();
    private volatile IndexEntry current;
    private volatile IndexEntry previous;
    private volatile IndexEntry next;

    // guarded by handshakeLock
    private int handshakeIndex;          // our index of the handshake in flight, 0 = none
    private long lastInitiationConsumed = PeerTimers.NONE;
    private volatile long lastSentHandshake = PeerTimers.NONE;

    public Peer(byte[] publicKey, byte[] presharedKeyOrNull, PeerHost host) {
        if (publicKey == null || publicKey.length != 32) {
            throw new IllegalArgumentException("a peer public key has 32 bytes");
        }
        this.publicKey = publicKey.clone();
        this.shortName = Base64.getEncoder().encodeToString(publicKey).substring(0, 8);
        this.host = host;
        this.timings = host.timings();
        this.handshake = new Handshake(host.identity(), publicKey, presharedKeyOrNull, host.wallClock());
        this.cookieGenerator = new CookieGenerator(publicKey, host.nanoClock());
        this.staged = new StagedPackets(StagedPackets.DEFAULT_MAX_PACKETS, StagedPackets.DEFAULT_MAX_BYTES, counters);
        this.timers = new PeerTimers(timings, this, new SecureRandom());
    }

    // ------------------------------------------------------------------ identity and configuration

    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** First 8 base64 characters of the public key: enough for logs and metrics, no secret. */
    public String shortName() {
        return shortName;
    }

    public InetSocketAddress endpoint() {
        return endpoint;
    }

    /** Roaming: the source of the last authenticated packet. Cheap when unchanged. */
    public void updateEndpoint(InetSocketAddress from) {
        if (from != null && !from.equals(endpoint)) {
            endpoint = from;
        }
    }

    /** Sets persistent keepalive (0 = off). Turning it on sends a keepalive at the next tick, as wg does. */
    public void setPersistentKeepalive(int seconds) {
        timers.setPersistentKeepalive(seconds);
    }

    public PeerCounters counters() {
        return counters;
    }

    public PeerTimers timers() {
        return timers;
    }

    public StagedPackets staged() {
        return staged;
    }

    public CookieGenerator cookieGenerator() {
        return cookieGenerator;
    }

    /** The Noise state; touch it only while holding {@link #handshakeLock()}. */
    public Handshake handshake() {
        return handshake;
    }

    public Object handshakeLock() {
        return handshakeLock;
    }

    // ------------------------------------------------------------------ data path

    /**
     * The keypair to seal with now, or null: none yet, older than REJECT_AFTER_TIME, or its counter
     * at REJECT_AFTER_MESSAGES. Null means: stage the packet and {@link #requestHandshake}.
     */
    public TransportKeypair sendKeypair(long nowNanos) {
        IndexEntry c = current;
        if (c == null || c.expired(nowNanos, timings)
                || Long.compareUnsigned(c.keypair().sentMessages(), timings.rejectAfterMessages()) >= 0) {
            return null;
        }
        return c.keypair();
    }

    /**
     * Copies a plaintext IP packet into the bounded staging queue and makes sure a handshake is on
     * its way. False when a packet had to be dropped (counted as "staged_queue_full").
     */
    public boolean stage(ByteBuffer plainPacket) {
        boolean ok = staged.add(plainPacket);
        host.requestStagedSend(this);
        return ok;
    }

    /** Cheap from any thread: deduplicated, and at most one initiation per REKEY_TIMEOUT goes out. */
    public void requestHandshake(long nowNanos) {
        timers.handshakeWanted();
        long last = lastSentHandshake;
        if (last != PeerTimers.NONE && nowNanos - last < timings.rekeyTimeoutNanos()) {
            return;
        }
        host.requestInitiation(this);
    }

    public void onDataSent(long nowNanos, int packets, long bytes) {
        counters.txPackets.add(packets);
        counters.txBytes.add(bytes);
        timers.dataSent(nowNanos);
    }

    /** After a packet or train authenticated; {@code keepalive} true when it carried no data. */
    public void onAuthenticatedPacketReceived(long nowNanos, int packets, long bytes, boolean keepalive) {
        counters.rxPackets.add(packets);
        counters.rxBytes.add(bytes);
        timers.authenticatedPacketReceived(nowNanos, !keepalive);
    }

    /** A packet authenticated on {@code kp}: if it is the responder's "next" keypair, it is now confirmed. */
    public void onTransportKeypairUsedForReceive(TransportKeypair kp, long nowNanos) {
        IndexEntry n = next;
        if (n == null || n.keypair() != kp) {
            return; // the common case: one volatile read
        }
        boolean rotated;
        synchronized (keypairLock) {
            rotated = next == n;
            if (rotated) {
                drop(previous);
                previous = current;
                current = n;
                next = null;
            }
        }
        if (rotated) {
            handshakeCompleted();
            host.requestStagedSend(this);
        }
    }

    // ------------------------------------------------------------------ handshake worker side

    /** Last time we sent an initiation or a response (nanos), for the one-per-REKEY_TIMEOUT rule. */
    public long lastSentHandshake() {
        return lastSentHandshake;
    }

    /** Call with the handshake lock held. */
    public void markHandshakeSent(long nowNanos) {
        lastSentHandshake = nowNanos;
    }

    /**
     * A fresh index for a handshake message we are about to create; the previous handshake's index is
     * released. Call with the handshake lock held.
     */
    public int newHandshakeIndex(long nowNanos) {
        IndexTable<IndexEntry> table = host.indexTable();
        if (handshakeIndex != 0) {
            table.remove(handshakeIndex);
        }
        handshakeIndex = table.allocate(new IndexEntry(this, null, nowNanos));
        return handshakeIndex;
    }

    /**
     * wireguard-go's flood guard: initiations from one peer closer than HANDSHAKE_INITIATION_RATE
     * (50 ms) apart are refused. Returns false (refuse) or records {@code now}. Handshake lock held.
     */
    public boolean admitInitiation(long nowNanos, long minIntervalNanos) {
        if (lastInitiationConsumed != PeerTimers.NONE && nowNanos - lastInitiationConsumed <= minIntervalNanos) {
            return false;
        }
        lastInitiationConsumed = nowNanos;
        return true;
    }

    /**
     * Installs the keypair a completed handshake produced. Its index (the handshake's) now names it in
     * the index table. Initiator: current at once. Responder: next, until confirmed by a received packet.
     * Handshake lock held. False (and the keypair closed) if the handshake was abandoned meanwhile.
     */
    public boolean installKeypair(TransportKeypair kp, long nowNanos) {
        IndexEntry entry = new IndexEntry(this, kp, nowNanos);
        if (handshakeIndex != kp.localIndex() || !host.indexTable().replace(kp.localIndex(), entry)) {
            kp.close(); // the handshake was abandoned (keys zeroed) meanwhile
            return false;
        }
        handshakeIndex = 0;
        synchronized (keypairLock) {
            if (kp.isInitiator()) {
                if (next != null) {
                    // A responder keypair never confirmed: keep it as previous, drop the old current.
                    drop(previous);
                    previous = next;
                    next = null;
                    drop(current);
                } else {
                    drop(previous);
                    previous = current;
                }
                current = entry;
            } else {
                drop(next);
                next = entry;
                drop(previous);
                previous = null;
            }
        }
        timers.sessionDerived(nowNanos);
        if (kp.isInitiator()) {
            handshakeCompleted();
        }
        return true;
    }

    private void handshakeCompleted() {
        timers.handshakeComplete();
        counters.handshakesCompleted.increment();
        Instant t = host.wallClock().instant();
        counters.setLastHandshake(t.getEpochSecond(), t.getNano());
    }

    /** The keypair entries (for tests, the worker, and diagnostics). */
    public IndexEntry currentEntry() {
        return current;
    }

    public IndexEntry previousEntry() {
        return previous;
    }

    public IndexEntry nextEntry() {
        return next;
    }

    /** Erases all keypairs and the handshake in flight, and drops the staged packets. */
    public void zeroAndFlushAll() {
        synchronized (keypairLock) {
            drop(previous);
            drop(current);
            drop(next);
            previous = current = next = null;
        }
        synchronized (handshakeLock) {
            if (handshakeIndex != 0) {
                host.indexTable().remove(handshakeIndex);
                handshakeIndex = 0;
            }
            handshake.clear();
        }
        staged.flush(Drop.PEER_KEYS_ZEROED);
    }

    /** Peer removed: stop the timers and wipe every secret. */
    public void close() {
        timers.stop();
        zeroAndFlushAll();
        synchronized (handshakeLock) {
            handshake.close();
        }
    }

    private void drop(IndexEntry e) {
        if (e != null) {
            host.indexTable().remove(e.keypair().localIndex(), e);
            e.keypair().close();
        }
    }

    // ------------------------------------------------------------------ PeerTimers.Actions (timer thread)

    @Override
    public void sendHandshakeInitiation(boolean isRetry) {
        if (!isRetry) {
            timers.handshakeWanted();
        }
        host.requestInitiation(this);
    }

    @Override
    public void sendKeepalive() {
        host.requestKeepalive(this);
    }

    @Override
    public void flushStagedPackets() {
        counters.handshakesFailed.increment();
        staged.flush(Drop.PEER_HANDSHAKE_GAVE_UP);
    }

    @Override
    public void zeroKeyMaterial() {
        zeroAndFlushAll();
    }

    @Override
    public PeerTimers.KeyState currentKey() {
        IndexEntry c = current;
        return c == null ? null : new PeerTimers.KeyState(c.createdNanos(), c.keypair().isInitiator(), c.keypair().sentMessages());
    }

    @Override
    public String toString() {
        return "peer(" + shortName + ")";
    }
}
