package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.crypto.CookieGenerator;
import dev.platoon.crypto.Keys;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.StaticIdentity;

/** The load section of {@code platoon show} and the two log lines, from a worker driven in memory. */
class LoadWatchTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final InstantSource wall = () -> Instant.ofEpochSecond(1_800_000_000L).plusNanos(nanos.get());
    private final HandshakeWorker worker = new HandshakeWorker(new StaticIdentity(Keys.generatePrivateKey()),
            (m, to) -> { }, ProtocolTimings.DEFAULT, nanos::get, wall, 0);
    private final AtomicLong rcvbuf = new AtomicLong(100);
    private final LoadWatch watch = new LoadWatch("wg0", worker,
            new LoadWatch.KernelLoss(rcvbuf::get, () -> 7), wall);
    private final Logger log = Logger.getLogger(LoadWatch.class.getName());
    private final List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    LoadWatchTest() {
        log.addHandler(capture);
    }

    @AfterEach
    void close() {
        log.removeHandler(capture);
        worker.close();
    }

    @Test
    void idleSaysSoAndNamesTheKernelCounters() {
        watch.tick();
        String show = String.join("\n", watch.lines(wall.instant()));
        assertTrue(show.contains("under handshake load: no (never)"), show);
        assertTrue(show.contains("handshake queue: 0 of " + HandshakeWorker.QUEUE_CAPACITY), show);
        assertTrue(show.contains("kernel drops: UDP receive buffer 100, tun queue (tx_dropped) 7"), show);
        assertEquals(List.of(), logged);
    }

    @Test
    void aFloodOfQueuedInitiationsIsAnEpisodeWithABeginningAndAnEnd() {
        // 1/8 of the queue filled with (unprocessed) initiations: the worker is under load.
        for (int i = 0; i < HandshakeWorker.QUEUE_CAPACITY / 8; i++) {
            assertTrue(worker.submit(initiation(), new InetSocketAddress("192.0.2.9", 40000 + i)));
        }
        watch.tick();
        assertNotNull(watch.underLoadSince());
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).startsWith("WARNING wg0: under handshake load since "), logged.get(0));
        String during = String.join("\n", watch.lines(wall.instant().plusSeconds(3)));
        assertTrue(during.contains("under handshake load: yes, since "), during);
        assertTrue(during.contains("(3 s)"), during);
        assertTrue(during.contains("handshake queue: " + HandshakeWorker.QUEUE_CAPACITY / 8 + " of "), during);

        worker.runPending();           // the queue drains (the fake initiations fail to decrypt and are counted)
        rcvbuf.addAndGet(40);          // meanwhile the kernel dropped 40 datagrams
        nanos.addAndGet(1_500_000_000L); // and the second of grace is over
        watch.tick();
        assertNull(watch.underLoadSince());
        assertEquals(2, logged.size(), logged.toString());
        assertTrue(logged.get(1).startsWith("INFO wg0: handshake load ended after 1 s: 0 cookie replies sent, "
                + "0 handshake messages dropped (queue full), 40 datagrams dropped by the kernel"), logged.get(1));
        String after = String.join("\n", watch.lines(wall.instant()));
        assertTrue(after.contains("under handshake load: no (last: "), after);
        assertTrue(after.contains("40 datagrams dropped by the kernel"), after);
    }

    /** An initiation that passes MAC1 (anyone who knows the public key can make one) and nothing after. */
    private ByteBuffer initiation() {
        byte[] b = new byte[Protocol.MESSAGE_INITIATION_SIZE];
        b[0] = Protocol.MESSAGE_INITIATION;
        new CookieGenerator(worker.identity().publicKey()).addMacs(b, b.length);
        return ByteBuffer.wrap(b);
    }
}
