package dev.platoon.core.device;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.logging.Logger;

import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;
import dev.platoon.core.datapath.DataPathCounters;
import dev.platoon.core.datapath.InboundPath;
import dev.platoon.core.datapath.OutboundPath;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.Bind;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.uapi.UapiServer;
import dev.platoon.crypto.StaticIdentity;

/**
 * A running WireGuard interface: the tun device with one queue per loop, the UDP sockets, the peers
 * and their handshakes and timers. {@link #up} builds it in an order that leaves nothing half-made:
 * every failure undoes what was done and reports one line.
 */
public final class Device implements AutoCloseable {
    public static final int DEFAULT_MTU = 1420;
    static final Logger LOG = Logger.getLogger(Device.class.getName());
    static final Duration TICK = Duration.ofMillis(100);

    private final String name;
    private final Path configFile;
    private final DataPlane plane;
    private final Tun tun;
    private final Bind bind;
    private final HandshakeWorker worker;
    private final LoadWatch loadWatch;
    private final AllowedIps<Peer> routes;
    private final DataPathCounters counters;
    private final TransportCounters transportCounters;
    private final int mtu;
    private final HostSetup hostSetup;
    private final DeviceFailure failure;
    /** What was made, and how to undo it: the builder's list, with the control socket added. */
    private final Closers closers;
    private volatile boolean closed;
    private DeviceUapi control;

    private Device(DeviceBuilder b) {
        this.name = b.name;
        this.configFile = b.configFile;
        this.plane = b.plane;
        this.tun = b.plane.tun();
        this.bind = b.plane.bind();
        this.worker = b.worker;
        this.loadWatch = b.loadWatch;
        this.routes = b.plane.routes();
        this.counters = b.plane.counters();
        this.transportCounters = b.plane.transportCounters();
        this.mtu = b.mtu;
        this.hostSetup = b.hostSetup;
        this.failure = b.failure;
        this.closers = b.closers;
    }

    /** Creates and configures the interface, then serves it. Throws with one line on any failure. */
    public static Device up(String name, Path configFile, WgConfig config, DeviceOptions options)
            throws DeviceException {
        return up(name, configFile, config, options, DeviceParts.kernel());
    }

    /** As {@link #up(String, Path, WgConfig, DeviceOptions)}, made of {@code parts}. */
    public static Device up(String name, Path configFile, WgConfig config, DeviceOptions options, DeviceParts parts)
            throws DeviceException {
        // Link libcrypto for the native cipher while the interface is set up, then try the other engines
        // on what the data path leaves idle (crypto.AeadEngines).
        dev.platoon.crypto.AeadEngines.startTrial();
        DeviceBuilder b = new DeviceBuilder(name, configFile);
        try {
            b.build(config, options, parts);
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

    /**
     * The control socket, for wg and for {@code platoon show} (which asks it to render the status:
     * nothing walks the peers ahead of a reader).
     */
    private void serve(WgConfig config, DeviceOptions options) throws DeviceException {
        if (options.controlSocket()) {
            java.util.Map<String, byte[]> psks = new java.util.HashMap<>();
            for (PeerConfig p : config.peers()) {
                p.presharedKey().ifPresent(k -> psks.put(p.publicKey().toBase64(), k.bytes()));
            }
            try {
                control = new DeviceUapi(this, config.iface().privateKey().map(k -> k.bytes()).orElse(null),
                        hostSetup.fwmark(), psks); // the mark the sockets really carry (full tunnel may pick one)
                UapiServer uapi = UapiServer.start(name, control);
                closers.add("the control socket", uapi::close);
            } catch (IOException e) {
                close();
                throw new DeviceException(name + ": control socket: " + oneLine(e), e);
            }
        }
    }

    /**
     * Makes the running device match a configuration (SIGHUP, syncconf): peers updated in place keep
     * their sessions; a new private key, listen port or fwmark applies live as with {@code wg set}.
     * Throws with one line when a change cannot be made (a taken port, say).
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

    /**
     * Who is told, once and on a thread of its own, that the device cannot go on — its tun device was
     * deleted ({@code ip link del}) or cannot be read — with the reason in one line. The handler is
     * expected to close the device; until one is set the reason is logged (and handed to it when set).
     */
    public void onFailure(java.util.function.Consumer<String> handler) {
        failure.setHandler(handler);
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

    public Tun tun() {
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
        DeviceBuilder.requirePortFree(name, port);
        try {
            bind.rebind(port);
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
        return plane.dataPath().outbound();
    }

    public List<InboundPath> inboundPaths() {
        return plane.dataPath().inbound();
    }

    public int mtu() {
        return mtu;
    }

    /**
     * Undoes everything, newest first: the control socket, the timers, the host's setup (liveness file,
     * DNS, then routes and rules, as wg-quick's del_if), the data plane (its tun device takes the
     * addresses with it), the static key. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        failure.close();
        closers.close();
    }
}
