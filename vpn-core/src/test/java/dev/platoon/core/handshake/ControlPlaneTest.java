package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;

import dev.platoon.core.handshake.MemoryNetwork.Node;
import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.crypto.Protocol;

import org.junit.jupiter.api.Test;

/** Two control planes over an in-memory network: handshake, staged data, cookies, retries, rekey. */
class ControlPlaneTest {
    private static final long S = 1_000_000_000L;

    private final MemoryNetwork net = new MemoryNetwork();

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(b.position(), out);
        return out;
    }

    @Test
    void initiationResponseAndStagedPacketArriveDecrypted() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        Peer aToB = a.connect(b, true);
        Peer bToA = b.connect(a, false);
        long now = net.clock.get();
        assertNull(aToB.sendKeypair(now));

        assertTrue(aToB.stage(MemoryNetwork.packet(7)));
        net.deliverAll();

        assertEquals(1, net.count(a.address, Protocol.MESSAGE_INITIATION));
        assertEquals(1, net.count(b.address, Protocol.MESSAGE_RESPONSE));
        assertEquals(1, b.received.size(), "A's staged packet reached B");
        assertArrayEquals(bytes(MemoryNetwork.packet(7)), b.received.get(0));

        IndexEntry ak = aToB.currentEntry(), bk = bToA.currentEntry();
        assertNotNull(ak, "initiator: current at once");
        assertNotNull(bk, "responder: next became current on the first packet");
        assertNull(bToA.nextEntry());
        assertEquals(ak.keypair().localIndex(), bk.keypair().remoteIndex());
        assertEquals(ak.keypair().remoteIndex(), bk.keypair().localIndex());
        assertTrue(ak.keypair().isInitiator());
        assertFalse(bk.keypair().isInitiator());
        assertSame(ak, a.worker.indexTable().lookup(ak.keypair().localIndex()));
        assertEquals(a.address, bToA.endpoint(), "B learnt A's endpoint from the initiation");
        assertNotNull(bToA.sendKeypair(now));
        assertEquals(1, aToB.counters().handshakesCompleted.sum());
        assertEquals(1, bToA.counters().handshakesCompleted.sum());
        assertTrue(aToB.counters().lastHandshakeEpochSecond() >= 1_700_000_000L);
        assertEquals(0, aToB.staged().size());
        assertEquals(1, a.worker.indexTable().size(), "handshake index became the keypair's");
    }

    @Test
    void responderDoesNotSendBeforeConfirmation() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        a.connect(b, true);
        Peer bToA = b.connect(a, false);
        net.loss = d -> d.type() == Protocol.MESSAGE_RESPONSE; // A never hears back
        a.peerFor(b).requestHandshake(net.clock.get());
        net.deliverAll();
        assertNotNull(bToA.nextEntry());
        assertNull(bToA.sendKeypair(net.clock.get()), "responder keypair waits in next");
    }

    @Test
    void underLoadCookieReplyThenRetryWithMac2Succeeds() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        Peer aToB = a.connect(b, true);
        b.connect(a, false);
        b.worker.forceUnderLoad(true);

        aToB.stage(MemoryNetwork.packet(1));
        net.deliverAll();
        assertEquals(1, b.worker.counters().cookieRepliesSent.sum(), "no MAC2: cookie reply");
        assertEquals(0, net.count(b.address, Protocol.MESSAGE_RESPONSE));
        assertEquals(1, a.worker.counters().cookiesReceived.sum());
        assertTrue(aToB.cookieGenerator().hasFreshCookie());

        net.run(6 * S); // the retransmit timer sends a new initiation, now with MAC2
        assertEquals(2, net.count(a.address, Protocol.MESSAGE_INITIATION));
        assertEquals(1, net.count(b.address, Protocol.MESSAGE_RESPONSE));
        assertEquals(1, b.worker.counters().cookieRepliesSent.sum());
        assertEquals(1, b.received.size(), "staged packet delivered after the cookie round");
    }

    @Test
    void invalidMac1IsDroppedAndCounted() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        a.connect(b, true);
        b.connect(a, false);
        net.loss = d -> {
            d.bytes()[Protocol.INITIATION_MAC1] ^= 1; // tamper, then deliver
            return false;
        };
        a.peerFor(b).requestHandshake(net.clock.get());
        net.deliverAll();
        assertEquals(1, b.worker.counters().drops(Drop.INVALID_MAC1));
        assertEquals(0, net.count(b.address, Protocol.MESSAGE_RESPONSE));
    }

    @Test
    void retransmitsThenGivesUpAndFlushesStaged() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        Peer aToB = a.connect(b, true);
        b.connect(a, false);
        net.loss = d -> true; // B is unreachable
        aToB.stage(MemoryNetwork.packet(1));
        aToB.stage(MemoryNetwork.packet(2));
        net.deliverAll();
        assertEquals(1, net.count(a.address, Protocol.MESSAGE_INITIATION));

        net.run(30 * S);
        long at30 = net.count(a.address, Protocol.MESSAGE_INITIATION);
        assertTrue(at30 >= 6 && at30 <= 7, "about one per REKEY_TIMEOUT + jitter: " + at30);
        assertEquals(2, aToB.staged().size(), "still waiting");

        net.run(80 * S);
        assertEquals(20, net.count(a.address, Protocol.MESSAGE_INITIATION), "1 + 19 retries, then give up");
        assertEquals(0, aToB.staged().size());
        assertEquals(2, aToB.counters().drops(Drop.PEER_HANDSHAKE_GAVE_UP));
        assertEquals(1, aToB.counters().handshakesFailed.sum());
        net.run(20 * S);
        assertEquals(20, net.count(a.address, Protocol.MESSAGE_INITIATION), "no more after giving up");
    }

    @Test
    void initiatorRekeysAfterShortenedRekeyAfterTime() throws Exception {
        ProtocolTimings fast = ProtocolTimings.withRekeyAfter(Duration.ofSeconds(5));
        Node a = net.node(1, fast), b = net.node(2, fast);
        Peer aToB = a.connect(b, true);
        Peer bToA = b.connect(a, false);
        aToB.stage(MemoryNetwork.packet(1));
        net.deliverAll();
        IndexEntry first = aToB.currentEntry();
        assertNotNull(first);

        net.run(6 * S);
        aToB.stage(MemoryNetwork.packet(2)); // sent at once on the old key, then the rekey rule fires
        net.run(S);
        assertEquals(2, net.count(a.address, Protocol.MESSAGE_INITIATION));
        IndexEntry second = aToB.currentEntry();
        assertNotSame(first, second);
        assertSame(first, aToB.previousEntry(), "previous kept for packets in flight");
        // A's keepalive right after the response confirmed the new key at B (wireguard-go does the same).
        assertNull(bToA.nextEntry());
        assertEquals(second.keypair().remoteIndex(), bToA.currentEntry().keypair().localIndex());

        aToB.stage(MemoryNetwork.packet(3));
        net.deliverAll();
        assertEquals(3, b.received.size());
        assertEquals(second.keypair().remoteIndex(), bToA.currentEntry().keypair().localIndex());
        assertNull(bToA.nextEntry());
    }

    @Test
    void keysAreZeroedAfterThreeRejectAfterTimes() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        Peer aToB = a.connect(b, true);
        b.connect(a, false);
        aToB.stage(MemoryNetwork.packet(1));
        net.deliverAll();
        assertNotNull(aToB.currentEntry());
        net.run(3 * ProtocolTimings.DEFAULT.rejectAfterTimeNanos() + S);
        assertNull(aToB.currentEntry());
        assertEquals(0, a.worker.indexTable().size());
    }

    @Test
    void fullQueueRefusesAndCounts() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT), b = net.node(2, ProtocolTimings.DEFAULT);
        a.connect(b, true).requestHandshake(net.clock.get());
        a.worker.runPending(); // a's initiation is out: its index is one a cookie reply may name
        int index = Protocol.readIntLE(net.sent.get(0).bytes(), Protocol.INITIATION_SENDER);
        byte[] reply = new byte[Protocol.MESSAGE_COOKIE_REPLY_SIZE];
        reply[0] = Protocol.MESSAGE_COOKIE_REPLY;
        Protocol.writeIntLE(reply, Protocol.COOKIE_REPLY_RECEIVER, index);
        for (int i = 0; i < HandshakeWorker.QUEUE_CAPACITY; i++) {
            assertTrue(a.worker.submit(ByteBuffer.wrap(reply), b.address));
        }
        assertTrue(a.worker.isUnderLoad());
        assertFalse(a.worker.submit(ByteBuffer.wrap(reply), b.address));
        assertEquals(1, a.worker.counters().drops(Drop.HANDSHAKE_QUEUE_FULL));
        a.worker.runPending();
        assertEquals(0, a.worker.pendingMessages());
        assertEquals(HandshakeWorker.QUEUE_CAPACITY, a.worker.counters().drops(Drop.INVALID_COOKIE_REPLY));
        assertTrue(a.worker.isUnderLoad(), "stays under load for a second after");
        net.clock.addAndGet(2 * S);
        assertFalse(a.worker.isUnderLoad());
    }

    @Test
    void cookieRepliesToIndicesNeverHandedOutAreRefusedBeforeTheQueue() throws Exception {
        Node a = net.node(1, ProtocolTimings.DEFAULT);
        byte[] junk = new byte[Protocol.MESSAGE_COOKIE_REPLY_SIZE];
        junk[0] = Protocol.MESSAGE_COOKIE_REPLY;
        for (int i = 0; i < 2 * HandshakeWorker.QUEUE_CAPACITY; i++) {
            assertTrue(a.worker.submit(ByteBuffer.wrap(junk), a.address));
        }
        assertEquals(0, a.worker.pendingMessages());
        assertEquals(2 * HandshakeWorker.QUEUE_CAPACITY, a.worker.counters().drops(Drop.UNKNOWN_INDEX));
        assertFalse(a.worker.isUnderLoad());
    }
}
