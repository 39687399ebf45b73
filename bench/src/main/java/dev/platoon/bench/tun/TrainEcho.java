package dev.platoon.bench.tun;

import dev.platoon.tun.TunException;
import dev.platoon.tun.TunQueue;
import java.nio.ByteBuffer;

/**
 * The tap notes' echo ({@link TunReflectorBench}): reads a frame, swaps source and destination address in its one IP header and
 * writes the frame back as it came, train and virtio_net_hdr included — no split, no coalesce, no
 * checksum work (the partial checksum the kernel left does not depend on the order of the
 * addresses). What one core can echo when nothing but the syscalls costs; {@code Reflector} does
 * platoon's per-segment work on top of the same reads and writes.
 */
final class TrainEcho implements Runnable {
    private static final int CAPACITY = 12 + 65535 + 64;

    private final TunQueue queue;
    private final long deadlineNanos;
    private final ByteBuffer frame = ByteBuffer.allocateDirect(CAPACITY);
    private volatile boolean running = true;

    /** Updated by the echo thread only; read as statistics (a stale value costs a packet or two). */
    volatile long framesRead, trainsRead, segmentsRead, bytesRead, writeErrors;

    TrainEcho(TunQueue queue, long maxNanos) {
        this.queue = queue;
        this.deadlineNanos = System.nanoTime() + maxNanos;
    }

    void stop() { running = false; }

    @Override
    public void run() {
        long frames = 0, trains = 0, segments = 0, bytes = 0;
        try {
            queue.setNonBlocking(true);
            while (running && System.nanoTime() < deadlineNanos) {
                if (!queue.poll(50)) {
                    continue;
                }
                for (int n = 0; n < 8; n++) {
                    int len = queue.read(frame, 0, CAPACITY);
                    if (len <= 12) {
                        break;
                    }
                    frames++;
                    bytes += len;
                    int s = segments(len);
                    segments += s;
                    trains += s > 1 ? 1 : 0;
                    swapAddresses();
                    try {
                        queue.write(frame, 0, len);
                    } catch (TunException e) {
                        writeErrors++;
                    }
                }
                framesRead = frames;
                trainsRead = trains;
                segmentsRead = segments;
                bytesRead = bytes;
            }
        } catch (TunException e) {
            writeErrors++;
        }
    }

    /** Segments in the frame: its payload over gso_size, 1 for a plain packet. */
    private int segments(int len) {
        int gsoSize = Short.toUnsignedInt(Short.reverseBytes(frame.getShort(4)));
        if ((frame.get(1) & 0x7f) == 0 || gsoSize == 0) {
            return 1;
        }
        int ip = 12;
        boolean v4 = (frame.get(ip) & 0xf0) == 0x40;
        int l4 = ip + (v4 ? (frame.get(ip) & 0x0f) * 4 : 40);
        int proto = v4 ? frame.get(ip + 9) : frame.get(ip + 6);
        int headers = l4 + (proto == 6 ? ((frame.get(l4 + 12) & 0xf0) >>> 4) * 4 : 8);
        return Math.max(1, (len - headers + gsoSize - 1) / gsoSize);
    }

    private void swapAddresses() {
        int ip = 12;
        boolean v4 = (frame.get(ip) & 0xf0) == 0x40;
        int src = ip + (v4 ? 12 : 8), n = v4 ? 4 : 16;
        for (int k = 0; k < n; k++) {
            byte t = frame.get(src + k);
            frame.put(src + k, frame.get(src + n + k));
            frame.put(src + n + k, t);
        }
    }
}
