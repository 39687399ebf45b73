package dev.platoon.tun.uring;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.platoon.tun.TunDevice;
import dev.platoon.tun.TunException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The readiness loop of {@link dev.platoon.tun.Reflector} — poll, read up to {@code depth} frames
 * until the queue is empty, write each frame out — with every call made through the FFM linker
 * like {@link UringEchoLoop}'s, so the two differ in their syscalls only. (The Reflector itself
 * calls through JNA, which costs more per call than FFM or the JNI calls vpn-core makes.)
 */
public final class PollEchoLoop extends EchoLoop {
    private static final short POLLIN = 1;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Sys.newErrnoSlot(arena);
    private final MemorySegment pollfd = arena.allocate(8, 4);
    private int fd;

    public PollEchoLoop(TunDevice device, int queue, boolean coalesce, int depth, long maxNanos) {
        super(device, queue, coalesce, depth, maxNanos);
    }

    @Override
    public void run() {
        fd = device.queue(queue).fd();
        try {
            device.queue(queue).setNonBlocking(true);
            while (running && System.nanoTime() < deadlineNanos) {
                pollfd.set(JAVA_INT, 0, fd);
                pollfd.set(JAVA_INT, 4, POLLIN);
                syscalls++;
                int ready = Sys.poll(errno, pollfd.address(), 1, 50);
                if (ready <= 0) {
                    if (ready < 0 && ready != -Sys.EINTR) {
                        throw new TunException("tun queue " + queue + ": poll failed: " + Sys.describe(-ready), -ready);
                    }
                    continue;
                }
                for (int i = 0; i < depth; i++) {
                    syscalls++;
                    long n = Sys.read(errno, fd, frameAddr[i], FRAME_CAPACITY);
                    if (n <= 0) {
                        if (n < 0 && n != -Sys.EAGAIN && n != -Sys.EINTR) {
                            readErrors++;
                            lastError = "tun queue " + queue + ": read failed: " + Sys.describe((int) -n);
                        }
                        break;
                    }
                    handle(i, (int) n);
                }
                gro.flush();
            }
        } catch (TunException e) {
            lastError = e.getMessage();
        } finally {
            arena.close();
        }
    }

    @Override
    void writeFrame(ByteBuffer b, int off, int len) {
        syscalls++;
        long n = Sys.write(errno, fd, address(b, owner(b)) + off, len);
        if (n > 0) {
            framesWritten++;
        } else {
            writeErrors++;
            lastError = "tun queue " + queue + ": write of " + len + " bytes refused: " + Sys.describe((int) -n);
        }
    }
}
