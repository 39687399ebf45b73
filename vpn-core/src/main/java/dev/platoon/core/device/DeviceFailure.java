package dev.platoon.core.device;

import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The one fault a device cannot ride out: its tun device stops reading for good — deleted under it
 * ({@code ip link del}: EBADFD), or a read error. The first queue to see it reports; the reason is handed,
 * once and on a thread of its own (never a queue loop, which the shutdown then stops), to whoever runs
 * the device ({@code platoon up} tears down and exits non-zero). Without a handler it is logged.
 */
final class DeviceFailure {
    private final String name;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile Consumer<String> handler;
    private volatile String pending;
    private volatile boolean closed;

    DeviceFailure(String name) {
        this.name = name;
    }

    /** A queue loop's tun read stopped (loop thread: hands off at once). */
    void tunReadFailed(int queue, String why) {
        if (closed || !reported.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("platoon-failure-" + name).start(() -> deliver(reason(queue, why)));
    }

    /** The device was closed on purpose: what its queues report from now on is expected. */
    void close() {
        closed = true;
    }

    void setHandler(Consumer<String> h) {
        handler = h;
        String p = pending;
        if (p != null && h != null) {
            pending = null;
            h.accept(p);
        }
    }

    private void deliver(String reason) {
        if (closed) {
            return;
        }
        Consumer<String> h = handler;
        if (h == null) {
            pending = reason;
            Device.LOG.severe(name + ": " + reason);
            return;
        }
        h.accept(reason);
    }

    /** Whether the link is still there tells a deleted device from a failing one. */
    private String reason(int queue, String why) {
        boolean gone;
        try {
            gone = NetworkInterface.getByName(name) == null;
        } catch (SocketException e) {
            gone = false;
        }
        return gone ? "the tun device " + name + " was deleted"
                : "reading tun queue " + queue + " of " + name + " failed: " + why;
    }
}
