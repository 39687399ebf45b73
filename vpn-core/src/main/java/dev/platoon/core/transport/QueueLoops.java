package dev.platoon.core.transport;

import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The N epoll event loops of a device, one per tun queue. Loops are daemon threads named
 * {@code <prefix>-<i>}; {@link #close()} shuts them down with a short quiet period, and Netty then closes
 * whatever is still registered (UDP channels, tun handles).
 */
public final class QueueLoops implements AutoCloseable {

    /** Raised when the epoll native transport cannot load; its message is one line for the user. */
    public static final class TransportUnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        TransportUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final MultiThreadIoEventLoopGroup group;
    private final List<IoEventLoop> loops;

    private QueueLoops(MultiThreadIoEventLoopGroup group) {
        this.group = group;
        List<IoEventLoop> list = new ArrayList<>();
        for (EventExecutor e : group) {
            list.add((IoEventLoop) e);
        }
        this.loops = List.copyOf(list);
    }

    /** Fails with one line when Netty's epoll transport is not usable here (not Linux, native lib missing). */
    public static void ensureEpoll() {
        try {
            Epoll.ensureAvailability();
        } catch (Throwable t) {
            Throwable cause = Epoll.unavailabilityCause() != null ? Epoll.unavailabilityCause() : t;
            throw new TransportUnavailableException("epoll native transport unavailable ("
                    + System.getProperty("os.name") + "/" + System.getProperty("os.arch") + "): "
                    + firstLine(cause), t);
        }
    }

    private static String firstLine(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
    }

    /** One loop per available processor. */
    public static QueueLoops create() {
        return create(Runtime.getRuntime().availableProcessors(), "platoon-q");
    }

    /** {@code n} epoll loops: the kernel's tun queues and sockets register with them. */
    public static QueueLoops create(int n, String threadNamePrefix) {
        ensureEpoll();
        return create(n, threadNamePrefix, EpollIoHandler.newFactory());
    }

    /** {@code n} loops of another kind (in-memory devices use Netty's local loops). */
    public static QueueLoops create(int n, String threadNamePrefix, IoHandlerFactory handlers) {
        if (n <= 0) {
            throw new IllegalArgumentException("queue loops must be positive: " + n);
        }
        return new QueueLoops(new MultiThreadIoEventLoopGroup(n,
                new DefaultThreadFactory(threadNamePrefix, true), handlers));
    }

    public int size() {
        return loops.size();
    }

    public IoEventLoop loop(int i) {
        return loops.get(i);
    }

    public List<IoEventLoop> loops() {
        return loops;
    }

    public MultiThreadIoEventLoopGroup group() {
        return group;
    }

    /** Shuts the loops down (quiet period 10 ms, at most 2 s) and waits up to 5 s for them. */
    @Override
    public void close() {
        group.shutdownGracefully(10, 2000, TimeUnit.MILLISECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
