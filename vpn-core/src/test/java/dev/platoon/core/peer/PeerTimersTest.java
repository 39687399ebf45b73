package dev.platoon.core.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Every timer rule on a fake clock; actions are recorded instead of performed. */
class PeerTimersTest {
    private static final long S = 1_000_000_000L, MS = 1_000_000L;

    private final List<String> log = new ArrayList<>();
    private PeerTimers.KeyState key;
    private long now = 777 * S; // arbitrary origin: nanoTime values have no meaning
    private final ProtocolTimings t = ProtocolTimings.DEFAULT;

    private final PeerTimers timers = new PeerTimers(t, new PeerTimers.Actions() {
        @Override
        public void sendHandshakeInitiation(boolean isRetry) {
            log.add(isRetry ? "retry" : "initiate");
        }

        @Override
        public void sendKeepalive() {
            log.add("keepalive");
        }

        @Override
        public void flushStagedPackets() {
            log.add("flush");
        }

        @Override
        public void zeroKeyMaterial() {
            log.add("zero");
        }

        @Override
        public PeerTimers.KeyState currentKey() {
            return key;
        }
    }, new Random(1));

    /** Advances the fake clock in 100 ms ticks, as the timer driver would. */
    private void run(long nanos) {
        long end = now + nanos;
        while (now < end) {
            now = Math.min(end, now + 100 * MS);
            timers.tick(now);
        }
    }

    @Test
    void retransmitsAfterRekeyTimeoutPlusJitterThenGivesUp() {
        timers.handshakeInitiated(now);
        run(5 * S - 100 * MS);
        assertEquals(List.of(), log, "nothing before REKEY_TIMEOUT");
        run(334 * MS + 100 * MS);
        assertEquals(List.of("retry"), log, "one retry within REKEY_TIMEOUT + 333 ms jitter");
        // The worker reports each retry as sent; keep doing that until the timers give up.
        int retries = 1;
        while (!log.contains("flush") && retries < 100) {
            timers.handshakeInitiated(now);
            log.clear();
            run(5 * S + 400 * MS);
            if (log.contains("retry")) {
                retries++;
            }
        }
        assertEquals(t.maxTimerHandshakes() + 1, retries, "19 retries after the first initiation: 20 in all");
        assertTrue(log.contains("flush"));
        assertFalse(timers.retransmitPending());
        assertTrue(timers.zeroKeysPending(), "give-up arms the zeroing of residue");
        log.clear();
        run(3 * t.rejectAfterTimeNanos());
        assertEquals(List.of("zero"), log);
    }

    @Test
    void completedHandshakeStopsRetransmission() {
        timers.handshakeInitiated(now);
        run(2 * S);
        timers.handshakeComplete();
        run(30 * S);
        assertEquals(List.of(), log);
        assertEquals(0, timers.handshakeAttempts());
    }

    @Test
    void keepaliveAfterReceivingWithoutSending() {
        timers.authenticatedPacketReceived(now, true);
        run(9 * S);
        timers.authenticatedPacketReceived(now, true); // more data does not push the deadline
        run(1 * S);
        assertEquals(List.of("keepalive"), log);
        log.clear();
        run(30 * S);
        assertEquals(List.of(), log, "one keepalive per burst of received data");
    }

    @Test
    void noKeepaliveWhenWeSentSomething() {
        timers.authenticatedPacketReceived(now, true);
        run(5 * S);
        timers.dataSent(now);
        timers.authenticatedPacketReceived(now, false); // a keepalive from them: data=false
        run(12 * S);
        assertEquals(List.of(), log);
    }

    @Test
    void newHandshakeAfterSendingWithoutHearingBack() {
        timers.dataSent(now);
        run(15 * S - 100 * MS);
        assertEquals(List.of(), log);
        run(434 * MS);
        assertEquals(List.of("initiate"), log, "after KEEPALIVE_TIMEOUT + REKEY_TIMEOUT + jitter");
    }

    @Test
    void anyReceivedPacketCancelsTheNewHandshake() {
        timers.dataSent(now);
        run(14 * S);
        timers.authenticatedPacketReceived(now, false);
        run(20 * S);
        assertEquals(List.of(), log);
    }

    @Test
    void sessionDerivedArmsZeroingAfterThreeRejectAfterTimes() {
        timers.sessionDerived(now);
        run(3 * t.rejectAfterTimeNanos() - S);
        assertEquals(List.of(), log);
        run(2 * S);
        assertEquals(List.of("zero"), log);
    }

    @Test
    void persistentKeepaliveEveryIntervalWithoutTraffic() {
        timers.setPersistentKeepalive(25);
        run(100 * MS);
        assertEquals(List.of("keepalive"), log, "turning it on sends one at once");
        timers.anyAuthenticatedPacketSent(now); // the keepalive went out
        log.clear();
        run(24 * S);
        assertEquals(List.of(), log);
        run(1 * S);
        assertEquals(List.of("keepalive"), log);
        log.clear();
        timers.anyAuthenticatedPacketSent(now);
        run(20 * S);
        timers.authenticatedPacketReceived(now, false); // traffic either way pushes it back
        run(24 * S);
        assertEquals(List.of(), log);
        timers.setPersistentKeepalive(0);
        run(60 * S);
        assertEquals(List.of(), log);
    }

    @Test
    void initiatorRekeysAfterRekeyAfterTimeWhenSending() {
        key = new PeerTimers.KeyState(now, true, 0);
        run(t.rekeyAfterTimeNanos() - 200 * MS);
        timers.dataSent(now);
        timers.authenticatedPacketReceived(now, true);
        run(100 * MS);
        assertEquals(List.of(), log, "not older than REKEY_AFTER_TIME yet");
        run(S);
        timers.dataSent(now);
        timers.authenticatedPacketReceived(now, true);
        run(100 * MS);
        assertEquals(List.of("initiate"), log);
    }

    @Test
    void responderDoesNotRekeyOnTimeButOnMessages() {
        key = new PeerTimers.KeyState(now, false, 5);
        run(t.rekeyAfterTimeNanos() + S);
        timers.dataSent(now);
        run(100 * MS);
        assertEquals(List.of(), log);
        key = new PeerTimers.KeyState(now, false, t.rekeyAfterMessages() + 1);
        timers.dataSent(now);
        run(100 * MS);
        assertEquals(List.of("initiate"), log);
    }

    @Test
    void noRekeyWithoutTraffic() {
        key = new PeerTimers.KeyState(now, true, 0);
        run(t.rejectAfterTimeNanos());
        assertEquals(List.of(), log);
    }

    @Test
    void initiatorRenewsOnReceiveOnceNearRejectAfterTime() {
        key = new PeerTimers.KeyState(now, true, 0);
        run(t.rekeyOnReceiveAgeNanos() - S);
        timers.authenticatedPacketReceived(now, false);
        run(100 * MS);
        assertEquals(List.of(), log);
        run(2 * S);
        timers.authenticatedPacketReceived(now, false);
        run(100 * MS);
        timers.authenticatedPacketReceived(now, false);
        run(100 * MS);
        assertEquals(List.of("initiate"), log, "only once: sentLastMinuteHandshake");
        timers.handshakeComplete();
        timers.authenticatedPacketReceived(now, false);
        run(100 * MS);
        assertEquals(List.of("initiate", "initiate"), log, "a completed handshake re-enables it");
    }

    @Test
    void shortenedTimingsForEndToEndTests() {
        ProtocolTimings fast = ProtocolTimings.withRekeyAfter(java.time.Duration.ofSeconds(5));
        assertEquals(5 * S, fast.rekeyAfterTimeNanos());
        assertEquals(65 * S, fast.rejectAfterTimeNanos());
        assertEquals(18, ProtocolTimings.DEFAULT.maxTimerHandshakes());
        assertEquals(165 * S, ProtocolTimings.DEFAULT.rekeyOnReceiveAgeNanos());
    }
}
