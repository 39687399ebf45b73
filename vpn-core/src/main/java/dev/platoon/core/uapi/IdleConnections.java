package dev.platoon.core.uapi;

import io.netty.channel.Channel;
import java.lang.System.Logger.Level;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open control-socket connections in the order they came, so that past {@code kept} of them a new
 * one closes the oldest that is idle (nothing in flight) instead of being refused: whatever a local
 * process does with idle connections, {@code wg} always gets an answer.
 */
final class IdleConnections {
    private static final System.Logger LOG = System.getLogger(IdleConnections.class.getName());
    private static final long WARN_EVERY_NANOS = 60_000_000_000L;

    private final String interfaceName;
    private final int kept;
    private final Map<Channel, UapiServerHandler> open = new LinkedHashMap<>();
    private long warnedAt = System.nanoTime() - WARN_EVERY_NANOS;
    private long closedSinceWarning;

    IdleConnections(String interfaceName, int kept) {
        this.interfaceName = interfaceName;
        this.kept = kept;
    }

    /** A new connection: remembered until it closes; makes room by closing the oldest idle one. */
    synchronized void admit(Channel channel, UapiServerHandler handler) {
        open.put(channel, handler);
        channel.closeFuture().addListener(f -> forget(channel));
        if (open.size() <= kept) {
            return;
        }
        for (Iterator<Map.Entry<Channel, UapiServerHandler>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Channel, UapiServerHandler> e = it.next();
            if (e.getKey() != channel && e.getValue().isIdle()) {
                it.remove();
                e.getKey().close();
                closedSinceWarning++;
                break;
            }
        }
        long now = System.nanoTime();
        if (closedSinceWarning > 0 && now - warnedAt >= WARN_EVERY_NANOS) {
            LOG.log(Level.WARNING, "{0}: more than {1} control-socket connections: closed {2} idle one(s), oldest first",
                    interfaceName, kept, closedSinceWarning);
            warnedAt = now;
            closedSinceWarning = 0;
        }
    }

    private synchronized void forget(Channel channel) {
        open.remove(channel);
    }

    synchronized int size() {
        return open.size();
    }
}
