package dev.platoon.core.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.platoon.testkit.Libc;

/** A queue loop with a socketpair standing in for the tun queue: flush policy and backpressure wiring. */
class QueueLoopTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private QueueLoops loops;
    private final TransportCounters counters = new TransportCounters();
    private final CollectingSink rxSink = new CollectingSink();
    private UdpBind rx;
    private UdpBind tx;
    private QueueLoop queue;
    private TunQueueHandle queueHandle;
    private TunQueueHandle peer;     // the "kernel" side of the fake tun queue
    private int queueFd = -1;        // owned by the test, as a TunQueue would own it
    private InetSocketAddress to;

    /** The data path stand-in: every frame becomes one datagram, never flushed by itself. */
    private final class Forwarder implements TunFrameSink {
        @Override
        public void frame(ByteBuffer buf, int offset, int length) {
            ByteBuf out = tx.sender(0).channel().alloc().directBuffer(length);
            out.writeBytes(buf.duplicate().clear().position(offset).limit(offset + length));
            tx.sender(0).sendDatagram(out, to);
        }

        @Override
        public void batchEnd() {
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        loops = QueueLoops.create(2, "queue-test");
        rx = UdpBind.open(loops.loops().subList(1, 2), InetAddress.getLoopbackAddress(), 0, UdpOptions.defaults(),
                counters, i -> rxSink);
        to = new InetSocketAddress(InetAddress.getLoopbackAddress(), rx.localPort());
    }

    private void startQueue(UdpOptions txOptions) throws Exception {
        tx = UdpBind.open(loops.loops().subList(0, 1), InetAddress.getLoopbackAddress(), 0, txOptions, counters,
                i -> new CollectingSink());
        int[] pair = Libc.packetPair();
        queueFd = pair[0];
        queueHandle = new TunQueueHandle(pair[0], false, counters);
        queue = new QueueLoop(loops.loop(0), tx.sender(0), queueHandle, new Forwarder());
        peer = new TunQueueHandle(pair[1], true, new TunQueueHandleTest.FrameLog(), counters);
        queue.start().sync();
    }

    @AfterEach
    void tearDown() {
        if (queue != null) {
            queue.close();
            assertTrue(queueHandle.isClosed());
            Libc.close(queueFd);   // still open after the loop closed: the loop did not own it
        }
        if (peer != null) {
            peer.close();
        }
        if (tx != null) {
            tx.close();
        }
        rx.close();
        loops.close();
    }

    private static ByteBuffer frame(int len, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(len);
        for (int i = 0; i < len; i++) {
            b.put(i, (byte) (seed + i));
        }
        return b;
    }

    @Test
    void framesWrittenDuringABatchAreFlushedAtItsEnd() throws Exception {
        startQueue(UdpOptions.defaults());
        ByteBuffer f = frame(700, 9);
        assertTrue(peer.writeFrame(f, 0, 700));
        CollectingSink.await("the datagram", WAIT, () -> rxSink.count() == 1);
        byte[] expect = new byte[700];
        f.get(0, expect);
        assertArrayEquals(expect, rxSink.datagrams().get(0));
        assertEquals(0, counters.tunReadPauses.sum());
    }

    @Test
    void unwritableChannelPausesTunReadingAndDrainResumesIt() throws Exception {
        startQueue(UdpOptions.defaults().withWaterMarks(1, 2));    // any pending datagram crosses the mark
        TrainSender s = tx.sender(0);
        boolean pausedAfterWrite = loops.loop(0).submit(() -> {
            ByteBuf b = s.channel().alloc().directBuffer(100).writeZero(100);
            s.sendDatagram(b, to);                                  // queued, not flushed: unwritable
            return !s.channel().isWritable() && queueHandle.isReadingPaused();
        }).get();
        assertTrue(pausedAfterWrite, "tun reading paused when the channel became unwritable");
        assertEquals(1, counters.tunReadPauses.sum());

        loops.loop(0).submit(s::flush).sync();
        CollectingSink.await("resume after drain", WAIT, () -> {
            try {
                return loops.loop(0).submit(() -> !queueHandle.isReadingPaused()).get();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });

        // The full path under constant backpressure: every frame pauses reading, each flush resumes it.
        for (int i = 0; i < 5; i++) {
            assertTrue(peer.writeFrame(frame(300, i), 0, 300));
        }
        CollectingSink.await("6 datagrams", WAIT, () -> rxSink.count() == 6);
        assertTrue(counters.tunReadPauses.sum() >= 2, "paused again: " + counters.tunReadPauses.sum());
        assertFalse(loops.loop(0).submit(() -> queueHandle.isReadingPaused()).get());
    }
}
