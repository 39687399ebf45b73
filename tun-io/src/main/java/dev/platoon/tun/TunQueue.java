package dev.platoon.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * One queue of a tun/tap device: one fd. vpn-core reads {@link #fd()} on its own epoll loop; the
 * read/write helpers here (JNA, ~0.5 µs a call) are for tests, tools and the reflector. Every frame
 * read or written starts with the virtio_net_hdr when the device has one.
 */
public final class TunQueue implements AutoCloseable {
    private final String device;
    private final int index;
    private volatile int fd;
    private ByteBuffer lastBuffer;
    private long lastAddress;
    private final int[] pollfd = new int[2];

    TunQueue(String device, int index, int fd) {
        this.device = device;
        this.index = index;
        this.fd = fd;
    }

    /** The raw file descriptor; -1 once closed. */
    public int fd() { return fd; }

    public int index() { return index; }

    /** Sets or clears O_NONBLOCK. */
    public void setNonBlocking(boolean nonBlocking) throws TunException {
        try {
            int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
            flags = nonBlocking ? flags | LibC.O_NONBLOCK : flags & ~LibC.O_NONBLOCK;
            LibC.fcntl(fd, LibC.F_SETFL, flags);
        } catch (LastErrorException e) {
            throw new TunException(where() + ": fcntl O_NONBLOCK failed: " + TunException.describe(e.getErrorCode()),
                    e.getErrorCode());
        }
    }

    /** Reads one frame into a direct buffer at {@code [off, off+len)}; 0 when non-blocking and empty. */
    public int read(ByteBuffer buf, int off, int len) throws TunException {
        check(buf, off, len);
        return readAddress(address(buf) + off, len);
    }

    /** Writes one frame from a direct buffer; 0 when non-blocking and the device cannot take it now. */
    public int write(ByteBuffer buf, int off, int len) throws TunException {
        check(buf, off, len);
        return writeAddress(address(buf) + off, len);
    }

    public int readAddress(long address, int len) throws TunException {
        while (true) {
            try {
                return (int) LibC.read(fd, address, len);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.EAGAIN) {
                    return 0;
                }
                if (errno != LibC.EINTR) {
                    throw new TunException(where() + ": read failed: " + TunException.describe(errno), errno);
                }
            }
        }
    }

    public int writeAddress(long address, int len) throws TunException {
        while (true) {
            try {
                return (int) LibC.write(fd, address, len);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if (errno == LibC.EAGAIN) {
                    return 0;
                }
                if (errno != LibC.EINTR) {
                    // EINVAL here means the kernel refused the frame (its virtio_net_hdr or lengths).
                    throw new TunException(where() + ": write of " + len + " bytes refused: "
                            + TunException.describe(errno), errno);
                }
            }
        }
    }

    /** Waits up to {@code timeoutMs} for a frame to read; true when one is there. */
    public boolean poll(int timeoutMs) throws TunException {
        pollfd[0] = fd;
        pollfd[1] = LibC.POLLIN;
        try {
            return LibC.poll(pollfd, 1, timeoutMs) > 0 && (pollfd[1] >>> 16 & LibC.POLLIN) != 0;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == LibC.EINTR) {
                return false;
            }
            throw new TunException(where() + ": poll failed: " + TunException.describe(e.getErrorCode()), e.getErrorCode());
        }
    }

    @Override
    public void close() {
        int f = fd;
        fd = -1;
        if (f >= 0) {
            LibC.close(f);
        }
    }

    private long address(ByteBuffer buf) {
        // Cache the last buffer's address: looking it up allocates a Pointer.
        if (buf != lastBuffer) {
            lastAddress = Pointer.nativeValue(Native.getDirectBufferPointer(buf));
            lastBuffer = buf;
        }
        return lastAddress;
    }

    private void check(ByteBuffer buf, int off, int len) {
        if (!buf.isDirect()) {
            throw new IllegalArgumentException("tun I/O needs a direct ByteBuffer");
        }
        if (off < 0 || len < 0 || off + len > buf.capacity()) {
            throw new IndexOutOfBoundsException("[" + off + ", " + (off + len) + ") outside capacity " + buf.capacity());
        }
    }

    private String where() {
        return device + " queue " + index;
    }
}
