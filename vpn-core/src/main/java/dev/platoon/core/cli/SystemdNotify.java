package dev.platoon.core.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * sd_notify(3) without libsystemd: one datagram to the unix socket named by {@code NOTIFY_SOCKET} (a
 * path, or {@code @name} in the abstract namespace), as systemd's {@code Type=notify} expects. Java's
 * own unix sockets are stream-only, so the datagram goes through libc's {@code socket}/{@code sendto}
 * over the FFM API. Without {@code NOTIFY_SOCKET} (not under systemd) nothing is sent.
 */
final class SystemdNotify {
    static final String ENV = "NOTIFY_SOCKET";
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int SUN_PATH_BYTES = 108;

    private SystemdNotify() {
    }

    /** Sends {@code state} (e.g. {@code READY=1}) to systemd when it asked for it; false when it did not. */
    static boolean notifyIfAsked(String state) throws IOException {
        String socket = System.getenv(ENV);
        if (socket == null || socket.isEmpty()) {
            return false;
        }
        send(socket, state);
        return true;
    }

    /** Sends one datagram with {@code state} to the unix socket {@code socketName}. */
    static void send(String socketName, String state) throws IOException {
        byte[] path = socketName.getBytes(StandardCharsets.UTF_8);
        boolean abstractName = socketName.startsWith("@");
        if (path.length == 0 || path.length >= SUN_PATH_BYTES || !(abstractName || socketName.startsWith("/"))) {
            throw new IOException(ENV + "=" + socketName + " is not a unix socket path");
        }
        if (abstractName) {
            path[0] = 0; // "@name" is "\0name" on the wire
        }
        byte[] message = state.getBytes(StandardCharsets.UTF_8);
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        var stateLayout = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = stateLayout.varHandle(java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"));
        MethodHandle socketCall = linker.downcallHandle(libc.find("socket").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), errno);
        MethodHandle sendto = linker.downcallHandle(libc.find("sendto").orElseThrow(), FunctionDescriptor.of(
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), errno);
        MethodHandle close = linker.downcallHandle(libc.find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment callState = arena.allocate(stateLayout);
            MemorySegment address = arena.allocate(2 + SUN_PATH_BYTES); // sockaddr_un, zeroed
            address.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            MemorySegment.copy(path, 0, address, ValueLayout.JAVA_BYTE, 2, path.length);
            // A path ends with its NUL; an abstract name is exactly its bytes.
            int addressLength = 2 + path.length + (abstractName ? 0 : 1);
            MemorySegment data = arena.allocateFrom(ValueLayout.JAVA_BYTE, message);
            int fd = (int) socketCall.invokeExact(callState, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("socket(AF_UNIX, SOCK_DGRAM): errno " + (int) errnoHandle.get(callState, 0L));
            }
            try {
                long sent = (long) sendto.invokeExact(callState, fd, data, (long) message.length, MSG_NOSIGNAL,
                        address, addressLength);
                if (sent != message.length) {
                    throw new IOException("sd_notify to " + socketName + ": errno " + (int) errnoHandle.get(callState, 0L));
                }
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("sd_notify to " + socketName + ": " + e, e);
        }
    }
}
