package dev.platoon.core.peer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.random.RandomGenerator;

/**
 * Every protocol timer of one peer (whitepaper §6, wireguard-go timers.go), as a decision made in
 * {@link #tick} from timestamps rather than as five live timers.
 *
 * <p>Why: the data path runs on N loop threads and must stay cheap, so it only stores timestamps
 * (a volatile read and at most a volatile store per packet train). The handshake worker reports the
 * rare handshake events under a lock. One timer thread calls {@code tick(now)} every ~100 ms and
 * fires what is due, through {@link Actions}. All times are {@code System.nanoTime()}-style values
 * from an injected clock; "none" is {@link #NONE}.
 *
 * <p>Rules (wireguard-go's names in brackets):
 * <ul>
 * <li>[retransmitHandshake] an initiation unanswered for REKEY_TIMEOUT + jitter is sent again; after
 *     REKEY_ATTEMPT_TIME / REKEY_TIMEOUT retries we give up, drop the staged packets and arm the
 *     zeroing of keys.</li>
 * <li>[sendKeepalive] data received and nothing sent for KEEPALIVE_TIMEOUT since the first such
 *     packet: send a keepalive. (wireguard-go's "needAnotherKeepalive" re-arm is covered because every
 *     packet received after our keepalive re-arms the rule.)</li>
 * <li>[newHandshake] data sent and nothing authenticated received for KEEPALIVE_TIMEOUT +
 *     REKEY_TIMEOUT + jitter since the first such packet: start a new handshake.</li>
 * <li>[zeroKeyMaterial] 3 × REJECT_AFTER_TIME after the last session was derived: erase all keys.</li>
 * <li>[persistentKeepalive] no authenticated packet either way for the configured interval: send a
 *     keepalive.</li>
 * <li>[keepKeyFreshSending] data was sent on a current key that has sent more than
 *     REKEY_AFTER_MESSAGES, or that we initiated more than REKEY_AFTER_TIME ago: new handshake.</li>
 * <li>[keepKeyFreshReceiving] a packet was received on a key we initiated more than REJECT_AFTER_TIME
 *     − KEEPALIVE_TIMEOUT − REKEY_TIMEOUT ago: one last-minute handshake.</li>
 * </ul>
 */
public final class PeerTimers {
    public static final long NONE = Long.MIN_VALUE;

    /** What the timers make happen; implemented by {@link Peer}. Called on the timer thread. */
    public interface Actions {
        /** Start an initiation (rate-limited by the sender to one per REKEY_TIMEOUT). */
        void sendHandshakeInitiation(boolean isRetry);

        void sendKeepalive();

        /** The handshake never completed: discard what waited for it. */
        void flushStagedPackets();

        /** Erase every keypair and the handshake state, drop staged packets. */
        void zeroKeyMaterial();

        /** The key data is sent with now, or null. */
        KeyState currentKey();
    }

    /** What the rekey rules need to know of the current sending key. */
    public record KeyState(long createdNanos, boolean initiator, long sentMessages) {
    }

    private final ProtocolTimings t;
    private final Actions actions;
    private final RandomGenerator random;

    // --- written by the data path (any loop thread), read by tick ---
    private final AtomicLong firstDataReceivedSinceSent = new AtomicLong(NONE);
    private final AtomicLong firstDataSentSinceReceived = new AtomicLong(NONE);
    private volatile long lastDataSent = NONE;
    private volatile long lastAuthenticatedReceived = NONE;
    private volatile long lastTraversal = NONE;
    private volatile int persistentKeepaliveSeconds;

    // --- handshake events and tick state, guarded by this ---
    private long retransmitAt = NONE;
    // volatile: reset without the lock by handshakeWanted(), which the data path may call
    private volatile int handshakeAttempts;
    private long zeroKeysAt = NONE;
    private boolean sentLastMinuteHandshake;
    private long newHandshakeArmedFor = NONE;
    private long newHandshakeJitter;
    private long dataSentSeenByTick = NONE;
    private long receivedSeenByTick = NONE;

    public PeerTimers(ProtocolTimings timings, Actions actions, RandomGenerator random) {
        this.t = timings;
        this.actions = actions;
        this.random = random;
    }

    // ------------------------------------------------------------------ data path (cheap, lock-free)

    /** After a data (non-keepalive) packet or train was sent. */
    public void dataSent(long now) {
        lastDataSent = now;
        if (firstDataSentSinceReceived.get() == NONE) {
            firstDataSentSinceReceived.compareAndSet(NONE, now);
        }
        anyAuthenticatedPacketSent(now);
    }

    /** After any authenticated packet was sent: data, keepalive, initiation or response. */
    public void anyAuthenticatedPacketSent(long now) {
        lastTraversal = now;
        if (firstDataReceivedSinceSent.get() != NONE) {
            firstDataReceivedSinceSent.set(NONE);
        }
    }

    /** After an authenticated packet (or train) was received; {@code data} false for keepalives and handshakes. */
    public void authenticatedPacketReceived(long now, boolean data) {
        lastTraversal = now;
        lastAuthenticatedReceived = now;
        if (firstDataSentSinceReceived.get() != NONE) {
            firstDataSentSinceReceived.set(NONE);
        }
        if (data && firstDataReceivedSinceSent.get() == NONE) {
            firstDataReceivedSinceSent.compareAndSet(NONE, now);
        }
    }

    public void setPersistentKeepalive(int seconds) {
        persistentKeepaliveSeconds = Math.max(0, seconds);
    }

    public int persistentKeepalive() {
        return persistentKeepaliveSeconds;
    }

    // ------------------------------------------------------------------ handshake events (worker thread)

    /** A non-retry initiation is wanted (staged data, rekey...): the retry count starts over. */
    public void handshakeWanted() {
        handshakeAttempts = 0;
    }

    /** An initiation went out: expect a response within REKEY_TIMEOUT + jitter. */
    public synchronized void handshakeInitiated(long now) {
        retransmitAt = now + t.rekeyTimeoutNanos() + jitter();
        anyAuthenticatedPacketSent(now);
    }

    /** A response was consumed, or the first data on a responder's new key arrived. */
    public synchronized void handshakeComplete() {
        retransmitAt = NONE;
        handshakeAttempts = 0;
        sentLastMinuteHandshake = false;
    }

    /** A keypair was derived (response sent, or response received). */
    public synchronized void sessionDerived(long now) {
        zeroKeysAt = now + t.zeroKeyMaterialAfterNanos();
    }

    /** Peer removed or device down: nothing more is due. */
    public synchronized void stop() {
        retransmitAt = NONE;
        zeroKeysAt = NONE;
        firstDataReceivedSinceSent.set(NONE);
        firstDataSentSinceReceived.set(NONE);
    }

    // ------------------------------------------------------------------ the decisions

    private static final int RETRY = 1, GIVE_UP = 2, KEEPALIVE = 4, INITIATE = 8, ZERO_KEYS = 16;

    /**
     * Fires whatever is due at {@code now}. Call every ~100 ms from one thread. Decisions are taken
     * under this object's lock, actions run after it is released (they take peer locks that the
     * worker holds while it reports events here: no lock-order cycle).
     */
    public void tick(long now) {
        int due = decide(now);
        if ((due & GIVE_UP) != 0) {
            actions.flushStagedPackets();
        }
        if ((due & RETRY) != 0) {
            actions.sendHandshakeInitiation(true);
        }
        if ((due & INITIATE) != 0) {
            actions.sendHandshakeInitiation(false);
        }
        if ((due & KEEPALIVE) != 0) {
            actions.sendKeepalive();
        }
        if ((due & ZERO_KEYS) != 0) {
            actions.zeroKeyMaterial();
        }
    }

    private synchronized int decide(long now) {
        int due = 0;
        if (retransmitAt != NONE && now - retransmitAt >= 0) {
            retransmitAt = NONE;
            if (handshakeAttempts > t.maxTimerHandshakes()) {
                firstDataReceivedSinceSent.set(NONE); // [sendKeepalive.Del]
                if (zeroKeysAt == NONE) {
                    zeroKeysAt = now + t.zeroKeyMaterialAfterNanos();
                }
                due |= GIVE_UP;
            } else {
                handshakeAttempts++;
                // Re-arm here too: if the request is lost the retries must not stop.
                retransmitAt = now + t.rekeyTimeoutNanos() + jitter();
                due |= RETRY;
            }
        }

        long rx = firstDataReceivedSinceSent.get();
        if (rx != NONE && now - rx >= t.keepaliveTimeoutNanos()) {
            firstDataReceivedSinceSent.compareAndSet(rx, NONE);
            due |= KEEPALIVE;
        }

        long tx = firstDataSentSinceReceived.get();
        if (tx != NONE) {
            if (tx != newHandshakeArmedFor) {
                newHandshakeArmedFor = tx;
                newHandshakeJitter = jitter();
            }
            if (now - tx >= t.keepaliveTimeoutNanos() + t.rekeyTimeoutNanos() + newHandshakeJitter) {
                firstDataSentSinceReceived.compareAndSet(tx, NONE);
                handshakeAttempts = 0;
                due |= INITIATE;
            }
        }

        if (zeroKeysAt != NONE && now - zeroKeysAt >= 0) {
            zeroKeysAt = NONE;
            due |= ZERO_KEYS;
        }

        int pk = persistentKeepaliveSeconds;
        long last = lastTraversal;
        if (pk > 0 && (last == NONE || now - last >= pk * 1_000_000_000L)) {
            lastTraversal = now; // so a failed send does not repeat on every tick
            due |= KEEPALIVE;
        }

        if (keepKeyFresh(now)) {
            due |= INITIATE;
        }
        return due;
    }

    private boolean keepKeyFresh(long now) {
        long sent = lastDataSent, received = lastAuthenticatedReceived;
        boolean sentSinceTick = sent != NONE && sent != dataSentSeenByTick;
        boolean receivedSinceTick = received != NONE && received != receivedSeenByTick;
        dataSentSeenByTick = sent;
        receivedSeenByTick = received;
        if (!sentSinceTick && !receivedSinceTick) {
            return false;
        }
        KeyState key = actions.currentKey(); // volatile reads only, no lock
        if (key == null) {
            return false;
        }
        long age = now - key.createdNanos();
        if (sentSinceTick && (Long.compareUnsigned(key.sentMessages(), t.rekeyAfterMessages()) > 0
                || (key.initiator() && age > t.rekeyAfterTimeNanos()))) {
            handshakeAttempts = 0;
            return true;
        }
        if (receivedSinceTick && !sentLastMinuteHandshake && key.initiator() && age > t.rekeyOnReceiveAgeNanos()) {
            sentLastMinuteHandshake = true;
            handshakeAttempts = 0;
            return true;
        }
        return false;
    }

    private long jitter() {
        long max = t.rekeyTimeoutJitterMaxNanos();
        return max == 0 ? 0 : random.nextLong(max + 1);
    }

    // ------------------------------------------------------------------ for tests and wg show

    public int handshakeAttempts() {
        return handshakeAttempts;
    }

    public synchronized boolean retransmitPending() {
        return retransmitAt != NONE;
    }

    public synchronized boolean zeroKeysPending() {
        return zeroKeysAt != NONE;
    }
}
