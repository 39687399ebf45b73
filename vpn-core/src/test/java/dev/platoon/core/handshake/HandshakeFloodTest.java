package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;

import dev.platoon.core.handshake.MemoryNetwork.Node;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Protocol;

/**
 * A flood of initiations with a valid MAC1 — anyone who knows a device's public key can make them —
 * against the admission rules: the queue never fills with them, cookie replies stay within their
 * limits, and a legitimate peer still completes its handshake in the middle of the flood.
 */
class HandshakeFloodTest {
    private static final long S = 1_000_000_000L;

    private final MemoryNetwork net = new MemoryNetwork();
    private final Random random = new Random(20);

    /** A fresh initiation from nobody we know, with the MAC1 {@code victim} expects. */
    private ByteBuffer forged(Node victim) {
        byte[] b = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        random.nextBytes(b);
        Protocol.writeIntLE(b, 0, Protocol.MESSAGE_INITIATION); // the type, and three zero bytes
        new CookieGenerator(victim.identity.publicKey()).addMacs(b, b.length);
        return ByteBuffer.wrap(b);
    }

    private static InetSocketAddress source(int lastOctet, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, (byte) lastOctet}), port);
    }

    @Test
    void aFloodFromOneSourceFillsAnEighthOfTheQueueAndIsAnsweredWithinItsLimit() throws Exception {
        Node b = net.node(2, ProtocolTimings.DEFAULT);
        InetSocketAddress attacker = source(66, 40000);
        int flood = 10_000;
        for (int i = 0; i < flood; i++) {
            assertTrue(b.worker.submit(forged(b), attacker));
        }
        HandshakeCounters c = b.worker.counters();
        assertEquals(HandshakeWorker.QUEUE_CAPACITY / 8, b.worker.pendingMessages(), "queued until under load");
        assertEquals(0, c.drops(Drop.HANDSHAKE_QUEUE_FULL));
        assertEquals(RateLimiter.PACKETS_BURSTABLE, c.cookieRepliesSent.sum(), "one source's burst (frozen clock)");
        assertEquals(flood - HandshakeWorker.QUEUE_CAPACITY / 8 - RateLimiter.PACKETS_BURSTABLE,
                c.drops(Drop.COOKIE_REPLY_LIMITED));
        assertTrue(b.worker.isUnderLoad());
    }

    @Test
    void manySourcesShareTheDevicesCookieBudget() throws Exception {
        Node b = net.node(2, ProtocolTimings.DEFAULT);
        b.worker.forceUnderLoad(true);
        for (int i = 0; i < 20_000; i++) {
            b.worker.submit(forged(b), source(1 + i % 254, 1024 + i));
        }
        long replies = b.worker.counters().cookieRepliesSent.sum();
        assertEquals(HandshakeAdmission.COOKIE_REPLIES_PER_SECOND / 10, replies, "the device's burst (frozen clock)");
        assertEquals(0, b.worker.pendingMessages(), "nothing without a cookie is queued under load");
        net.clock.addAndGet(S);
        for (int i = 0; i < 20_000; i++) {
            b.worker.submit(forged(b), source(1 + i % 254, 1024 + i));
        }
        long second = b.worker.counters().cookieRepliesSent.sum() - replies;
        assertTrue(second <= HandshakeAdmission.COOKIE_REPLIES_PER_SECOND / 10, "refilled to at most the burst: " + second);
    }

    @Test
    void aLegitimatePeerHandshakesThroughTheFlood() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        Peer aToB = a.connect(b, true);
        b.connect(a, false);
        InetSocketAddress attacker = source(66, 40000);
        // Before every handshake message b receives, 2,000 forged initiations reach it first: more than
        // its whole queue, every time.
        net.beforeHandshakeDelivery = d -> {
            if (d.to().equals(b.address)) {
                for (int i = 0; i < 2 * HandshakeWorker.QUEUE_CAPACITY; i++) {
                    b.worker.submit(forged(b), attacker);
                }
            }
        };
        aToB.stage(MemoryNetwork.packet(1));
        net.deliverAll();
        assertEquals(1, a.worker.counters().cookiesReceived.sum(), "a was asked for a cookie");
        net.run(7 * S); // a's retry, now with MAC2, is admitted past the flood
        assertEquals(1, b.received.size(), "the staged packet arrived after the handshake");
        assertEquals(0, b.worker.counters().drops(Drop.HANDSHAKE_QUEUE_FULL));
        assertTrue(b.worker.counters().drops(Drop.COOKIE_REPLY_LIMITED) > 0);
    }
}
