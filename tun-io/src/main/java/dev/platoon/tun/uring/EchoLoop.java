package dev.platoon.tun.uring;

import dev.platoon.tun.GroCoalescer;
import dev.platoon.tun.GsoSplitter;
import dev.platoon.tun.Ipv4Header;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.SegmentSlots;
import dev.platoon.tun.SplitResult;
import dev.platoon.tun.TunDevice;
import dev.platoon.tun.VirtioNetHdr;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The reflector's work on a frame — split, swap source and destination, coalesce, write back — as
 * {@link dev.platoon.tun.Reflector} does it, with the I/O left to a subclass, so that two ways of
 * driving a tun queue (io_uring, and poll + read/write through the same FFM linker) differ in
 * their syscalls and nothing else. Buffers: {@code depth} frame buffers, each with its own segment
 * slots, allocated once.
 */
public abstract class EchoLoop implements Runnable {
    static final int FRAME_CAPACITY = VirtioNetHdr.SIZE + 65535 + 64;

    final TunDevice device;
    final int queue;
    final int depth;
    final long deadlineNanos;
    private final boolean coalesce;
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final SplitResult result = new SplitResult(128);
    final ByteBuffer[] frames;
    final long[] frameAddr;
    private final SegmentSlots[] slots;
    final ByteBuffer[] slotBuf;
    final long[] slotAddr;
    final GroCoalescer gro;
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private ByteBuffer foreignBuf;
    private long foreignAddr;
    volatile boolean running = true;

    /** Plain fields: read them after the thread has been joined. */
    public long framesRead, trainsRead, segmentsRead, bytesRead, framesWritten, dropped, writeErrors, readErrors;
    /** Syscalls made on the queue (poll, read, write, or io_uring_enter). */
    public long syscalls;
    public volatile String lastError;

    EchoLoop(TunDevice device, int queue, boolean coalesce, int depth, long maxNanos) {
        if (depth < 1 || depth > 64) {
            throw new IllegalArgumentException("read depth " + depth + " outside 1..64");
        }
        this.device = device;
        this.queue = queue;
        this.coalesce = coalesce;
        this.depth = depth;
        this.deadlineNanos = System.nanoTime() + maxNanos;
        frames = new ByteBuffer[depth];
        frameAddr = new long[depth];
        slots = new SegmentSlots[depth];
        slotBuf = new ByteBuffer[depth];
        slotAddr = new long[depth];
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

    public GroCoalescer coalescer() { return gro; }

    /** Writes one frame (virtio_net_hdr + packet) to the queue. */
    abstract void writeFrame(ByteBuffer b, int off, int len);

    /** The frame slot {@code b} belongs to, or -1 for a buffer of the coalescer's own. */
    final int owner(ByteBuffer b) {
        for (int i = 0; i < depth; i++) {
            if (b == frames[i] || b == slotBuf[i]) {
                return i;
            }
        }
        return -1;
    }

    final long address(ByteBuffer b, int owner) {
        if (owner >= 0) {
            return b == frames[owner] ? frameAddr[owner] : slotAddr[owner];
        }
        // The coalescer has two buffers; remembering the last avoids a segment per write.
        if (b != foreignBuf) {
            foreignAddr = MemorySegment.ofBuffer(b).address();
            foreignBuf = b;
        }
        return foreignAddr;
    }

    /** Splits, swaps and passes on the {@code len} bytes read into frame buffer {@code i}. */
    final void handle(int i, int len) {
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
        int v = Ipv4Header.versionAt(b, off);
        if (v == Ipv4Header.VERSION && len >= Ipv4Header.MIN_LENGTH) {
            ip4.wrap(b, off).swapAddresses();
        } else if (v == Ipv6Header.VERSION && len >= Ipv6Header.LENGTH) {
            ip6.wrap(b, off).swapAddresses();
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
}
