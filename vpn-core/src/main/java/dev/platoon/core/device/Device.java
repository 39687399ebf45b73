package dev.platoon.core.device;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import dev.platoon.config.Cidr;
import dev.platoon.config.InterfaceAddress;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;
import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.datapath.InboundPath;
import dev.platoon.core.datapath.OutboundPath;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.routing.IpPrefix;
import dev.platoon.core.transport.ChannelDatagramSender;
import dev.platoon.core.transport.QueueLoop;
import dev.platoon.core.transport.QueueLoops;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.UdpBind;
import dev.platoon.core.transport.UdpOptions;
import dev.platoon.core.uapi.UapiServer;
import dev.platoon.crypto.StaticIdentity;
import dev.platoon.tun.LinkConfig;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import dev.platoon.tun.TunException;
import io.netty.buffer.PooledByteBufAllocator;

/**
 * A running WireGuard interface: the tun device with one queue per loop, the UDP sockets, the peers
 * and their handshakes and timers. {@link #up} builds it in an order that leaves nothing half-made:
 * every failure undoes what was done and reports one line.
 */
public final class Device implements AutoCloseable {
    public static final int DEFAULT_MTU = 1420;
    private static final Logger LOG = Logger.getLogger(Device.class.getName());
    private static final Duration TICK = Duration.ofMillis(100);

    private final String name;
    private final Path configFile;
    private final TunDevice tun;
    private final QueueLoops loops;
    private final UdpBind bind;
    private final List<QueueLoop> queueLoops;
    private final List<OutboundPath> outbound;
    private final List<InboundPath> inbound;
    private final HandshakeWorker worker;
    private final LoadWatch loadWatch;
    private final AllowedIps<Peer> routes;
    private final ScheduledExecutorService timer;
    private final DataPathCounters counters;
    private final TransportCounters transportCounters;
    private final int mtu;
    private final PolicyRouting routing;
    private final DnsConfig dns;
    private volatile boolean closed;
    private UapiServer uapi;
    private DeviceUapi control;
    private Path statusFile;

    private Device(Builder b) {
        this.name = b.name;
        this.configFile = b.configFile;
        this.tun = b.tun;
        this.loops = b.loops;
        this.bind = b.bind;
        this.queueLoops = b.queueLoops;
        this.outbound = b.outbound;
        this.inbound = b.inbound;
        this.worker = b.worker;
        this.loadWatch = b.loadWatch;
        this.routes = b.routes;
        this.timer = b.timer;
        this.counters = b.counters;
        this.transportCounters = b.transportCounters;
        this.mtu = b.mtu;
        this.routing = b.routing;
        this.dns = b.dns;
    }

    /** Creates and configures the interface, then serves it. Throws with one line on any failure. */
    public static Device up(String name, Path configFile, WgConfig config, DeviceOptions options)
            throws DeviceException {
        // Link libcrypto for the native cipher while the interface is set up, then try the other engines
        // on what the data path leaves idle (crypto.AeadEngines).
        dev.platoon.crypto.AeadEngines.startTrial();
        Builder b = new Builder(name, configFile);
        try {
            b.build(config, options);
            Device device = new Device(b);
            device.serve(config, options);
            return device;
        } catch (DeviceException e) {
            b.undo();
            throw e;
        } catch (RuntimeException e) {
            b.undo();
            throw new DeviceException(name + ": " + oneLine(e), e);
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m.lines().findFirst().orElse(m));
    }

    /** The control socket for wg, and the status file for platoon show. */
    private void serve(WgConfig config, DeviceOptions options) throws DeviceException {
        if (options.controlSocket()) {
            java.util.Map<String, byte[]> psks = new java.util.HashMap<>();
            for (PeerConfig p : config.peers()) {
                p.presharedKey().ifPresent(k -> psks.put(p.publicKey().toBase64(), k.bytes()));
            }
            try {
                control = new DeviceUapi(this, config.iface().privateKey().map(k -> k.bytes()).orElse(null),
                        routing.fwmark(), psks); // the mark the sockets really carry (full tunnel may pick one)
                uapi = UapiServer.start(name, control);
            } catch (IOException e) {
                close();
                throw new DeviceException(name + ": control socket: " + oneLine(e), e);
            }
        }
        statusFile = options.statusFile();
        if (statusFile != null) {
            writeStatus();
            timer.scheduleAtFixedRate(this::writeStatus, 1, 1, TimeUnit.SECONDS);
        }
    }

    /**
     * Makes the running peers match a configuration (SIGHUP, syncconf): peers updated in place keep
     * their sessions. Throws with one line when the configuration asks for what a running device
     * cannot change (private key, port, fwmark).
     */
    public void sync(WgConfig config) throws DeviceException {
        if (control == null) {
            throw new DeviceException(name + ": reconfiguring needs the control socket");
        }
        try {
            control.apply(SyncRequest.of(config, control.snapshot()));
        } catch (UnknownHostException e) {
            throw new DeviceException(name + ": cannot resolve endpoint host " + e.getMessage(), e);
        } catch (dev.platoon.core.uapi.UapiException e) {
            throw new DeviceException(name + ": " + e.getMessage(), e);
        }
    }

    /**
     * {@code SaveConfig = true}: writes the running private key and peers, with {@code fileConfig}'s
     * wg-quick keys, over the file the interface came from (mode 0600, atomically), as wg-quick does on
     * {@code down}.
     */
    public void saveConfig(WgConfig fileConfig) throws IOException {
        if (control == null) {
            return;
        }
        dev.platoon.config.ConfigWriter.writeFile(SavedConfig.of(fileConfig, control.snapshot()), configFile);
    }

    /** Writes what platoon show prints, atomically (write a temp file, rename). */
    void writeStatus() {
        try {
            Path tmp = statusFile.resolveSibling(statusFile.getFileName() + ".tmp");
            java.nio.file.Files.writeString(tmp, DeviceStatus.render(this, java.time.Instant.now()));
            java.nio.file.Files.move(tmp, statusFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            LOG.fine("status file not written: " + oneLine(e));
        }
    }

    /** One line for the log: queues, offloads, port, and how transport data is encrypted. */
    public String describe() {
        return tun.describe() + ", UDP port " + bind.localPort() + ", MTU " + mtu + ", "
                + worker.peers().size() + (worker.peers().size() == 1 ? " peer" : " peers")
                + "; ChaCha20-Poly1305 engine: " + dev.platoon.crypto.AeadEngines.summary();
    }

    public String name() {
        return name;
    }

    public Path configFile() {
        return configFile;
    }

    public TunDevice tun() {
        return tun;
    }

    public int listenPort() {
        return bind.localPort();
    }

    public HandshakeWorker worker() {
        return worker;
    }

    public LoadWatch loadWatch() {
        return loadWatch;
    }

    public AllowedIps<Peer> routes() {
        return routes;
    }

    /** Our static key pair: the worker's, which {@code wg set NAME private-key} replaces. */
    public StaticIdentity identity() {
        return worker.identity();
    }

    /** Whether the interface has a private key (a file may leave it to PostUp's {@code wg set}). */
    public boolean hasPrivateKey() {
        return control == null || control.hasPrivateKey();
    }

    /**
     * Takes a new static key pair; returns the one replaced, which the caller closes after re-creating
     * the peers (their handshake state holds the old one).
     */
    StaticIdentity replaceIdentity(byte[] privateKey) {
        return worker.replaceIdentity(new StaticIdentity(privateKey));
    }

    /**
     * Moves the UDP sockets to {@code port} ({@code wg set NAME listen-port N}; 0 lets the kernel pick)
     * without taking the interface down: sessions live on, peers learn the new port from our next packet.
     */
    synchronized void changeListenPort(int port) throws DeviceException {
        Builder.requirePortFree(name, port);
        try {
            bind.rebind(port, (channel, i) -> queueLoops.get(i).attach(channel));
        } catch (IOException e) {
            throw new DeviceException(name + ": " + oneLine(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException(name + ": interrupted while moving to UDP port " + port, e);
        }
        LOG.info(name + ": listening on UDP port " + bind.localPort());
    }

    /** Marks every UDP socket with {@code mark} (SO_MARK; 0 clears it), as {@code wg set NAME fwmark}. */
    void setFwmark(int mark) throws IOException {
        bind.setFwmark(mark);
    }

    public DataPathCounters counters() {
        return counters;
    }

    public TransportCounters transportCounters() {
        return transportCounters;
    }

    public List<OutboundPath> outboundPaths() {
        return outbound;
    }

    public List<InboundPath> inboundPaths() {
        return inbound;
    }

    public int mtu() {
        return mtu;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        timer.shutdownNow();
        if (uapi != null) {
            uapi.close();
        }
        if (statusFile != null) {
            try {
                java.nio.file.Files.deleteIfExists(statusFile);
            } catch (IOException ignored) {
                // a stale status file is ignored when no process is alive for it
            }
        }
        dns.remove(); // wg-quick's del_if order: DNS, then rules, then the link (its routes go with it)
        routing.remove();
        for (QueueLoop q : queueLoops) {
            q.close(); // off the loop first: a closed fd number can be reused
        }
        tun.close(); // the device disappears with its last queue fd, and its addresses and routes with it
        bind.close();
        loops.close();
        worker.close();
        worker.identity().close();
    }

    /** What {@link #up} has made so far, so a failure can undo exactly that. */
    private static final class Builder {
        final String name;
        final Path configFile;
        TunDevice tun;
        QueueLoops loops;
        UdpBind bind;
        final List<QueueLoop> queueLoops = new ArrayList<>();
        final List<OutboundPath> outbound = new ArrayList<>();
        final List<InboundPath> inbound = new ArrayList<>();
        HandshakeWorker worker;
        LoadWatch loadWatch;
        final AllowedIps<Peer> routes = new AllowedIps<>();
        ScheduledExecutorService timer;
        StaticIdentity identity;
        final DataPathCounters counters = new DataPathCounters();
        final TransportCounters transportCounters = new TransportCounters();
        int mtu;
        PolicyRouting routing;
        DnsConfig dns;

        Builder(String name, Path configFile) {
            this.name = name;
            this.configFile = configFile;
        }

        void build(WgConfig config, DeviceOptions options) throws DeviceException {
            var iface = config.iface();
            LongSupplier nanoClock = System::nanoTime;
            ProtocolTimings timings = options.timings();
            // No PrivateKey (wg-quick allows it; PostUp may run wg set NAME private-key FILE): a throwaway
            // key pair until one is set, which no peer knows, so no handshake completes with it.
            identity = iface.privateKey().isPresent() ? new StaticIdentity(iface.privateKey().get().bytes())
                    : StaticIdentity.generate();
            List<ResolvedPeer> peers = resolvePeers(config.peers());
            Host host = Host.system();
            mtu = iface.mtu().isPresent() ? iface.mtu().getAsInt() : LinkMtu.choose(host, peers.stream()
                    .filter(p -> p.endpoint != null).map(p -> p.endpoint.getAddress()).toList());

            requirePortFree(name, iface.listenPort().orElse(0)); // before anything is made
            QueueLoops.ensureEpoll();
            int queues = options.queues();
            try {
                tun = TunDevice.open(TunConfig.tun(name).withQueues(queues));
            } catch (TunException e) {
                throw new DeviceException(e.getMessage(), e);
            }
            queues = tun.queueCount();
            loops = QueueLoops.create(queues, "platoon-" + name);

            LateSender sender = new LateSender();
            worker = new HandshakeWorker(identity, sender, timings, nanoClock, InstantSource.system(), 1);
            worker.setMtu(mtu);
            loadWatch = new LoadWatch(name, worker, LoadWatch.KernelLoss.of(name), InstantSource.system());
            for (ResolvedPeer rp : peers) {
                Peer peer = worker.addPeer(rp.config.publicKey().bytes(),
                        rp.config.presharedKey().map(k -> k.bytes()).orElse(null));
                if (rp.endpoint != null) {
                    peer.updateEndpoint(rp.endpoint);
                }
                for (Cidr cidr : rp.config.allowedIps()) {
                    routes.insert(IpPrefix.of(cidr.address(), cidr.prefix()), peer);
                }
                peer.setPersistentKeepalive(rp.config.persistentKeepalive());
            }

            for (int i = 0; i < queues; i++) {
                inbound.add(new InboundPath(worker.indexTable(), routes, worker, timings, counters, nanoClock));
            }
            routing = PolicyRouting.plan(name, iface, config.peers(), host); // the mark is needed before binding
            dns = DnsConfig.of(name, iface, host);
            UdpOptions udp = UdpOptions.defaults().withFwmark(routing.fwmark());
            int port = iface.listenPort().orElse(0);
            try {
                bind = UdpBind.open(loops.loops(), null, port, udp, transportCounters, inbound::get);
            } catch (IOException e) {
                throw new DeviceException(name + ": " + oneLine(e), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DeviceException(name + ": interrupted while binding UDP port " + port, e);
            }
            sender.target = new ChannelDatagramSender(bind, transportCounters);

            for (int i = 0; i < queues; i++) {
                OutboundPath out = new OutboundPath(routes, bind.sender(i), PooledByteBufAllocator.DEFAULT, mtu,
                        counters, nanoClock);
                outbound.add(out);
                QueueLoop q = new QueueLoop(loops.loop(i), bind.sender(i), tun.queue(i).fd(), out, transportCounters);
                queueLoops.add(q);
                inbound.get(i).attachTun(tun.offloads().uso(), q::writeFrame);
                q.start().syncUninterruptibly();
            }

            configureLink(iface.addresses(), host);

            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "platoon-timers-" + name);
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(() -> {
                try {
                    worker.tickAll(nanoClock.getAsLong());
                    loadWatch.tick();
                } catch (RuntimeException e) {
                    LOG.warning("timer tick failed: " + oneLine(e));
                }
            }, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
        }

        /** wg-quick's order: addresses, MTU and up, DNS, then routes and rules (longest prefix first). */
        /**
         * Our sockets bind with SO_REUSEPORT (one per loop), and so would another process's: the kernel
         * would then let two interfaces share a port and split its traffic. A plain bind first (closed
         * at once) fails with "address in use" when anyone holds the port.
         */
        static void requirePortFree(String name, int port) throws DeviceException {
            if (port == 0) {
                return;
            }
            java.net.StandardProtocolFamily family = java.net.StandardProtocolFamily.INET6;
            try {
                java.nio.channels.DatagramChannel.open(family).close();
            } catch (UnsupportedOperationException | IOException noIpv6) {
                family = java.net.StandardProtocolFamily.INET;
            }
            try (java.nio.channels.DatagramChannel probe = java.nio.channels.DatagramChannel.open(family)) {
                probe.bind(new InetSocketAddress(port)); // [::]:port is dual-stack: covers IPv4 too
            } catch (java.net.BindException e) {
                throw new DeviceException(name + ": UDP port " + port + " is already in use");
            } catch (IOException e) {
                throw new DeviceException(name + ": cannot check UDP port " + port + ": " + oneLine(e), e);
            }
        }

        /** Over netlink, announced as the {@code ip} commands wg-quick runs for the same. */
        private void configureLink(List<InterfaceAddress> addresses, Host host) throws DeviceException {
            LinkConfig link = new LinkConfig(name);
            try {
                try {
                    link.noLinkLocalAddress();
                } catch (TunException noIpv6) {
                    LOG.fine(name + ": IPv6 link-local address left to the kernel: " + oneLine(noIpv6));
                }
                for (InterfaceAddress a : addresses) {
                    host.log("[#] ip -" + (a.toString().contains(":") ? "6" : "4") + " address add " + a + " dev " + name);
                    link.addAddress(a.toString());
                }
                host.log("[#] ip link set mtu " + mtu + " up dev " + name);
                link.mtu(mtu);
                link.up();
            } catch (TunException e) {
                throw new DeviceException(name + ": " + oneLine(e), e);
            }
            try {
                dns.apply();
                routing.apply();
            } catch (DeviceException e) {
                throw new DeviceException(name + ": " + e.getMessage(), e);
            }
        }

        private List<ResolvedPeer> resolvePeers(List<PeerConfig> configs) throws DeviceException {
            List<ResolvedPeer> out = new ArrayList<>();
            for (PeerConfig pc : configs) {
                InetSocketAddress endpoint = null;
                if (pc.endpoint().isPresent()) {
                    var e = pc.endpoint().get();
                    try {
                        InetAddress address = e.literalAddress().orElse(null);
                        if (address == null) {
                            address = InetAddress.getByName(e.host());
                        }
                        endpoint = new InetSocketAddress(address, e.port());
                    } catch (UnknownHostException ex) {
                        throw new DeviceException(name + ": peer " + pc.publicKey().toBase64().substring(0, 8)
                                + "…: cannot resolve endpoint host " + e.host());
                    }
                }
                out.add(new ResolvedPeer(pc, endpoint));
            }
            return out;
        }

        void undo() {
            if (timer != null) {
                timer.shutdownNow();
            }
            if (dns != null) {
                dns.remove();
            }
            if (routing != null) {
                routing.remove();
            }
            for (QueueLoop q : queueLoops) {
                q.close();
            }
            if (tun != null) {
                tun.close();
            }
            if (bind != null) {
                bind.close();
            }
            if (loops != null) {
                loops.close();
            }
            if (worker != null) {
                worker.close();
            }
            if (identity != null) {
                identity.close();
            }
        }
    }

    private record ResolvedPeer(PeerConfig config, InetSocketAddress endpoint) {
    }

    /** The handshake worker needs a sender before the sockets exist; this one is bound afterwards. */
    private static final class LateSender implements dev.platoon.core.transport.DatagramSender {
        volatile dev.platoon.core.transport.DatagramSender target;

        @Override
        public void send(java.nio.ByteBuffer message, InetSocketAddress to) {
            var t = target;
            if (t != null) {
                t.send(message, to);
            }
        }
    }
}
