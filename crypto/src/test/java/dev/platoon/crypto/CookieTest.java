package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class CookieTest {
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final StaticIdentity alice = StaticIdentity.generate();
    final StaticIdentity bob = StaticIdentity.generate();
    final byte[] aliceSource = {(byte) 192, 0, 2, 1, (byte) 0xca, 0x6c};
    final byte[] otherSource = {(byte) 192, 0, 2, 9, (byte) 0xca, 0x6c};

    final CookieGenerator aliceToBob = new CookieGenerator(bob.publicKey(), nanos::get);
    final CookieChecker bobChecker = new CookieChecker(bob, nanos::get, new SecureRandom());

    byte[] initiation(int sender) throws HandshakeException {
        byte[] m = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        new Handshake(alice, bob.publicKey(), null, InstantSource.system()).createInitiation(sender, m, 0);
        return m;
    }

    void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void mac1IsAddedAndChecked() throws Exception {
        byte[] m = initiation(1);
        assertFalse(bobChecker.checkMac1(m, m.length), "zero mac1");
        aliceToBob.addMacs(m, m.length);
        assertTrue(bobChecker.checkMac1(m, m.length));
        assertArrayEquals(new byte[16], Arrays.copyOfRange(m, Protocol.INITIATION_MAC2, 148), "no cookie: mac2 zero");
        for (int i = 0; i < Protocol.INITIATION_MAC2; i += 11) {
            byte[] bad = m.clone();
            bad[i] ^= 1;
            assertFalse(bobChecker.checkMac1(bad, bad.length), "byte " + i);
        }
        // mac1 made for another public key
        CookieChecker aliceChecker = new CookieChecker(alice, nanos::get, new SecureRandom());
        assertFalse(aliceChecker.checkMac1(m, m.length));
        assertFalse(bobChecker.checkMac1(m, 147), "wrong length");
        assertFalse(bobChecker.checkMac1(Arrays.copyOf(m, 100), 0, 148), "short array");
    }

    @Test
    void mac1OnResponses() throws Exception {
        byte[] r = new byte[Protocol.MESSAGE_RESPONSE_SIZE];
        Arrays.fill(r, (byte) 3);
        new CookieGenerator(alice.publicKey(), nanos::get).addMacs(r, r.length);
        assertTrue(new CookieChecker(alice, nanos::get, new SecureRandom()).checkMac1(r, r.length));
        assertFalse(bobChecker.checkMac1(r, r.length));
    }

    @Test
    void cookieReplyRoundTripAndMac2() throws Exception {
        byte[] m = initiation(0x01020304);
        aliceToBob.addMacs(m, m.length);
        assertTrue(bobChecker.checkMac1(m, m.length));
        assertFalse(bobChecker.checkMac2(m, m.length, aliceSource), "no mac2 yet");

        byte[] reply = new byte[Protocol.MESSAGE_COOKIE_REPLY_SIZE];
        bobChecker.createReply(m, m.length, 0x01020304, aliceSource, reply);
        assertEquals(Protocol.MESSAGE_COOKIE_REPLY, reply[0]);
        assertEquals(0x01020304, Protocol.readIntLE(reply, Protocol.COOKIE_REPLY_RECEIVER));

        byte[] tampered = reply.clone();
        tampered[40] ^= 1;
        assertFalse(aliceToBob.consumeReply(tampered, 0));
        assertTrue(aliceToBob.consumeReply(reply, 0));
        assertFalse(aliceToBob.consumeReply(reply, 0), "only one reply per mac1 sent");
        assertTrue(aliceToBob.hasFreshCookie());

        advance(Duration.ofMillis(100));
        byte[] m2 = initiation(7);
        aliceToBob.addMacs(m2, m2.length);
        assertTrue(bobChecker.checkMac1(m2, m2.length));
        assertTrue(bobChecker.checkMac2(m2, m2.length, aliceSource));
        assertFalse(bobChecker.checkMac2(m2, m2.length, otherSource), "cookie is bound to the source");
        byte[] bad = m2.clone();
        bad[Protocol.INITIATION_MAC2 + 3] ^= 1;
        assertFalse(bobChecker.checkMac2(bad, bad.length, aliceSource));
    }

    @Test
    void replyToAnotherMac1IsRefused() throws Exception {
        byte[] m = initiation(1);
        aliceToBob.addMacs(m, m.length);
        byte[] reply = new byte[64];
        bobChecker.createReply(m, m.length, 1, aliceSource, reply);
        byte[] newer = initiation(2);
        aliceToBob.addMacs(newer, newer.length); // a newer mac1 replaces the one the reply answers
        assertFalse(aliceToBob.consumeReply(reply, 0));
        CookieGenerator fresh = new CookieGenerator(bob.publicKey(), nanos::get);
        assertFalse(fresh.consumeReply(reply, 0), "no mac1 sent at all");
    }

    @Test
    void receivedCookieExpiresAfterCookieRefreshTime() throws Exception {
        byte[] m = initiation(1);
        aliceToBob.addMacs(m, m.length);
        byte[] reply = new byte[64];
        bobChecker.createReply(m, m.length, 1, aliceSource, reply);
        assertTrue(aliceToBob.consumeReply(reply, 0));
        advance(Protocol.COOKIE_REFRESH_TIME.minusSeconds(1));
        assertTrue(aliceToBob.hasFreshCookie());
        advance(Duration.ofSeconds(2));
        assertFalse(aliceToBob.hasFreshCookie());
        byte[] later = initiation(2);
        aliceToBob.addMacs(later, later.length);
        assertArrayEquals(new byte[16], Arrays.copyOfRange(later, Protocol.INITIATION_MAC2, 148), "expired: mac2 zero");
    }

    @Test
    void checkerSecretRotatesEveryCookieRefreshTime() throws Exception {
        byte[] m = initiation(1);
        aliceToBob.addMacs(m, m.length);
        byte[] reply = new byte[64];
        bobChecker.createReply(m, m.length, 1, aliceSource, reply);
        assertTrue(aliceToBob.consumeReply(reply, 0));
        byte[] m2 = initiation(2);
        aliceToBob.addMacs(m2, m2.length);
        assertTrue(bobChecker.checkMac2(m2, m2.length, aliceSource));

        advance(Protocol.COOKIE_REFRESH_TIME.plusSeconds(1));
        assertFalse(bobChecker.checkMac2(m2, m2.length, aliceSource), "secret expired");
        // A reply now makes a new secret: the old mac2 stays invalid, a new cookie works.
        byte[] m3 = initiation(3);
        aliceToBob.addMacs(m3, m3.length); // the old cookie has expired at alice too: mac2 zero
        byte[] reply2 = new byte[64];
        bobChecker.createReply(m3, m3.length, 3, aliceSource, reply2);
        assertFalse(bobChecker.checkMac2(m2, m2.length, aliceSource), "old cookie under new secret");
        assertTrue(aliceToBob.consumeReply(reply2, 0));
        byte[] m4 = initiation(4);
        aliceToBob.addMacs(m4, m4.length);
        assertTrue(bobChecker.checkMac2(m4, m4.length, aliceSource));

        bobChecker.close();
        assertFalse(bobChecker.checkMac2(m4, m4.length, aliceSource), "secret wiped");
        aliceToBob.clear();
        assertFalse(aliceToBob.hasFreshCookie());
    }
}
