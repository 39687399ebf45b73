package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import dev.platoon.testkit.Libc;

/**
 * The tun handle over a unix SOCK_SEQPACKET socketpair: like a tun queue, it keeps message boundaries, so one read
 * is one frame, and it refuses writes with EAGAIN when the peer's queue is full.
 */
class TunQueueHandleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private QueueLoops loops;
    private final TransportCounters counters = new TransportCounters();
    private final FrameLog log = new FrameLog();
    private int[] pair;
    private TunQueueHandle reader;
    private TunQueueHandle writer;

    /** Copies frames and remembers batch sizes; the loop thread writes, the test thread reads. */
    static final class FrameLog implements TunFrameSink {
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> batches = new ArrayList<>();
        final List<Integer> offsets = new ArrayList<>();
        private int current;

        @Override
        public synchronized void frame(ByteBuffer buf, int offset, int length) {
            byte[] b = new byte[length];
            buf.get(offset, b);
            frames.add(b);
            offsets.add(offset);
            current++;
        }

        @Override
        public synchronized void batchEnd() {
            batches.add(current);
            current = 0;
        }

        synchronized int count() {
            return frames.size();
        }

        synchronized List<Integer> batches() {
            return new ArrayList<>(batches);
        }
    }

    @BeforeEach
    void setUp() {
        loops = QueueLoops.create(1, "tun-test");
        pair = Libc.packetPair();
    }

    @AfterEach
    void tearDown() {
        if (reader != null) {
            reader.close();
        }
        if (writer != null) {
            writer.close();
        }
        loops.close();
    }

    private static ByteBuffer frame(int len, int seed) {
        ByteBuffer b = ByteBuffer.allocateDirect(len + 8);
        for (int i = 0; i < len; i++) {
            b.put(4 + i, (byte) (seed * 31 + i));
        }
        return b;
    }

    private static byte[] bytes(ByteBuffer b, int off, int len) {
        byte[] out = new byte[len];
        b.get(off, out);
        return out;
    }

    @Test
    void framesArriveWholeAtTheHeadroomOffsetAndWritesAreCounted() throws Exception {
        reader = new TunQueueHandle(pair[0], true, log, counters);
        writer = new TunQueueHandle(pair[1], true, new FrameLog(), counters);
        reader.register(loops.loop(0)).sync();
        int[] sizes = {60, 1500, 12 + 65535 - 100};
        ByteBuffer[] sent = new ByteBuffer[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            sent[i] = frame(sizes[i], i);
            assertTrue(writer.writeFrame(sent[i], 4, sizes[i]));
        }
        CollectingSink.await("3 frames", WAIT, () -> log.count() == 3);
        for (int i = 0; i < sizes.length; i++) {
            assertArrayEquals(bytes(sent[i], 4, sizes[i]), log.frames.get(i), "frame " + i);
            assertEquals(TunQueueHandle.HEADROOM, log.offsets.get(i));
        }
        assertEquals(3, counters.tunFramesWritten.sum());
        assertEquals(3, counters.tunFramesRead.sum());
        assertEquals(3, log.batches().stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void readBudgetSplitsABacklogIntoBatches() throws Exception {
        reader = new TunQueueHandle(pair[0], true, log, counters, 2);
        writer = new TunQueueHandle(pair[1], true, new FrameLog(), counters);
        for (int i = 0; i < 5; i++) {            // queued before reading starts
            assertTrue(writer.writeFrame(frame(100, i), 4, 100));
        }
        reader.register(loops.loop(0)).sync();
        CollectingSink.await("5 frames", WAIT, () -> log.count() == 5);
        assertEquals(List.of(2, 2, 1), log.batches());
        assertEquals(3, counters.tunReadBatches.sum());
    }

    @Test
    void pausedQueueIsNotReadUntilResumed() throws Exception {
        reader = new TunQueueHandle(pair[0], true, log, counters);
        writer = new TunQueueHandle(pair[1], true, new FrameLog(), counters);
        reader.register(loops.loop(0)).sync();
        loops.loop(0).submit(reader::pauseReading).sync();
        assertTrue(loops.loop(0).submit(reader::isReadingPaused).get());
        for (int i = 0; i < 4; i++) {
            assertTrue(writer.writeFrame(frame(200, i), 4, 200));
        }
        // A bounded observation window, not synchronisation: nothing may arrive while paused.
        long until = System.nanoTime() + Duration.ofMillis(200).toNanos();
        while (System.nanoTime() < until) {
            assertEquals(0, log.count(), "read while paused");
            Thread.sleep(10);
        }
        reader.resumeReading();    // from a foreign thread: hops onto the loop
        CollectingSink.await("4 frames after resume", WAIT, () -> log.count() == 4);
        assertEquals(1, counters.tunReadPauses.sum());
    }

    @Test
    void writeToAFullQueueIsACountedDropNotABlock() {
        writer = new TunQueueHandle(pair[1], true, new FrameLog(), counters);
        ByteBuffer f = frame(1000, 1);
        int ok = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (writer.writeFrame(f, 4, 1000)) {   // nobody reads pair[0]
            ok++;
            assertTrue(System.nanoTime() < deadline, "queue never filled");
        }
        assertTrue(ok > 0);
        assertEquals(1, counters.drops(Drop.TUN_WRITE_EAGAIN));
        assertEquals(ok, counters.tunFramesWritten.sum());
        Libc.close(pair[0]);
    }

    @Test
    void writeToAClosedFdIsACountedError() {
        writer = new TunQueueHandle(pair[1], true, new FrameLog(), counters);
        writer.close();
        assertFalse(writer.writeFrame(frame(10, 1), 4, 10));
        assertEquals(1, counters.drops(Drop.TUN_WRITE_ERROR));
        Libc.close(pair[0]);
    }

    @Test
    void peerGoneStopsReadingInsteadOfSpinning() throws Exception {
        reader = new TunQueueHandle(pair[0], true, log, counters);
        reader.register(loops.loop(0)).sync();
        Libc.close(pair[1]);
        CollectingSink.await("read error", WAIT, () -> counters.drops(Drop.TUN_READ_ERROR) == 1);
        // The loop still runs tasks, and the error is not reported again and again.
        for (int i = 0; i < 20; i++) {
            loops.loop(0).submit(() -> { }).sync();
        }
        assertEquals(1, counters.drops(Drop.TUN_READ_ERROR));
    }

    @Test
    void fdIsMadeNonBlocking() {
        reader = new TunQueueHandle(pair[0], true, log, counters);
        assertTrue(LinuxFd.isNonBlocking(pair[0]));
        Libc.close(pair[1]);
    }
}
