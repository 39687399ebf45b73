package dev.platoon.core.transport;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/** libc calls the transport tests need: socketpair (a datagram stand-in for a tun queue), ioctl, read, write, close. */
final class TestLibc {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int SOCK_SEQPACKET = 5;
    static final int O_RDWR = 2;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private TestLibc() {
    }

    static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    static native int close(int fd) throws LastErrorException;

    static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    static native int ioctl(int fd, long request, int[] arg) throws LastErrorException;

    static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    static int[] packetPair() {
        int[] sv = new int[2];
        socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
        return sv;
    }
}
