package dev.platoon.tun.uring;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few libc calls io_uring needs, through the FFM linker: {@code syscall(2)} (glibc has no
 * io_uring wrappers), {@code mmap}, {@code munmap} and {@code close}. Every call captures errno into
 * a caller-owned segment, so the hot path allocates nothing. x86_64 syscall numbers.
 */
final class Sys {
    static final long NR_IO_URING_SETUP = 425, NR_IO_URING_ENTER = 426;
    static final int EINTR = 4, EAGAIN = 11, EBUSY = 16, EINVAL = 22, EPERM = 1, ENOSYS = 38, ETIME = 62,
            ECANCELED = 125, ENOMEM = 12, EBADF = 9;
    static final int PROT_READ = 1, PROT_WRITE = 2, MAP_SHARED = 1, MAP_POPULATE = 0x8000;
    static final long MAP_FAILED = -1L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

    /** long syscall(long nr, ...) with six variadic longs: the kernel reads what it needs. */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(LIBC.find("syscall").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG,
                    JAVA_LONG),
            ERRNO_OPTION, Linker.Option.firstVariadicArg(1));
    private static final MethodHandle MMAP = LINKER.downcallHandle(LIBC.find("mmap").orElseThrow(),
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
            ERRNO_OPTION);
    private static final MethodHandle MUNMAP = LINKER.downcallHandle(LIBC.find("munmap").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = LINKER.downcallHandle(LIBC.find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle WRITE = LINKER.downcallHandle(LIBC.find("write").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG), ERRNO_OPTION);
    private static final MethodHandle POLL = LINKER.downcallHandle(LIBC.find("poll").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT), ERRNO_OPTION);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(ADDRESS.withTargetLayout(MemoryLayout.sequenceLayout(256, java.lang.foreign.ValueLayout.JAVA_BYTE)), JAVA_INT));

    private Sys() {}

    /** A segment for {@link #errno}; one per thread that makes calls. */
    static MemorySegment newErrnoSlot(java.lang.foreign.Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment slot) {
        return (int) ERRNO.get(slot, 0L);
    }

    /** Returns the kernel's result, or -errno: the io_uring calls' own convention. */
    static long syscall(MemorySegment errno, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        long r;
        try {
            r = (long) SYSCALL.invokeExact(errno, nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw new IllegalStateException("syscall " + nr + " could not be invoked", t);
        }
        return r == -1 ? -errno(errno) : r;
    }

    /** read(2) into native memory; bytes read, or -errno. */
    static long read(MemorySegment errno, int fd, long address, long len) {
        long r;
        try {
            r = (long) READ.invokeExact(errno, fd, address, len);
        } catch (Throwable t) {
            throw new IllegalStateException("read could not be invoked", t);
        }
        return r < 0 ? -errno(errno) : r;
    }

    /** write(2) from native memory; bytes written, or -errno. */
    static long write(MemorySegment errno, int fd, long address, long len) {
        long r;
        try {
            r = (long) WRITE.invokeExact(errno, fd, address, len);
        } catch (Throwable t) {
            throw new IllegalStateException("write could not be invoked", t);
        }
        return r < 0 ? -errno(errno) : r;
    }

    /** poll(2) on {@code n} pollfds at {@code address}; how many are ready, or -errno. */
    static int poll(MemorySegment errno, long address, long n, int timeoutMs) {
        int r;
        try {
            r = (int) POLL.invokeExact(errno, address, n, timeoutMs);
        } catch (Throwable t) {
            throw new IllegalStateException("poll could not be invoked", t);
        }
        return r < 0 ? -errno(errno) : r;
    }

    /** Maps {@code len} bytes of the ring fd at {@code offset}; the address, or -errno. */
    static long mmap(MemorySegment errno, long len, int fd, long offset) {
        MemorySegment m;
        try {
            m = (MemorySegment) MMAP.invokeExact(errno, MemorySegment.NULL, len, PROT_READ | PROT_WRITE,
                    MAP_SHARED | MAP_POPULATE, fd, offset);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap could not be invoked", t);
        }
        return m.address() == MAP_FAILED ? -errno(errno) : m.address();
    }

    static void munmap(long address, long len) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), len);
        } catch (Throwable t) {
            throw new IllegalStateException("munmap could not be invoked", t);
        }
    }

    static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            throw new IllegalStateException("close could not be invoked", t);
        }
    }

    /** "Operation not permitted (EPERM 1)"-style text for a message. */
    static String describe(int errno) {
        String text;
        try {
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            text = s.getString(0);
        } catch (Throwable t) {
            text = "error";
        }
        return text + " (errno " + errno + ")";
    }
}
