package dev.platoon.core.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What systemd listens with for {@code Type=notify}: a unix datagram socket bound to a path. libc over
 * FFM, as Java's unix sockets are stream-only. {@link #receive} waits (bounded) for the next datagram.
 */
final class NotifyListener implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle SOCKET = handle("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    private static final MethodHandle BIND = handle("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle SETSOCKOPT = handle("setsockopt", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    private static final MethodHandle RECV = handle("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    private static final MethodHandle CLOSE = handle("close", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT));

    final Path path;
    private final int fd;

    NotifyListener(Path path) throws Throwable {
        this.path = path;
        this.fd = (int) SOCKET.invokeExact(1, 2 | 0x80000, 0); // AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC
        if (fd < 0) {
            throw new IOException("socket failed");
        }
        try (Arena arena = Arena.ofConfined()) {
            byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
            MemorySegment address = arena.allocate(110);
            address.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            MemorySegment.copy(name, 0, address, ValueLayout.JAVA_BYTE, 2, name.length);
            if ((int) BIND.invokeExact(fd, address, 2 + name.length + 1) != 0) {
                close();
                throw new IOException("bind " + path + " failed");
            }
        }
    }

    /** The next datagram's text, or null when none came within {@code timeout}. */
    String receive(Duration timeout) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeval = arena.allocate(16);
            timeval.set(ValueLayout.JAVA_LONG, 0, timeout.toSeconds());
            timeval.set(ValueLayout.JAVA_LONG, 8, timeout.toMillisPart() * 1000L);
            int ok = (int) SETSOCKOPT.invokeExact(fd, 1, 20, timeval, 16); // SOL_SOCKET, SO_RCVTIMEO
            if (ok != 0) {
                throw new IOException("setsockopt SO_RCVTIMEO failed");
            }
            MemorySegment buffer = arena.allocate(4096);
            long n = (long) RECV.invokeExact(fd, buffer, 4096L, 0);
            return n < 0 ? null : new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable e) {
            throw new IOException(e);
        }
        Files.deleteIfExists(path);
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
