package dev.platoon.core.memory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import dev.platoon.core.transport.Bind;

/**
 * The "internet" that {@link MemoryBind}s send to, like wireguard-go's {@code bindtest}: datagrams
 * go from one bind's address to another's, a train arriving as one receive batch, as the kernel's GRO
 * hands it over. Datagrams to an address nobody holds are counted and lost.
 */
public final class MemoryNet {
    private final Map<InetSocketAddress, MemoryBind> binds = new ConcurrentHashMap<>();
    private final AtomicInteger nextPort = new AtomicInteger(40_000);
    /** Datagrams delivered and lost for want of a receiver. */
    public final LongAdder delivered = new LongAdder();
    public final LongAdder unroutable = new LongAdder();

    /** An opener of binds at {@code address} on this network (port 0: one is picked). */
    public Bind.Opener opener(InetAddress address) {
        return (loops, port, options, counters) -> new MemoryBind(this, address, port, loops, counters);
    }

    int attach(MemoryBind bind, InetAddress address, int port) {
        int p = port != 0 ? port : nextPort.getAndIncrement();
        InetSocketAddress at = new InetSocketAddress(address, p);
        if (binds.putIfAbsent(at, bind) != null) {
            throw new IllegalStateException("address in use: " + at);
        }
        return p;
    }

    void detach(InetAddress address, int port) {
        binds.remove(new InetSocketAddress(address, port));
    }

    /** Hands {@code segments} datagrams (a train: {@code bytes} cut every {@code segmentSize}) to their receiver. */
    public void send(InetSocketAddress from, InetSocketAddress to, byte[] bytes, int segmentSize) {
        MemoryBind target = binds.get(normal(to));
        if (target == null) {
            unroutable.add((bytes.length + segmentSize - 1) / segmentSize);
            return;
        }
        delivered.add((bytes.length + segmentSize - 1) / segmentSize);
        target.arrive(from, bytes, segmentSize);
    }

    /** An IPv4-mapped IPv6 address (a dual-stack socket's view) is the IPv4 address. */
    private static InetSocketAddress normal(InetSocketAddress a) {
        return new InetSocketAddress(a.getAddress(), a.getPort());
    }
}
