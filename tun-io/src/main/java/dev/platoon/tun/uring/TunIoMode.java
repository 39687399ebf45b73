package dev.platoon.tun.uring;

import dev.platoon.tun.TunException;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * How a tun queue is driven: readiness (poll/epoll, then read and write) or io_uring. vpn-core's
 * queue loops use epoll only: with offloads on, io_uring's saving on the reflector was within the
 * noise (docs/benchmarks.md, "io_uring"), so it stays with the reflector bench. Asking for io_uring
 * where the kernel refuses it (kernel.io_uring_disabled, a seccomp filter, an old kernel) falls
 * back to epoll with one log line.
 */
public enum TunIoMode {
    EPOLL, URING;

    /** The mode a setting names (blank: epoll); a bad value is a one-line error naming it. */
    public static TunIoMode parse(String value) {
        if (value == null || value.isBlank()) {
            return EPOLL;
        }
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "epoll" -> EPOLL;
            case "uring", "io_uring" -> URING;
            default -> throw new IllegalArgumentException("tun io mode '" + value + "': expected epoll or uring");
        };
    }

    /**
     * This mode if the kernel can give it: for {@link #URING}, a small ring is set up and closed
     * again; when that fails, {@code log} gets one line saying why and {@link #EPOLL} is returned.
     */
    public TunIoMode resolve(IoUring.SetupCall setup, Consumer<String> log) {
        if (this == EPOLL) {
            return EPOLL;
        }
        try (IoUring probe = IoUring.open(8, setup)) {
            return URING;
        } catch (TunException | RuntimeException | LinkageError e) {
            log.accept("tun io_uring unavailable, using epoll: " + e.getMessage());
            return EPOLL;
        }
    }
}
