package dev.platoon.tun.uring;

import dev.platoon.tun.TunDevice;
import dev.platoon.tun.TunException;
import java.nio.ByteBuffer;

/**
 * The reflector's echo loop ({@link EchoLoop}) with its tun queue driven through io_uring instead
 * of poll + read + write: {@code depth} reads stay in flight on the queue fd, their completions are
 * reaped in batches, and writes are queued as SQEs and submitted together with the next wait, so a
 * busy cycle costs one {@code io_uring_enter} where the poll loop makes one poll, a read per frame
 * plus the read that finds the queue empty, and a write per frame.
 *
 * <p>Buffer lifetimes: a frame buffer and its segment slots are not read into again until every
 * write out of them has completed. A frame the coalescer writes from its own buffers (trains, or a
 * copy) is only valid during the call, so that write is submitted and completed at once. One
 * instance per queue and thread; the ring is made on the thread that runs it.
 */
public final class UringEchoLoop extends EchoLoop {
    private static final long READ = 1L << 32, WRITE = 2L << 32, CANCEL = 3L << 32, KIND = 0xffL << 32;
    private static final int FOREIGN = 0xffff;
    private static final long WAIT_NANOS = 50_000_000L;

    private final int[] writesOn;
    private final boolean[] rearm;
    // Reads reaped and not yet handled; a write's enter inside handle() may reap more, so the loop
    // hands a batch over to the second pair before handling it.
    private final int[] readyIndex, readyResult, batchIndex, batchResult;
    private IoUring ring;
    private int fd, readsInFlight, writesInFlight, readyCount;

    /**
     * @param coalesce write trains back (needs offloads); false writes every segment on its own
     * @param depth reads kept in flight (each owns a 64 KiB frame buffer and its segment slots)
     * @param maxNanos run at most this long
     */
    public UringEchoLoop(TunDevice device, int queue, boolean coalesce, int depth, long maxNanos) {
        super(device, queue, coalesce, depth, maxNanos);
        writesOn = new int[depth];
        rearm = new boolean[depth];
        readyIndex = new int[depth];
        readyResult = new int[depth];
        batchIndex = new int[depth];
        batchResult = new int[depth];
    }

    @Override
    public void run() {
        fd = device.queue(queue).fd();
        try (IoUring r = IoUring.open(Math.max(64, Integer.highestOneBit(depth * 4)))) {
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
                // Submits the queued writes and re-armed reads, then waits for the writes and one
                // read — no read when none is armed (every buffer still lent to a write): waiting
                // for one then would only end at the timeout.
                enter(writesInFlight + (readsInFlight > 0 ? 1 : 0), WAIT_NANOS);
            }
            int n = readyCount;
            System.arraycopy(readyIndex, 0, batchIndex, 0, n);
            System.arraycopy(readyResult, 0, batchResult, 0, n);
            readyCount = 0;
            for (int k = 0; k < n; k++) {
                int i = batchIndex[k], res = batchResult[k];
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
        syscalls++;
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

    @Override
    void writeFrame(ByteBuffer b, int off, int len) {
        int owner = owner(b);
        long addr = address(b, owner);
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
}
