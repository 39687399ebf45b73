package dev.platoon.core.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * fcntl(2) for the tun queue fd: a blocking fd would stall the whole event loop on the first empty read.
 * JNA (a dependency of tun-io) because Netty has no public fcntl; called once per queue, off the hot path.
 */
final class LinuxFd {

    private static final int F_GETFL = 3;
    private static final int F_SETFL = 4;
    private static final int O_NONBLOCK = 0x800;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private LinuxFd() {
    }

    private static native int fcntl(int fd, int cmd, int arg) throws LastErrorException;

    /** Sets O_NONBLOCK on {@code fd}; returns whether it was blocking before. */
    static boolean setNonBlocking(int fd) {
        int flags = fcntl(fd, F_GETFL, 0);
        if ((flags & O_NONBLOCK) != 0) {
            return false;
        }
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        return true;
    }

    static boolean isNonBlocking(int fd) {
        return (fcntl(fd, F_GETFL, 0) & O_NONBLOCK) != 0;
    }
}
