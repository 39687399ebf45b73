package dev.platoon.core.device;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import dev.platoon.config.InterfaceAddress;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.config.IpPrefix;
import dev.platoon.core.tap.NeighbourTargets;
import dev.platoon.core.tap.TapSettings;
import dev.platoon.core.transport.Tun;
import dev.platoon.core.transport.UdpOptions;
import dev.platoon.crypto.Keys;
import dev.platoon.crypto.StaticIdentity;

/**
 * Builds a {@link Device} in order — the static key, the host's plan, the data plane and its peers,
 * the host's changes, the timers — adding to one {@link Closers} list how to undo each part as it is
 * made: a failure half-way and the device's own close run that same list.
 */
final class DeviceBuilder {
    final String name;
    final Path configFile;
    DataPlane plane;
    HandshakeWorker worker;
    LoadWatch loadWatch;
    StaticIdentity identity;
    int mtu;
    HostSetup hostSetup;
    final DeviceFailure failure;
    final Closers closers;
    private DeviceParts parts;

    DeviceBuilder(String name, Path configFile) {
        this.name = name;
        this.configFile = configFile;
        this.failure = new DeviceFailure(name);
        this.closers = new Closers(name);
    }

    void build(WgConfig config, DeviceOptions options, DeviceParts parts) throws DeviceException {
        var iface = config.iface();
        this.parts = parts;
        LongSupplier nanoClock = parts.nanoClock();
        ProtocolTimings timings = options.timings();
        // No PrivateKey (wg-quick allows it; PostUp may run wg set NAME private-key FILE): a throwaway
        // key pair until one is set, which no peer knows, so no handshake completes with it.
        identity = iface.privateKey().isPresent() ? new StaticIdentity(iface.privateKey().get().bytes())
                : StaticIdentity.generate();
        // The key in use at the end: `wg set NAME private-key` replaces it on the worker.
        closers.add("the static key", () -> (worker != null ? worker.identity() : identity).close());
        List<ResolvedPeer> peers = resolvePeers(config.peers());
        Host host = Host.system();
        mtu = iface.mtu().isPresent() ? iface.mtu().getAsInt() : LinkMtu.choose(host, peers.stream()
                .filter(p -> p.endpoint != null).map(p -> p.endpoint.getAddress()).toList());

        requirePortFree(name, iface.listenPort().orElse(0)); // before anything is made
        hostSetup = HostSetup.plan(name, iface, config.peers(), host, options.undoFile()); // the mark comes first
        if (options.tap()) {
            this.parts = parts.withTuns(tapOpener(iface.addresses()));
        }
        openDataPath(iface.listenPort().orElse(0), options.queues(), peers, timings, nanoClock);
        closers.add("the host's setup", hostSetup::close);
        hostSetup.apply(iface.addresses(), mtu, options.statusFile());

        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "platoon-timers-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            try {
                worker.tickAll(nanoClock.getAsLong());
                loadWatch.tick();
            } catch (RuntimeException e) {
                Device.LOG.warning("timer tick failed: " + Device.oneLine(e));
            }
        }, Device.TICK.toMillis(), Device.TICK.toMillis(), TimeUnit.MILLISECONDS);
        closers.add("the timers", timer::shutdownNow);
    }

    /**
     * The WireGuard device's own parts (see {@link DataPlane}), then its peers and their routes, then the
     * data path starts: nothing arrives before the peers it is for exist.
     */
    private void openDataPath(int port, int queues, List<ResolvedPeer> peers, ProtocolTimings timings,
                              LongSupplier nanoClock) throws DeviceException {
        UdpOptions udp = UdpOptions.defaults().withFwmark(hostSetup.fwmark());
        plane = DataPlane.open(name, parts, queues, port, udp, identity, timings, mtu);
        closers.add("the data plane", plane::close);
        worker = plane.worker();
        loadWatch = new LoadWatch(name, worker, LoadWatch.KernelLoss.of(name), parts.wallClock());
        for (ResolvedPeer rp : peers) {
            Peer peer = worker.addPeer(rp.config.publicKey().bytes(),
                    rp.config.presharedKey().map(k -> k.bytes()).orElse(null));
            if (rp.endpoint != null) {
                peer.updateEndpoint(rp.endpoint);
            }
            for (IpPrefix cidr : rp.config.allowedIps()) {
                plane.routes().insert(cidr, peer);
            }
            peer.setPersistentKeepalive(rp.config.persistentKeepalive());
        }
        plane.start(failure::tunReadFailed);
    }

    /**
     * Tap mode: the tun side is a tap with a MAC of its own, the same on every start of this interface
     * with this key (hosts behind it keep their ARP entries), answering ARP and neighbour solicitations
     * for the addresses the peers' AllowedIPs route (the data plane's table, read when a question comes,
     * so peers added later count) and for the interface's own addresses.
     */
    private Tun.Opener tapOpener(List<InterfaceAddress> addresses) {
        List<InetAddress> own = addresses.stream().map(InterfaceAddress::address).toList();
        NeighbourTargets targets = NeighbourTargets.routedOrOwn(() -> plane == null ? null : plane.routes(), own);
        String seed = name + " " + Keys.toBase64(identity.publicKey());
        return parts.taps().apply(TapSettings.of(seed, targets, parts.nanoClock()));
    }

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
            throw new DeviceException(name + ": cannot check UDP port " + port + ": " + Device.oneLine(e), e);
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

    /** Undoes what was made, newest first: the same list {@link Device#close} runs. */
    void undo() {
        failure.close();
        closers.close();
    }

    private record ResolvedPeer(PeerConfig config, InetSocketAddress endpoint) {
    }
}
