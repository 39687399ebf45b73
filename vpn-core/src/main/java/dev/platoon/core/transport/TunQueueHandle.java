package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;

import io.netty.channel.IoEvent;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.epoll.EpollIoEvent;
import io.netty.channel.epoll.EpollIoHandle;
import io.netty.channel.epoll.EpollIoOps;
import io.netty.channel.unix.Buffer;
import io.netty.channel.unix.FileDescriptor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One tun queue fd living on a Netty epoll event loop, next to that loop's UDP channel. On readiness it
 * reads up to {@link #DEFAULT_READ_BUDGET} frames into one reusable direct buffer and hands each to a
 * {@link TunFrameSink}, then yields to the loop (level-triggered epoll calls again if more is queued).
 *
 * <p>Whoever opened the fd owns it — normally tun-io's {@code TunQueue}: {@link #close()} (also called by
 * Netty when the loop shuts down) deregisters and closes the fd only when constructed with
 * {@code ownsFd}. Close this handle before its owner closes the fd: a closed fd number can be reused.
 * Reading, pausing and writing belong to the loop thread; pause/resume/close from elsewhere hop onto it.
 */
public final class TunQueueHandle implements EpollIoHandle, TunPort {

    /** virtio_net_hdr with num_buffers: the size set with TUNSETVNETHDRSZ. */
    public static final int VNET_HDR_LEN = 12;
    /** Largest frame a read can return: the header plus a 64 KiB GSO train. */
    public static final int MAX_FRAME = VNET_HDR_LEN + 65535;
    /** Room before the frame for the 16-byte WireGuard data header (and alignment). */
    public static final int HEADROOM = 32;
    /** Room after the frame for padding to 16 and the 16-byte Poly1305 tag. */
    public static final int TAILROOM = 32;
    public static final int DEFAULT_READ_BUDGET = 64;
    /**
     * Interest while paused. Not NONE: Netty 4.2.18 takes an empty mask as "remove from epoll", after which
     * EPOLL_CTL_MOD fails with ENOENT (seen here). EPOLLERR is what epoll reports regardless.
     */
    private static final EpollIoOps PAUSED_OPS = EpollIoOps.EPOLLERR;

    private final FileDescriptor fd;
    private final boolean ownsFd;
    private TunFrameSink sink;  // set before reading starts
    private final TransportCounters counters;
    private final int readBudget;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(HEADROOM + MAX_FRAME + TAILROOM);
    private final long address = Buffer.memoryAddress(buffer);
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile IoEventLoop loop;
    private volatile IoRegistration registration;
    private boolean paused;     // loop thread
    private boolean failed;     // loop thread: a read error stopped us for good
    private volatile java.util.function.Consumer<String> onReadFailure;

    /**
     * Serves {@code fd} (a tun queue opened with IFF_VNET_HDR and a 12-byte header size) and makes it
     * non-blocking: one blocking read would stall every channel on the loop.
     *
     * @param ownsFd whether {@link #close()} closes the fd (false when a tun-io TunQueue owns it)
     */
    public TunQueueHandle(int fd, boolean ownsFd, TunFrameSink sink, TransportCounters counters) {
        this(fd, ownsFd, sink, counters, DEFAULT_READ_BUDGET);
    }

    /** A handle whose sink is given by {@link #start}. */
    public TunQueueHandle(int fd, boolean ownsFd, TransportCounters counters) {
        this(fd, ownsFd, null, counters, DEFAULT_READ_BUDGET);
    }

    public TunQueueHandle(int fd, boolean ownsFd, TunFrameSink sink, TransportCounters counters, int readBudget) {
        if (readBudget <= 0) {
            throw new IllegalArgumentException("read budget must be positive: " + readBudget);
        }
        if (fd < 0) {
            throw new IllegalArgumentException("not an open fd: " + fd);
        }
        LinuxFd.setNonBlocking(fd);
        this.fd = new FileDescriptor(fd);
        this.ownsFd = ownsFd;
        this.sink = sink;
        this.counters = counters;
        this.readBudget = readBudget;
    }

    @Override
    public Future<Void> start(IoEventLoop loop, TunFrameSink sink) {
        if (this.sink != null) {
            throw new IllegalStateException("already started");
        }
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        return register(loop);
    }

    /** Registers with {@code loop} and starts reading (unless paused); the future ends when reading is armed. */
    public Future<Void> register(IoEventLoop loop) {
        if (sink == null) {
            throw new IllegalStateException("no sink: use start(loop, sink)");
        }
        Promise<Void> done = loop.newPromise();
        this.loop = loop;
        loop.register(this).addListener(f -> {
            if (!f.isSuccess()) {
                done.setFailure(f.cause());
                return;
            }
            registration = (IoRegistration) f.getNow();
            try {
                registration.submit(paused ? PAUSED_OPS : EpollIoOps.EPOLLIN);
                done.setSuccess(null);
            } catch (Exception e) {
                done.setFailure(e);
            }
        });
        return done;
    }

    @Override
    public FileDescriptor fd() {
        return fd;
    }

    public IoEventLoop loop() {
        return loop;
    }

    @Override
    public void handle(IoRegistration reg, IoEvent event) {
        EpollIoOps ops = ((EpollIoEvent) event).ops();
        if (paused || failed) {
            return;
        }
        if (!ops.contains(EpollIoOps.EPOLLIN) && !ops.contains(EpollIoOps.EPOLLERR)) {
            return;
        }
        int frames = 0;
        try {
            while (frames < readBudget && !paused) {
                int n = fd.readAddress(address, HEADROOM, HEADROOM + MAX_FRAME);
                if (n <= 0) {          // 0: EAGAIN, queue empty; -1: EOF (device gone)
                    if (n < 0) {
                        fail("end of file");
                    }
                    break;
                }
                frames++;
                try {
                    sink.frame(buffer, HEADROOM, n);
                } catch (RuntimeException e) {
                    counters.drop(Drop.SINK_ERROR);
                }
            }
        } catch (IOException e) {
            fail(e.getMessage()); // EBADFD after the device was deleted, …: stop instead of spinning
        }
        if (frames > 0) {
            counters.tunReadBatches.increment();
            counters.tunFramesRead.add(frames);
            try {
                sink.batchEnd();
            } catch (RuntimeException e) {
                counters.drop(Drop.SINK_ERROR);
            }
        }
    }

    /**
     * Who hears, once, that reading stopped for good (the device was deleted: EBADFD or end of file); it
     * is called on the loop thread with the reason and must not block.
     */
    @Override
    public void onReadFailure(java.util.function.Consumer<String> listener) {
        this.onReadFailure = listener;
    }

    private void fail(String why) {
        counters.drop(Drop.TUN_READ_ERROR);
        failed = true;
        if (registration != null) {
            registration.cancel();   // also silences EPOLLERR, which epoll reports whatever the mask
        }
        var listener = onReadFailure;
        if (listener != null && !closed.get()) {
            try {
                listener.accept(why == null ? "read failed" : why);
            } catch (RuntimeException ignored) {
                // the listener's problem; reading has stopped either way
            }
        }
    }

    /** Stops reading the queue (backpressure): the kernel's txqueue absorbs the burst meanwhile. */
    @Override
    public void pauseReading() {
        if (loop != null && !loop.inEventLoop()) {
            loop.execute(this::pauseReading);
            return;
        }
        if (!paused) {
            paused = true;
            counters.tunReadPauses.increment();
            submit(PAUSED_OPS);
        }
    }

    @Override
    public void resumeReading() {
        if (loop != null && !loop.inEventLoop()) {
            loop.execute(this::resumeReading);
            return;
        }
        if (paused) {
            paused = false;
            submit(EpollIoOps.EPOLLIN);   // level-triggered: fires at once if frames are waiting
        }
    }

    /** Loop thread: whether reading is paused. */
    public boolean isReadingPaused() {
        return paused;
    }

    private void submit(EpollIoOps ops) {
        IoRegistration r = registration;
        if (r != null && r.isValid() && !failed) {
            try {
                r.submit(ops);
            } catch (Exception e) {
                fail("epoll: " + e.getMessage());
            }
        }
    }

    /**
     * Writes one frame (virtio_net_hdr + packet or train) from a direct buffer; never blocks. A refused or
     * partial write is a counted drop.
     *
     * @return true when the whole frame was taken
     */
    @Override
    public boolean writeFrame(ByteBuffer direct, int offset, int length) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("tun writes need a direct buffer");
        }
        int n;
        try {
            n = fd.write(direct, offset, offset + length);
        } catch (IOException e) {
            counters.drop(Drop.TUN_WRITE_ERROR);
            return false;
        }
        return written(n, length);
    }

    /** As {@link #writeFrame(ByteBuffer, int, int)}, from native memory (e.g. a pooled ByteBuf's memoryAddress). */
    public boolean writeFrameAddress(long memoryAddress, int offset, int length) {
        int n;
        try {
            n = fd.writeAddress(memoryAddress, offset, offset + length);
        } catch (IOException e) {
            counters.drop(Drop.TUN_WRITE_ERROR);
            return false;
        }
        return written(n, length);
    }

    /**
     * As {@link #writeFrame(ByteBuffer, int, int)}, one frame gathered from {@code count} pieces: a native
     * array of {@code struct iovec} at {@code iovAddress} whose lengths add up to {@code length} (writev(2)).
     */
    public boolean writeFrameGathered(long iovAddress, int count, int length) {
        long n;
        try {
            n = fd.writevAddresses(iovAddress, count);
        } catch (IOException e) {
            counters.drop(Drop.TUN_WRITE_ERROR);
            return false;
        }
        return written((int) n, length);
    }

    private boolean written(int n, int length) {
        if (n == length) {
            counters.tunFramesWritten.increment();
            return true;
        }
        counters.drop(n == 0 ? Drop.TUN_WRITE_EAGAIN : Drop.TUN_SHORT_WRITE);
        return false;
    }

    /**
     * Deregisters (and closes the fd if owned); idempotent; from another thread it runs on the loop so that
     * it never races a read in progress, or directly when the loop no longer runs.
     */
    @Override
    public void close() {
        IoEventLoop l = loop;
        if (l != null && !l.inEventLoop() && !l.isShuttingDown()) {
            try {
                l.submit(this::closeNow).awaitUninterruptibly(2000);
                return;
            } catch (java.util.concurrent.RejectedExecutionException shutDown) {
                // fall through: the loop is gone, nothing reads any more
            }
        }
        closeNow();
    }

    private void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        IoRegistration r = registration;
        if (r != null) {
            r.cancel();
        }
        if (ownsFd) {
            try {
                fd.close();
            } catch (IOException ignored) {
                // already closed: nothing left to release
            }
        }
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed.get();
    }
}
