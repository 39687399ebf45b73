package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Answers the kernel through a tun queue: reads frames, splits them ({@link GsoSplitter}), swaps
 * source and destination address of every segment, coalesces them again ({@link GroCoalescer})
 * and writes them back. With an address on the device and a route to a second address "behind"
 * it, a kernel TCP client and server in one namespace then talk to each other through us. The
 * swap leaves every checksum valid (the ones'-complement sum does not depend on order). A test and
 * benchmark tool, one per queue and thread; it stops by itself at its deadline.
 */
public final class Reflector implements Runnable {
    /** Picks the queue a frame is written to (multi-queue tests steer flows with it). */
    @FunctionalInterface
    public interface QueueChooser {
        /** @param ip absolute index of the IP header in {@code buf} */
        int queue(ByteBuffer buf, int ip);
    }

    /** Sees every segment after the split (tests check them). */
    @FunctionalInterface
    public interface SegmentObserver {
        void segment(ByteBuffer buf, int off, int len, boolean fromTrain);
    }

    private static final int BATCH = 8;
    private static final int FRAME_CAPACITY = VirtioNetHdr.SIZE + 65535 + 64;

    private final TunDevice device;
    private final TunQueue in;
    private final boolean coalesce;
    private final long deadlineNanos;
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SplitResult result = new SplitResult(128);
    private final ByteBuffer[] frames = new ByteBuffer[BATCH];
    private final SegmentSlots[] slots = new SegmentSlots[BATCH];
    private final GroCoalescer gro;
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private QueueChooser chooser;
    private SegmentObserver observer;
    private volatile boolean running = true;

    /** Plain fields: read them after the thread has been joined. */
    public long framesRead, trainsRead, segmentsRead, bytesRead, framesWritten, dropped, writeErrors;
    public volatile String lastError;

    /**
     * @param coalesce write trains back (needs offloads); false writes every segment on its own
     * @param maxNanos run at most this long
     */
    public Reflector(TunDevice device, int queue, boolean coalesce, long maxNanos) {
        this.device = device;
        this.in = device.queue(queue);
        this.coalesce = coalesce;
        this.deadlineNanos = System.nanoTime() + maxNanos;
        for (int i = 0; i < BATCH; i++) {
            frames[i] = ByteBuffer.allocateDirect(FRAME_CAPACITY);
            slots[i] = new SegmentSlots(128, 9000);
        }
        int self = queue;
        this.chooser = (b, ip) -> self;
        this.gro = new GroCoalescer(device.offloads().uso(), this::writeFrame);
    }

    public Reflector chooser(QueueChooser c) { this.chooser = c; return this; }
    public Reflector observer(SegmentObserver o) { this.observer = o; return this; }
    public void stop() { running = false; }

    @Override
    public void run() {
        try {
            in.setNonBlocking(true);
            while (running && System.nanoTime() < deadlineNanos) {
                if (!in.poll(50)) {
                    continue;
                }
                int n = 0;
                for (; n < BATCH; n++) {
                    int len = in.read(frames[n], 0, FRAME_CAPACITY);
                    if (len <= 0) {
                        break;
                    }
                    handle(n, len);
                }
                gro.flush();
            }
        } catch (TunException e) {
            lastError = e.getMessage();
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
            segment(f, VirtioNetHdr.SIZE, result.length(0), false);
            return;
        }
        for (int s = 0; s < result.count(); s++) {
            segment(slots[i].buffer(s), slots[i].offset(s), result.length(s), train);
        }
    }

    private void segment(ByteBuffer b, int off, int len, boolean fromTrain) {
        segmentsRead++;
        if (observer != null) {
            observer.segment(b, off, len, fromTrain);
        }
        int v = Ipv4Header.versionAt(b, off);
        if (v == Ipv4Header.VERSION && len >= Ipv4Header.MIN_LENGTH) {
            ip4.wrap(b, off).swapAddresses();
        } else if (v == Ipv6Header.VERSION && len >= Ipv6Header.LENGTH) {
            ip6.wrap(b, off).swapAddresses();
        } else {
            return;
        }
        if (coalesce) {
            gro.add(b, off, len);
        } else {
            vnet.wrap(b, off - VirtioNetHdr.SIZE).clear();
            writeFrame(b, off - VirtioNetHdr.SIZE, len + VirtioNetHdr.SIZE);
        }
    }

    private void writeFrame(ByteBuffer b, int off, int len) {
        try {
            device.queue(chooser.queue(b, off + VirtioNetHdr.SIZE)).write(b, off, len);
            framesWritten++;
        } catch (TunException e) {
            writeErrors++;
            lastError = e.getMessage();
        }
    }

    public GroCoalescer coalescer() { return gro; }
    public GsoSplitter splitter() { return splitter; }
}
