package dev.platoon.crypto;

import static dev.platoon.crypto.HandshakeException.Reason.DECRYPTION_FAILED;
import static dev.platoon.crypto.HandshakeException.Reason.MALFORMED;
import static dev.platoon.crypto.HandshakeException.Reason.REPLAYED_TIMESTAMP;
import static dev.platoon.crypto.HandshakeException.Reason.UNEXPECTED_STATE;
import static dev.platoon.crypto.HandshakeException.Reason.WRONG_RECEIVER_INDEX;
import static dev.platoon.crypto.HandshakeException.Reason.WRONG_STATIC_KEY;
import static dev.platoon.crypto.HandshakeException.Reason.ZERO_SHARED_SECRET;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class HandshakeTest {
    /** A settable wall clock for TAI64N. */
    static final class TestClock implements InstantSource {
        Instant now = Instant.parse("2025-06-01T12:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final TestClock clock = new TestClock();
    final StaticIdentity alice = StaticIdentity.generate();
    final StaticIdentity bob = StaticIdentity.generate();

    /** Both ends of one peer relationship. */
    record Pair(Handshake initiator, Handshake responder, TransportKeypair a, TransportKeypair b) {
    }

    Pair pair(byte[] psk) {
        return new Pair(new Handshake(alice, bob.publicKey(), psk, clock),
                new Handshake(bob, alice.publicKey(), psk, clock), null, null);
    }

    /** Runs a whole handshake; returns the two keypairs (initiator's, responder's). */
    TransportKeypair[] handshake(Handshake init, Handshake resp, int iIndex, int rIndex) throws HandshakeException {
        byte[] m1 = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        init.createInitiation(iIndex, m1, 0);
        assertEquals(Handshake.State.INITIATION_CREATED, init.state());
        InitiationResult r = Handshake.consumeInitiation(bob, m1, 0);
        assertArrayEquals(alice.publicKey(), r.remoteStaticPublic());
        assertEquals(iIndex, r.senderIndex());
        resp.acceptInitiation(r);
        byte[] m2 = new byte[Protocol.MESSAGE_RESPONSE_SIZE];
        resp.createResponse(rIndex, m2, 0);
        init.consumeResponse(m2, 0);
        return new TransportKeypair[] {init.beginSession(), resp.beginSession()};
    }

    @Test
    void fullHandshakeWithoutPsk() throws Exception {
        fullHandshakeAndData(null);
    }

    @Test
    void fullHandshakeWithPsk() throws Exception {
        byte[] psk = Keys.generatePresharedKey();
        fullHandshakeAndData(psk);
    }

    private void fullHandshakeAndData(byte[] psk) throws Exception {
        Pair p = pair(psk);
        TransportKeypair[] kp = handshake(p.initiator(), p.responder(), 0x11223344, 0x55667788);
        TransportKeypair a = kp[0];
        TransportKeypair b = kp[1];
        assertTrue(a.isInitiator());
        assertFalse(b.isInitiator());
        assertEquals(0x11223344, a.localIndex());
        assertEquals(0x55667788, a.remoteIndex());
        assertEquals(0x55667788, b.localIndex());
        assertEquals(0x11223344, b.remoteIndex());
        assertArrayEquals(a.sendKey().raw(), b.receiveKey().raw());
        assertArrayEquals(a.receiveKey().raw(), b.sendKey().raw());
        assertFalse(Arrays.equals(a.sendKey().raw(), a.receiveKey().raw()));
        assertEquals(Handshake.State.ZEROED, p.initiator().state());
        assertEquals(Handshake.State.ZEROED, p.responder().state());

        TransportCipher ca = new TransportCipher();
        TransportCipher cb = new TransportCipher();
        Random rnd = new Random(7);
        for (int i = 0; i < 20; i++) {
            int len = 16 * rnd.nextInt(90);
            byte[] plain = new byte[len];
            rnd.nextBytes(plain);
            boolean direct = i % 2 == 0;
            // a -> b
            exchange(ca, a, cb, b, plain, direct);
            // b -> a
            exchange(cb, b, ca, a, plain, !direct);
        }
    }

    static void exchange(TransportCipher cs, TransportKeypair sender, TransportCipher cr, TransportKeypair receiver,
                         byte[] plain, boolean direct) {
        ByteBuffer buf = direct ? ByteBuffer.allocateDirect(plain.length + 64) : ByteBuffer.allocate(plain.length + 64);
        int off = Protocol.MESSAGE_TRANSPORT_HEADER_SIZE;
        buf.put(off, plain);
        long counter = sender.nextSendCounter();
        assertEquals(plain.length + 16, cs.seal(sender, counter, buf, off, plain.length));
        assertEquals(plain.length, cr.open(receiver, counter, buf, off, plain.length + 16));
        assertTrue(receiver.acceptCounter(counter));
        byte[] got = new byte[plain.length];
        buf.get(off, got);
        assertArrayEquals(plain, got);
    }

    @Test
    void pskMismatchFailsAtTheResponse() throws Exception {
        Handshake init = new Handshake(alice, bob.publicKey(), Keys.generatePresharedKey(), clock);
        Handshake resp = new Handshake(bob, alice.publicKey(), Keys.generatePresharedKey(), clock);
        HandshakeException e = assertThrows(HandshakeException.class, () -> handshake(init, resp, 1, 2));
        assertEquals(DECRYPTION_FAILED, e.reason());
        assertEquals(Handshake.State.INITIATION_CREATED, init.state(), "a bad response leaves the initiation pending");
    }

    @Test
    void replayedInitiationIsRefused() throws Exception {
        Pair p = pair(null);
        byte[] m1 = new byte[148];
        p.initiator().createInitiation(1, m1, 0);
        p.responder().acceptInitiation(Handshake.consumeInitiation(bob, m1, 0));
        // The very same message again: same timestamp.
        InitiationResult again = Handshake.consumeInitiation(bob, m1, 0);
        assertReason(REPLAYED_TIMESTAMP, () -> p.responder().acceptInitiation(again));
    }

    @Test
    void staleTimestampIsRefusedAndNewerAccepted() throws Exception {
        Pair p = pair(null);
        byte[] older = new byte[148];
        p.initiator().createInitiation(1, older, 0);
        clock.advance(Duration.ofSeconds(1));
        byte[] newer = new byte[148];
        p.initiator().createInitiation(2, newer, 0);
        p.responder().acceptInitiation(Handshake.consumeInitiation(bob, newer, 0));
        assertReason(REPLAYED_TIMESTAMP, () -> p.responder().acceptInitiation(Handshake.consumeInitiation(bob, older, 0)));
        // Within the same 16 ms whitening slot counts as not newer either.
        clock.advance(Duration.ofMillis(2));
        byte[] sameSlot = new byte[148];
        p.initiator().createInitiation(3, sameSlot, 0);
        assertReason(REPLAYED_TIMESTAMP, () -> p.responder().acceptInitiation(Handshake.consumeInitiation(bob, sameSlot, 0)));
        clock.advance(Duration.ofMillis(50));
        byte[] later = new byte[148];
        p.initiator().createInitiation(4, later, 0);
        p.responder().acceptInitiation(Handshake.consumeInitiation(bob, later, 0));
        assertEquals(4, p.responder().remoteIndex());
    }

    @Test
    void initiationForAnotherKeyDoesNotDecrypt() throws Exception {
        StaticIdentity carol = StaticIdentity.generate();
        Handshake toCarol = new Handshake(alice, carol.publicKey(), null, clock);
        byte[] m1 = new byte[148];
        toCarol.createInitiation(1, m1, 0);
        assertReason(DECRYPTION_FAILED, () -> Handshake.consumeInitiation(bob, m1, 0));
    }

    @Test
    void initiationFromAnotherPeerIsRefusedByThisPeer() throws Exception {
        StaticIdentity mallory = StaticIdentity.generate();
        Handshake fromMallory = new Handshake(mallory, bob.publicKey(), null, clock);
        byte[] m1 = new byte[148];
        fromMallory.createInitiation(1, m1, 0);
        InitiationResult r = Handshake.consumeInitiation(bob, m1, 0);
        assertArrayEquals(mallory.publicKey(), r.remoteStaticPublic());
        Handshake bobsAlice = new Handshake(bob, alice.publicKey(), null, clock);
        assertReason(WRONG_STATIC_KEY, () -> bobsAlice.acceptInitiation(r));
        assertEquals(Handshake.State.ZEROED, bobsAlice.state());
    }

    @Test
    void tamperedInitiationIsRefused() throws Exception {
        Pair p = pair(null);
        byte[] m1 = new byte[148];
        p.initiator().createInitiation(1, m1, 0);
        // Every byte of ephemeral, encrypted static and encrypted timestamp is authenticated.
        for (int i = Protocol.INITIATION_EPHEMERAL; i < Protocol.INITIATION_MAC1; i += 7) {
            byte[] bad = m1.clone();
            bad[i] ^= 0x20;
            HandshakeException e = assertThrows(HandshakeException.class, () -> Handshake.consumeInitiation(bob, bad, 0));
            assertTrue(e.reason() == DECRYPTION_FAILED || e.reason() == ZERO_SHARED_SECRET, "byte " + i + ": " + e.reason());
        }
        byte[] badType = m1.clone();
        badType[0] = 2;
        assertReason(MALFORMED, () -> Handshake.consumeInitiation(bob, badType, 0));
        assertReason(MALFORMED, () -> Handshake.consumeInitiation(bob, Arrays.copyOf(m1, 147), 0));
    }

    @Test
    void tamperedResponseIsRefusedAndLeavesTheInitiationPending() throws Exception {
        Pair p = pair(Keys.generatePresharedKey());
        byte[] m1 = new byte[148];
        p.initiator().createInitiation(1, m1, 0);
        p.responder().acceptInitiation(Handshake.consumeInitiation(bob, m1, 0));
        byte[] m2 = new byte[92];
        p.responder().createResponse(2, m2, 0);
        for (int i = Protocol.RESPONSE_EPHEMERAL; i < Protocol.RESPONSE_MAC1; i += 3) {
            byte[] bad = m2.clone();
            bad[i] ^= 0x01;
            HandshakeException e = assertThrows(HandshakeException.class, () -> p.initiator().consumeResponse(bad, 0));
            assertTrue(e.reason() == DECRYPTION_FAILED || e.reason() == ZERO_SHARED_SECRET, "byte " + i);
            assertEquals(Handshake.State.INITIATION_CREATED, p.initiator().state());
        }
        byte[] wrongReceiver = m2.clone();
        wrongReceiver[Protocol.RESPONSE_RECEIVER] ^= 1;
        assertReason(WRONG_RECEIVER_INDEX, () -> p.initiator().consumeResponse(wrongReceiver, 0));
        // The genuine response still completes the handshake.
        p.initiator().consumeResponse(m2, 0);
        TransportKeypair a = p.initiator().beginSession();
        TransportKeypair b = p.responder().beginSession();
        assertArrayEquals(a.sendKey().raw(), b.receiveKey().raw());
    }

    @Test
    void callsOutOfOrderAreRefused() throws Exception {
        Pair p = pair(null);
        assertReason(UNEXPECTED_STATE, () -> p.initiator().beginSession());
        assertReason(UNEXPECTED_STATE, () -> p.responder().createResponse(1, new byte[92], 0));
        byte[] m2 = new byte[92];
        m2[0] = 2;
        assertReason(UNEXPECTED_STATE, () -> p.initiator().consumeResponse(m2, 0));
        TransportKeypair[] kp = handshake(p.initiator(), p.responder(), 1, 2);
        assertReason(UNEXPECTED_STATE, () -> p.initiator().beginSession()); // state was wiped
        kp[0].close();
        kp[1].close();
    }

    @Test
    void lowOrderPeerKeyIsRefused() {
        Handshake h = new Handshake(alice, new byte[32], null, clock);
        assertReason(ZERO_SHARED_SECRET, () -> h.createInitiation(1, new byte[148], 0));
    }

    @Test
    void tamperedTransportDataIsDropped() throws Exception {
        Pair p = pair(null);
        TransportKeypair[] kp = handshake(p.initiator(), p.responder(), 1, 2);
        TransportCipher c = new TransportCipher();
        byte[] buf = new byte[16 + 64 + 16];
        long counter = kp[0].nextSendCounter();
        c.seal(kp[0], counter, buf, 16, 64);
        for (int i = 16; i < buf.length; i += 5) {
            byte[] bad = buf.clone();
            bad[i] ^= 4;
            assertEquals(TransportCipher.FAILED, c.open(kp[1], counter, bad, 16, 80), "byte " + i);
        }
        assertEquals(TransportCipher.FAILED, c.open(kp[1], counter + 1, buf.clone(), 16, 80), "wrong counter");
        assertEquals(TransportCipher.FAILED, c.open(kp[0], counter, buf.clone(), 16, 80), "wrong direction");
        assertEquals(TransportCipher.FAILED, c.open(kp[1], counter, buf.clone(), 16, 15), "shorter than a tag");
        assertEquals(64, c.open(kp[1], counter, buf, 16, 80));
    }

    @Test
    void replayedAndTooOldCountersAreDropped() throws Exception {
        Pair p = pair(null);
        TransportKeypair[] kp = handshake(p.initiator(), p.responder(), 1, 2);
        TransportCipher cs = new TransportCipher();
        TransportCipher cr = new TransportCipher();
        byte[][] packets = new byte[ReplayWindow.WINDOW_SIZE + 200][];
        for (int i = 0; i < packets.length; i++) {
            long counter = kp[0].nextSendCounter();
            assertEquals(i, counter);
            byte[] b = new byte[32];
            cs.seal(kp[0], counter, b, 0, 16);
            packets[i] = b;
        }
        // Newest first; then the oldest, now outside the window; then a replay.
        int newest = packets.length - 1;
        assertEquals(16, cr.open(kp[1], newest, packets[newest].clone(), 0, 32));
        assertTrue(kp[1].acceptCounter(newest));
        assertEquals(16, cr.open(kp[1], 0, packets[0].clone(), 0, 32), "authentic...");
        assertFalse(kp[1].acceptCounter(0), "...but outside the window");
        int inside = newest - ReplayWindow.WINDOW_SIZE;
        assertEquals(16, cr.open(kp[1], inside, packets[inside].clone(), 0, 32));
        assertTrue(kp[1].acceptCounter(inside));
        assertEquals(16, cr.open(kp[1], inside, packets[inside].clone(), 0, 32));
        assertFalse(kp[1].acceptCounter(inside), "replay");
        assertFalse(kp[1].acceptCounter(newest), "replay of the newest");
    }

    @Test
    void initiationResultAndToStringsHideSecrets() throws Exception {
        Pair p = pair(null);
        byte[] m1 = new byte[148];
        p.initiator().createInitiation(9, m1, 0);
        InitiationResult r = Handshake.consumeInitiation(bob, m1, 0);
        assertTrue(r.toString().contains(Keys.toBase64(alice.publicKey())));
        r.destroy();
        assertTrue(Arrays.equals(new byte[32], r.chainingKey));
    }

    static void assertReason(HandshakeException.Reason reason, Executable call) {
        HandshakeException e = assertThrows(HandshakeException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        assertEquals(0, e.getStackTrace().length, "no stack trace for an expected rejection");
        assertFalse(e.getMessage().contains("\n"));
    }
}
