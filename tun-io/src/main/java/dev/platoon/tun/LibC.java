package dev.platoon.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/** The few libc calls the device needs, JNA direct mapping ({@code long} for pointers and sizes). */
final class LibC {
    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private LibC() {}

    // fcntl.h / errno.h (x86_64 and aarch64 agree on these)
    static final int O_RDONLY = 0, O_RDWR = 2, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    static final int F_GETFL = 3, F_SETFL = 4;
    static final int EPERM = 1, ENOENT = 2, EINTR = 4, ENXIO = 6, EAGAIN = 11, EACCES = 13, EBUSY = 16,
            ENODEV = 19, EINVAL = 22;
    static final short POLLIN = 1;

    static native int open(String path, int flags) throws LastErrorException;

    static native int close(int fd);

    /** ioctl with a pointer to a byte structure (struct ifreq). */
    static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    /** ioctl with a pointer to an int. */
    static native int ioctl(int fd, long request, int[] arg) throws LastErrorException;

    /** ioctl with its argument by value (TUNSETOFFLOAD). */
    static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    static native long read(int fd, long buf, long count) throws LastErrorException;

    static native long write(int fd, long buf, long count) throws LastErrorException;

    /** {@code struct pollfd} as two ints: fd, then events (low half) and revents (high half). */
    static native int poll(int[] fds, long nfds, int timeoutMs) throws LastErrorException;

    static native String strerror(int errno);
}
