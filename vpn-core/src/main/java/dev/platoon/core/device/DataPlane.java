package dev.platoon.core.device;

import java.io.IOException;

import dev.platoon.core.datapath.DataPath;
import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.PeerRegistry;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.transport.Bind;
import dev.platoon.core.transport.QueueLoops;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.UdpOptions;
import dev.platoon.crypto.StaticIdentity;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * The WireGuard engine of a device: tun queues, one loop each, the UDP sockets, the peers (a
 * {@link PeerRegistry}) with the handshake worker that serves them and the routes between them, and the data path that joins them. Each part is made
 * from the ones before it, from {@link DeviceParts}: {@link #open} makes everything up to the worker
 * (bound sockets deliver nothing yet), the caller adds the peers, and {@link #start} starts the data
 * path. {@link #close} undoes whatever was made, in reverse.
 */
public final class DataPlane implements AutoCloseable {
    private final String name;
    private final DeviceParts parts;
    private final DataPathCounters counters = new DataPathCounters();
    private final TransportCounters transportCounters = new TransportCounters();
    private final AllowedIps<Peer> routes = new AllowedIps<>();
    private final PeerRegistry peers = new PeerRegistry();
    private final ProtocolTimings timings;
    private final int mtu;
    private Tun tun;
    private QueueLoops loops;
    private Bind bind;
    private HandshakeWorker worker;
    private DataPath dataPath;

    private DataPlane(String name, DeviceParts parts, ProtocolTimings timings, int mtu) {
        this.name = name;
        this.parts = parts;
        this.timings = timings;
        this.mtu = mtu;
    }

    /**
     * Opens the tun side with up to {@code queues} queues, a loop per queue, the sockets on {@code port}
     * and the handshake worker for {@code identity}. Throws one line, with
     * nothing left open, when a part cannot be made.
     */
    public static DataPlane open(String name, DeviceParts parts, int queues, int port, UdpOptions udp,
                                 StaticIdentity identity, ProtocolTimings timings, int mtu) throws DeviceException {
        DataPlane p = new DataPlane(name, parts, timings, mtu);
        try {
            p.openParts(queues, port, udp, identity);
            return p;
        } catch (DeviceException | RuntimeException e) {
            p.close();
            throw e;
        }
    }

    private void openParts(int queues, int port, UdpOptions udp, StaticIdentity identity) throws DeviceException {
        try {
            tun = parts.tuns().open(name, queues, transportCounters);
        } catch (IOException e) {
            throw new DeviceException(e.getMessage(), e);
        }
        loops = QueueLoops.create(tun.queueCount(), "platoon-" + name, parts.loops());
        try {
            bind = parts.binds().open(loops.loops(), port, udp, transportCounters);
        } catch (IOException e) {
            throw new DeviceException(name + ": " + Device.oneLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(name + ": interrupted while binding UDP port " + port, e);
        }
        worker = new HandshakeWorker(peers, identity, bind.controlSender(), timings, parts.nanoClock(),
                parts.wallClock(), 1);
        worker.setMtu(mtu);
    }

    /** Starts the data path: the sockets deliver, the tun queues are read. */
    public void start(DataPath.ReadFailure onReadFailure) {
        dataPath = DataPath.start(tun, bind, loops.loops(), worker, routes, timings, counters,
                PooledByteBufAllocator.DEFAULT, mtu, parts.nanoClock(), onReadFailure);
    }

    public Tun tun() {
        return tun;
    }

    public Bind bind() {
        return bind;
    }

    public HandshakeWorker worker() {
        return worker;
    }

    public PeerRegistry peers() {
        return peers;
    }

    public AllowedIps<Peer> routes() {
        return routes;
    }

    public DataPath dataPath() {
        return dataPath;
    }

    public DataPathCounters counters() {
        return counters;
    }

    public TransportCounters transportCounters() {
        return transportCounters;
    }

    public int mtu() {
        return mtu;
    }

    /** Stops and closes what was made, in reverse (not the identity: its owner closes it). Idempotent. */
    @Override
    public void close() {
        if (dataPath != null) {
            dataPath.close(); // off the loops first: a closed fd number can be reused
            dataPath = null;
        }
        if (tun != null) {
            tun.close();      // the device disappears with its last queue fd, its addresses and routes with it
            tun = null;
        }
        if (bind != null) {
            bind.close();
            bind = null;
        }
        if (loops != null) {
            loops.close();
            loops = null;
        }
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }
}
