package dev.platoon.core.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerCounters;
import dev.platoon.crypto.Keys;
import dev.platoon.crypto.StaticIdentity;

class PeerRunTest {
    private final HandshakeWorker worker = new HandshakeWorker(new StaticIdentity(Keys.generatePrivateKey()), (m, to) -> { });
    private final Peer a = worker.addPeer(Keys.publicKey(Keys.generatePrivateKey()), null);
    private final Peer b = worker.addPeer(Keys.publicKey(Keys.generatePrivateKey()), null);

    @AfterEach
    void close() {
        worker.close();
    }

    @Test
    void aRunReachesThePeerOnlyWhenItEnds() {
        PeerRun run = new PeerRun(PeerRun.Direction.RECEIVED);
        run.add(a, 1, 1, 100, true);
        run.add(a, 2, 1, 200, false);
        run.add(a, 3, 1, 300, true);
        assertCounts(a.counters(), 0, 0, 0, 0);
        run.flush();
        assertCounts(a.counters(), 3, 600, 0, 0);
        run.flush(); // nothing more: a second flush adds nothing
        assertCounts(a.counters(), 3, 600, 0, 0);
    }

    @Test
    void anotherPeerEndsTheRun() {
        PeerRun run = new PeerRun(PeerRun.Direction.SENT);
        run.add(a, 1, 2, 100, true);
        run.add(b, 1, 3, 70, true);
        assertCounts(a.counters(), 0, 0, 2, 100);
        assertCounts(b.counters(), 0, 0, 0, 0);
        run.add(a, 2, 1, 5, true);
        assertCounts(b.counters(), 0, 0, 3, 70);
        run.flush();
        assertCounts(a.counters(), 0, 0, 3, 105);
        assertCounts(b.counters(), 0, 0, 3, 70);
    }

    private static void assertCounts(PeerCounters c, long rxPackets, long rxBytes, long txPackets, long txBytes) {
        assertEquals(rxPackets, c.rxPackets.sum(), "rx packets");
        assertEquals(rxBytes, c.rxBytes.sum(), "rx bytes");
        assertEquals(txPackets, c.txPackets.sum(), "tx packets");
        assertEquals(txBytes, c.txBytes.sum(), "tx bytes");
    }
}
