package dev.platoon.tun.uring;

import dev.platoon.tun.GroCoalescer;
import dev.platoon.tun.GsoSplitter;
import dev.platoon.tun.Ipv4Header;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.SegmentSlots;
import dev.platoon.tun.SplitResult;
import dev.platoon.tun.TunDevice;
import dev.platoon.tun.TunException;
import dev.platoon.tun.VirtioNetHdr;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The {@link dev.platoon.tun.Reflector} echo loop with its tun queue driven through io_uring
 * instead of poll + read + write: {@code depth} reads stay in flight on the queue fd, their
 * completions are reaped in batches, and writes are queued as SQEs and submitted together with
 * the next wait, so a busy cycle costs one {@code io_uring_enter} where the poll loop makes one
 * poll, a read per frame plus the read that finds the queue empty, and a write per frame.
 *
 * <p>Buffer lifetimes: a frame buffer and its segment slots are not read into again until every
 * write out of them has completed. A frame the {@link GroCoalescer} writes from its own buffers
 * (trains, or a copy) is only valid during the call, so that write is submitted and completed at
 * once. One instance per queue and thread; the ring is made on the thread that runs it.
 */
public final class UringReflector implements Runnable {
    private static final long READ = 1L << 32, WRITE = 2L << 32, CANCEL = 3L << 32, KIND = 0xffL << 32;
    private static final int FOREIGN = 0xffff;
    private static final int FRAME_CAPACITY = VirtioNetHdr.SIZE + 65535 + 64;
    private static final long WAIT_NANOS = 50_000_000L;

    private final TunDevice device;
    private final int queue;
    private final boolean coalesce;
    private final long deadlineNanos;
    private final int depth;
    private final IoUring.SetupCall setup;
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SplitResult result = new SplitResult(128);
    private final ByteBuffer[] frames;
    private final long[] frameAddr;
    private final SegmentSlots[] slots;
    private final ByteBuffer[] slotBuf;
    private final long[] slotAddr;
    private final int[] writesOn;
    private final boolean[] rearm;
    private final int[] readyIndex, readyResult;
    private final GroCoalescer gro;
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private ByteBuffer foreignBuf;
    private long foreignAddr;
    private IoUring ring;
    private int fd, readsInFlight, writesInFlight, readyCount;
    private volatile boolean running = true;

    /** Plain fields: read them after the thread has been joined. */
    public long framesRead, trainsRead, segmentsRead, bytesRead, framesWritten, dropped, writeErrors, readErrors,
            enters;
    public volatile String lastError;

    /**
     * @param coalesce write trains back (needs offloads); false writes every segment on its own
     * @param depth reads kept in flight (each owns a 64 KiB frame buffer and its segment slots)
     * @param maxNanos run at most this long
     */
    public UringReflector(TunDevice device, int queue, boolean coalesce, int depth, long maxNanos) {
        this(device, queue, coalesce, depth, maxNanos, IoUring.KERNEL);
    }

    UringReflector(TunDevice device, int queue, boolean coalesce, int depth, long maxNanos, IoUring.SetupCall setup) {
        if (depth < 1 || depth > 64) {
            throw new IllegalArgumentException("io_uring read depth " + depth + " outside 1..64");
        }
        this.device = device;
        this.queue = queue;
        this.coalesce = coalesce;
        this.depth = depth;
        this.setup = setup;
        this.deadlineNanos = System.nanoTime() + maxNanos;
        frames = new ByteBuffer[depth];
        frameAddr = new long[depth];
        slots = new SegmentSlots[depth];
        slotBuf = new ByteBuffer[depth];
        slotAddr = new long[depth];
        writesOn = new int[depth];
        rearm = new boolean[depth];
        readyIndex = new int[depth];
        readyResult = new int[depth];
        for (int i = 0; i < depth; i++) {
            frames[i] = ByteBuffer.allocateDirect(FRAME_CAPACITY);
            frameAddr[i] = MemorySegment.ofBuffer(frames[i]).address();
            slots[i] = new SegmentSlots(128, 9000);
            slotBuf[i] = slots[i].buffer(0);
            slotAddr[i] = MemorySegment.ofBuffer(slotBuf[i]).address();
        }
        gro = new GroCoalescer(device.offloads().uso(), this::writeFrame);
    }

    public void stop() { running = false; }

    @Override
    public void run() {
        fd = device.queue(queue).fd();
        try (IoUring r = IoUring.open(Math.max(64, Integer.highestOneBit(depth * 4)), setup)) {
            ring = r;
            for (int i = 0; i < depth; i++) {
                armRead(i);
            }
            loop();
            drain();
        } catch (TunException e) {
            lastError = e.getMessage();
        } finally {
            ring = null;
        }
    }

    private void loop() throws TunException {
        while (running && System.nanoTime() < deadlineNanos) {
            if (readyCount == 0) {
                // Submits the queued writes and re-armed reads, then waits for them and one read.
                enter(writesInFlight + 1, WAIT_NANOS);
            }
            int n = readyCount;
            readyCount = 0;
            for (int k = 0; k < n; k++) {
                int i = readyIndex[k], res = readyResult[k];
                if (res > 0) {
                    handle(i, res);
                } else if (res != -Sys.ECANCELED) {
                    readErrors++;
                    lastError = "tun queue " + queue + ": io_uring read failed: " + Sys.describe(-res);
                    if (res == -Sys.EBADF) {
                        return;
                    }
                }
                rearm[i] = true;
            }
            gro.flush();
            for (int i = 0; i < depth; i++) {
                if (rearm[i] && writesOn[i] == 0) {
                    armRead(i);
                }
            }
        }
    }

    private void armRead(int i) throws TunException {
        rearm[i] = false;
        readsInFlight++;
        while (!ring.read(fd, frameAddr[i], FRAME_CAPACITY, READ | i)) {
            enter(0, 0);
        }
    }

    /** One io_uring_enter, then every completion it made ready is accounted for. */
    private void enter(int minComplete, long timeoutNanos) throws TunException {
        enters++;
        int r = ring.enter(minComplete, timeoutNanos);
        if (r < 0 && r != -Sys.EBUSY && r != -Sys.EAGAIN) {
            throw new TunException("tun queue " + queue + ": io_uring_enter failed: " + Sys.describe(-r), -r);
        }
        reap();
    }

    private void reap() {
        int n = ring.ready();
        for (int k = 0; k < n; k++) {
            long ud = ring.userData(k);
            int res = ring.result(k);
            int i = (int) ud;
            long kind = ud & KIND;
            if (kind == READ) {
                readsInFlight--;
                readyIndex[readyCount] = i;
                readyResult[readyCount++] = res;
            } else if (kind == WRITE) {
                writesInFlight--;
                if (i != FOREIGN) {
                    writesOn[i]--;
                }
                if (res > 0) {
                    framesWritten++;
                } else {
                    writeErrors++;
                    lastError = "tun queue " + queue + ": io_uring write refused: " + Sys.describe(-res);
                }
            }
        }
        ring.consume(n);
    }

    private void writeFrame(ByteBuffer b, int off, int len) {
        int owner = owner(b);
        long addr = owner >= 0 ? (b == frames[owner] ? frameAddr[owner] : slotAddr[owner]) : foreignAddress(b);
        try {
            while (!ring.write(fd, addr + off, len, WRITE | (owner >= 0 ? owner : FOREIGN))) {
                enter(0, 0);
            }
            writesInFlight++;
            if (owner >= 0) {
                writesOn[owner]++;
            } else {
                // The coalescer's own buffer is reused after this call: complete the write now.
                while (writesInFlight > 0) {
                    enter(writesInFlight, WAIT_NANOS);
                }
            }
        } catch (TunException e) {
            writeErrors++;
            lastError = e.getMessage();
        }
    }

    private int owner(ByteBuffer b) {
        for (int i = 0; i < depth; i++) {
            if (b == frames[i] || b == slotBuf[i]) {
                return i;
            }
        }
        return -1;
    }

    private long foreignAddress(ByteBuffer b) {
        // The coalescer has two buffers; remembering the last avoids a segment per write.
        if (b != foreignBuf) {
            foreignAddr = MemorySegment.ofBuffer(b).address();
            foreignBuf = b;
        }
        return foreignAddr;
    }

    /** Cancels the reads still lent to the kernel and waits for them, so no buffer is written after. */
    private void drain() throws TunException {
        while (!ring.cancelAll(CANCEL)) {
            enter(0, 0);
        }
        long until = System.nanoTime() + 2_000_000_000L;
        while ((readsInFlight > 0 || writesInFlight > 0) && System.nanoTime() < until) {
            enter(1, 10_000_000L);
            readyCount = 0;
        }
        if (readsInFlight > 0 || writesInFlight > 0) {
            lastError = "tun queue " + queue + ": " + readsInFlight + " reads and " + writesInFlight
                    + " writes still in flight after cancel";
        }
    }

    private void handle(int i, int len) {
        framesRead++;
        bytesRead += len;
        ByteBuffer f = frames[i];
        boolean train = (f.get(1) & 0x7f) != VirtioNetHdr.GSO_NONE;
        if (!splitter.split(f, 0, len, slots[i], result)) {
            dropped++;
            return;
        }
        if (train) {
            trainsRead++;
        }
        if (result.inPlace()) {
            segment(f, VirtioNetHdr.SIZE, result.length(0));
            return;
        }
        for (int s = 0; s < result.count(); s++) {
            segment(slots[i].buffer(s), slots[i].offset(s), result.length(s));
        }
    }

    private void segment(ByteBuffer b, int off, int len) {
        segmentsRead++;
        int v = (b.get(off) & 0xff) >>> 4;
        if (v == 4 && len >= Ipv4Header.MIN_LENGTH) {
            swap(b, off + Ipv4Header.SRC, Ipv4Header.ADDR_LEN);
        } else if (v == 6 && len >= Ipv6Header.LENGTH) {
            swap(b, off + Ipv6Header.SRC, Ipv6Header.ADDR_LEN);
        } else {
            dropped++;
            return;
        }
        if (coalesce) {
            gro.add(b, off, len);
        } else {
            vnet.wrap(b, off - VirtioNetHdr.SIZE).clear();
            writeFrame(b, off - VirtioNetHdr.SIZE, len + VirtioNetHdr.SIZE);
        }
    }

    private static void swap(ByteBuffer b, int src, int n) {
        for (int k = 0; k < n; k++) {
            byte t = b.get(src + k);
            b.put(src + k, b.get(src + n + k));
            b.put(src + n + k, t);
        }
    }

    public GroCoalescer coalescer() { return gro; }
}
