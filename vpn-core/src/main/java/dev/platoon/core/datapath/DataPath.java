package dev.platoon.core.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.transport.Bind;
import dev.platoon.core.transport.QueueLoop;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.TunPort;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.IoEventLoop;

/**
 * A device's data path: per tun queue one loop carrying an {@link OutboundPath} (tun → network) and an
 * {@link InboundPath} (network → tun), and one {@link HandshakeInbound} for every message that is not
 * data. Built in dependency order from parts that already exist — the tun side, the bound but silent
 * UDP side, the handshake worker (which sends through the bind) — and then started: the bind starts
 * delivering and the tun queues start being read, so no packet meets a half-built path.
 */
public final class DataPath implements AutoCloseable {

    /** Who hears that a tun queue cannot be read any more (the device was deleted). */
    @FunctionalInterface
    public interface ReadFailure {
        void queueFailed(int queue, String why);
    }

    private final List<QueueLoop> queueLoops;
    private final List<OutboundPath> outbound;
    private final List<InboundPath> inbound;

    private DataPath(List<QueueLoop> queueLoops, List<OutboundPath> outbound, List<InboundPath> inbound) {
        this.queueLoops = List.copyOf(queueLoops);
        this.outbound = List.copyOf(outbound);
        this.inbound = List.copyOf(inbound);
    }

    /**
     * Builds the paths of every queue of {@code tun} (queue i on {@code loops.get(i)}, sending through
     * {@code bind.sender(i)}) and starts them. Returns once every tun queue is being read.
     */
    public static DataPath start(Tun tun, Bind bind, List<? extends IoEventLoop> loops, HandshakeWorker worker,
                                 AllowedIps<Peer> routes, ProtocolTimings timings, DataPathCounters counters,
                                 ByteBufAllocator alloc, int mtu, LongSupplier nanoClock, ReadFailure onReadFailure) {
        int n = tun.queueCount();
        if (loops.size() < n || bind.size() < n) {
            throw new IllegalArgumentException(n + " tun queues need as many loops (" + loops.size()
                    + ") and sockets (" + bind.size() + ")");
        }
        HandshakeInbound handshakes = new HandshakeInbound(worker, counters);
        List<QueueLoop> queueLoops = new ArrayList<>(n);
        List<OutboundPath> outbound = new ArrayList<>(n);
        List<InboundPath> inbound = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TunPort port = tun.queue(i);
            inbound.add(new InboundPath(worker.indexTable(), routes, handshakes, timings, counters, nanoClock,
                    port::writeFrame, tun.tcpTrains(), tun.udpTrains()));
            OutboundPath out = new OutboundPath(routes, bind.sender(i), alloc, mtu, counters, nanoClock);
            outbound.add(out);
            queueLoops.add(new QueueLoop(loops.get(i), bind.sender(i), port, out));
            int queue = i;
            port.onReadFailure(why -> onReadFailure.queueFailed(queue, why));
        }
        DataPath path = new DataPath(queueLoops, outbound, inbound);
        bind.receive(inbound::get, handshakes);
        for (QueueLoop q : queueLoops) {
            q.start().syncUninterruptibly();
        }
        return path;
    }

    public List<OutboundPath> outbound() {
        return outbound;
    }

    public List<InboundPath> inbound() {
        return inbound;
    }

    /** Stops reading the tun queues (before the device closes them: a closed fd number can be reused). */
    @Override
    public void close() {
        for (QueueLoop q : queueLoops) {
            q.close();
        }
    }
}
