package dev.platoon.tun.uring;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.platoon.tun.TunException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * One io_uring instance, through FFM: {@code io_uring_setup}, the SQ/CQ rings and the SQE array
 * mapped into this process, SQEs prepared in place and {@code io_uring_enter} to submit and wait.
 * Owned by one thread: it is set up with SINGLE_ISSUER and DEFER_TASKRUN where the kernel has
 * them (6.1+), so completions are only run when that thread enters with GETEVENTS — which is
 * exactly when the loop wants them, in one batch. Nothing is allocated after {@link #open}.
 *
 * <p>Ring heads and tails are shared with the kernel: ours are published with release stores,
 * the kernel's read with acquire loads, as liburing does.
 */
public final class IoUring implements AutoCloseable {
    public static final byte OP_NOP = 0, OP_READV = 1, OP_WRITEV = 2, OP_ASYNC_CANCEL = 14, OP_READ = 22,
            OP_WRITE = 23;

    static final int SETUP_SUBMIT_ALL = 1 << 7, SETUP_COOP_TASKRUN = 1 << 8, SETUP_SINGLE_ISSUER = 1 << 12,
            SETUP_DEFER_TASKRUN = 1 << 13;
    static final int FEAT_SINGLE_MMAP = 1, FEAT_NODROP = 1 << 1, FEAT_EXT_ARG = 1 << 8;
    private static final int ENTER_GETEVENTS = 1, ENTER_EXT_ARG = 1 << 3;
    private static final int ASYNC_CANCEL_ANY = 1 << 2;
    private static final long OFF_SQ_RING = 0, OFF_SQES = 0x10000000L;
    private static final int SQE_SIZE = 64, CQE_SIZE = 16, PARAMS_SIZE = 120;
    private static final VarHandle INT = JAVA_INT.varHandle();

    /** The io_uring_setup call; a test substitutes one that fails to exercise the fallback. */
    @FunctionalInterface
    public interface SetupCall {
        /** @return the ring fd, or -errno */
        long setup(int entries, MemorySegment params, MemorySegment errno);
    }

    public static final SetupCall KERNEL =
            (entries, params, errno) -> Sys.syscall(errno, Sys.NR_IO_URING_SETUP, entries, params.address(), 0, 0, 0, 0);

    private final Arena arena;
    private final MemorySegment errno, waitArg, timespec;
    private final int ringFd;
    private final long ringAddr, ringLen, sqesAddr, sqesLen;
    private final MemorySegment ring, sqes;
    private final int sqHeadOff, sqTailOff, sqMask, sqEntries, sqArrayOff;
    private final int cqHeadOff, cqTailOff, cqMask, cqesOff;
    private final int features;
    private final boolean deferTaskrun;
    private int sqTail, pending, cqHead;
    private boolean closed;

    private IoUring(Arena arena, MemorySegment errno, MemorySegment params, int ringFd, boolean deferTaskrun)
            throws TunException {
        this.arena = arena;
        this.errno = errno;
        this.ringFd = ringFd;
        this.deferTaskrun = deferTaskrun;
        this.features = params.get(JAVA_INT, 20);
        int sqEntries = params.get(JAVA_INT, 0), cqEntries = params.get(JAVA_INT, 4);
        if ((features & FEAT_SINGLE_MMAP) == 0 || (features & FEAT_EXT_ARG) == 0) {
            Sys.close(ringFd);
            throw new TunException("io_uring: the kernel lacks SINGLE_MMAP or EXT_ARG (needs Linux 5.11+), features 0x"
                    + Integer.toHexString(features), Sys.ENOSYS);
        }
        sqHeadOff = params.get(JAVA_INT, 40);
        sqTailOff = params.get(JAVA_INT, 44);
        int sqMaskOff = params.get(JAVA_INT, 48);
        sqArrayOff = params.get(JAVA_INT, 64);
        cqHeadOff = params.get(JAVA_INT, 80);
        cqTailOff = params.get(JAVA_INT, 84);
        int cqMaskOff = params.get(JAVA_INT, 88);
        cqesOff = params.get(JAVA_INT, 100);
        ringLen = Math.max(sqArrayOff + 4L * sqEntries, cqesOff + (long) CQE_SIZE * cqEntries);
        sqesLen = (long) SQE_SIZE * sqEntries;
        long r = Sys.mmap(errno, ringLen, ringFd, OFF_SQ_RING);
        if (r < 0) {
            Sys.close(ringFd);
            throw new TunException("io_uring: mmap of the rings (" + ringLen + " bytes) failed: "
                    + Sys.describe((int) -r), (int) -r);
        }
        long s = Sys.mmap(errno, sqesLen, ringFd, OFF_SQES);
        if (s < 0) {
            Sys.munmap(r, ringLen);
            Sys.close(ringFd);
            throw new TunException("io_uring: mmap of the SQEs failed: " + Sys.describe((int) -s), (int) -s);
        }
        ringAddr = r;
        sqesAddr = s;
        ring = MemorySegment.ofAddress(r).reinterpret(ringLen);
        sqes = MemorySegment.ofAddress(s).reinterpret(sqesLen);
        this.sqEntries = sqEntries;
        sqMask = ring.get(JAVA_INT, sqMaskOff);
        cqMask = ring.get(JAVA_INT, cqMaskOff);
        sqTail = (int) INT.getAcquire(ring, (long) sqTailOff);
        cqHead = (int) INT.getAcquire(ring, (long) cqHeadOff);
        waitArg = arena.allocate(24, 8);
        timespec = arena.allocate(16, 8);
    }

    /** A ring of {@code entries} SQEs (a power of two; the CQ gets twice as many). */
    public static IoUring open(int entries) throws TunException {
        return open(entries, KERNEL);
    }

    public static IoUring open(int entries, SetupCall setup) throws TunException {
        Arena arena = Arena.ofShared();
        try {
            MemorySegment errno = Sys.newErrnoSlot(arena);
            MemorySegment params = arena.allocate(PARAMS_SIZE, 8);
            int wanted = SETUP_SINGLE_ISSUER | SETUP_DEFER_TASKRUN | SETUP_SUBMIT_ALL;
            params.fill((byte) 0);
            params.set(JAVA_INT, 8, wanted);
            long fd = setup.setup(entries, params, errno);
            boolean defer = true;
            if (fd == -Sys.EINVAL) {
                // Kernels before 6.1 refuse the flags they do not know: plain setup instead.
                params.fill((byte) 0);
                fd = setup.setup(entries, params, errno);
                defer = false;
            }
            if (fd < 0) {
                throw new TunException("io_uring_setup(" + entries + ") failed: " + Sys.describe((int) -fd)
                        + hint((int) -fd), (int) -fd);
            }
            return new IoUring(arena, errno, params, (int) fd, defer);
        } catch (TunException | RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    private static String hint(int errno) {
        return errno == Sys.EPERM ? " (sysctl kernel.io_uring_disabled, or a seccomp filter)"
                : errno == Sys.ENOSYS ? " (kernel built without io_uring)" : "";
    }

    /** Whether completions run only on {@link #enter} (DEFER_TASKRUN). */
    public boolean deferredTaskrun() { return deferTaskrun; }

    public int features() { return features; }

    public int sqEntries() { return sqEntries; }

    /** SQEs prepared and not yet handed to the kernel. */
    public int pending() { return pending; }

    /** Whether an SQE can be prepared without submitting first. */
    public boolean hasRoom() {
        return sqTail - (int) INT.getAcquire(ring, (long) sqHeadOff) < sqEntries;
    }

    /** Queues a read of {@code len} bytes at {@code address} from {@code fd}; false when the SQ is full. */
    public boolean read(int fd, long address, int len, long userData) {
        return prepare(OP_READ, fd, address, len, userData, 0);
    }

    /** Queues a write of {@code len} bytes at {@code address} to {@code fd}; false when the SQ is full. */
    public boolean write(int fd, long address, int len, long userData) {
        return prepare(OP_WRITE, fd, address, len, userData, 0);
    }

    /** Queues a cancel of every request in flight on this ring; its CQE carries {@code userData}. */
    public boolean cancelAll(long userData) {
        return prepare(OP_ASYNC_CANCEL, -1, 0, 0, userData, ASYNC_CANCEL_ANY);
    }

    private boolean prepare(byte op, int fd, long address, int len, long userData, int opFlags) {
        if (!hasRoom()) {
            return false;
        }
        int index = sqTail & sqMask;
        long o = (long) index * SQE_SIZE;
        for (int k = 0; k < SQE_SIZE; k += 8) {
            sqes.set(JAVA_LONG, o + k, 0L);
        }
        sqes.set(JAVA_BYTE, o, op);
        sqes.set(JAVA_INT, o + 4, fd);
        // off = -1: "the file's position", as read(2)/write(2) do; a tun queue has none to honour.
        sqes.set(JAVA_LONG, o + 8, op == OP_ASYNC_CANCEL ? 0L : -1L);
        sqes.set(JAVA_LONG, o + 16, address);
        sqes.set(JAVA_INT, o + 24, len);
        sqes.set(JAVA_INT, o + 28, opFlags);
        sqes.set(JAVA_LONG, o + 32, userData);
        ring.set(JAVA_INT, sqArrayOff + 4L * index, index);
        sqTail++;
        pending++;
        return true;
    }

    /**
     * Submits every prepared SQE and, when {@code minComplete > 0}, waits until that many
     * completions are in the CQ or {@code timeoutNanos} has passed.
     *
     * @return SQEs consumed, 0 on a timeout or interrupt with nothing submitted, or -errno
     *         (EBUSY/EAGAIN: reap completions first, then enter again)
     */
    public int enter(int minComplete, long timeoutNanos) {
        INT.setRelease(ring, (long) sqTailOff, sqTail);
        int flags = ENTER_GETEVENTS;
        long arg = 0, argSize = 0;
        if (minComplete > 0) {
            timespec.set(JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
            timespec.set(JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
            waitArg.set(JAVA_LONG, 0, 0L);
            waitArg.set(JAVA_INT, 8, 0);
            waitArg.set(JAVA_INT, 12, 0);
            waitArg.set(JAVA_LONG, 16, timespec.address());
            flags |= ENTER_EXT_ARG;
            arg = waitArg.address();
            argSize = 24;
        }
        long r = Sys.syscall(errno, Sys.NR_IO_URING_ENTER, ringFd, pending, minComplete, flags, arg, argSize);
        if (r >= 0) {
            pending -= (int) r;
            return (int) r;
        }
        if (r == -Sys.ETIME || r == -Sys.EINTR) {
            return 0;
        }
        return (int) r;
    }

    /** Completions ready to be read with {@link #userData}/{@link #result}, oldest first. */
    public int ready() {
        return (int) INT.getAcquire(ring, (long) cqTailOff) - cqHead;
    }

    public long userData(int i) {
        return ring.get(JAVA_LONG, cqesOff + (long) ((cqHead + i) & cqMask) * CQE_SIZE);
    }

    /** The operation's result: bytes moved, or -errno. */
    public int result(int i) {
        return ring.get(JAVA_INT, cqesOff + (long) ((cqHead + i) & cqMask) * CQE_SIZE + 8);
    }

    /** Gives the first {@code n} ready completions back to the kernel. */
    public void consume(int n) {
        cqHead += n;
        INT.setRelease(ring, (long) cqHeadOff, cqHead);
    }

    /**
     * Unmaps the rings and closes the ring fd; the kernel cancels whatever is still in flight.
     * Callers that lent buffers to reads should {@link #cancelAll} and reap first, so no read can
     * land in memory that is freed afterwards.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Sys.munmap(sqesAddr, sqesLen);
        Sys.munmap(ringAddr, ringLen);
        Sys.close(ringFd);
        arena.close();
    }
}
