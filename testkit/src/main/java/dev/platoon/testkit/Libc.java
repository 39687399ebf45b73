package dev.platoon.testkit;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The libc calls tests make directly: setns into a namespace, socketpairs standing in for tun queues,
 * and raw ioctl/read/write on such descriptors. One binding (JNA direct mapping) for every module's tests;
 * a failing call throws {@link LastErrorException} carrying errno.
 */
public final class Libc {
    public static final int AF_UNIX = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_SEQPACKET = 5;
    public static final int O_RDONLY = 0;
    public static final int O_RDWR = 2;
    public static final int O_CLOEXEC = 0x80000;
    public static final int CLONE_NEWNET = 0x40000000;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private Libc() {
    }

    public static native int open(String path, int flags) throws LastErrorException;

    public static native int close(int fd) throws LastErrorException;

    public static native int setns(int fd, int nstype) throws LastErrorException;

    public static native int socketpair(int domain, int type, int protocol, int[] sv) throws LastErrorException;

    public static native int ioctl(int fd, long request, byte[] arg) throws LastErrorException;

    public static native int ioctl(int fd, long request, int[] arg) throws LastErrorException;

    public static native int ioctl(int fd, long request, long arg) throws LastErrorException;

    public static native long write(int fd, byte[] buf, long count) throws LastErrorException;

    public static native long read(int fd, byte[] buf, long count) throws LastErrorException;

    /** A connected AF_UNIX SOCK_SEQPACKET pair: each write is read whole, as a frame from a tun queue is. */
    public static int[] packetPair() {
        int[] sv = new int[2];
        socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
        return sv;
    }

    /** Moves the calling thread into the named network namespace ({@code /var/run/netns/NAME}). */
    public static void enterNetns(String name) {
        int fd = open("/var/run/netns/" + name, O_RDONLY | O_CLOEXEC);
        try {
            setns(fd, CLONE_NEWNET);
        } finally {
            close(fd);
        }
    }
}
