package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.platoon.core.device.DataPlane;
import dev.platoon.core.device.DeviceException;
import dev.platoon.core.device.DeviceParts;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.config.IpPrefix;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.UdpOptions;
import dev.platoon.crypto.StaticIdentity;

/**
 * One end of the suite's tunnel: a {@link DataPlane} opened from the given parts (in memory or the
 * kernel's), its identity, one peer (the other end) and a timer ticking the protocol's timers as the
 * device's does.
 */
final class SuiteNode implements AutoCloseable {
    /** The spec's timings, but a session is renewed after 1 s and an initiation may follow 0.5 s after the last. */
    static final ProtocolTimings TIMINGS = new ProtocolTimings(Duration.ofSeconds(1).toNanos(),
            Duration.ofSeconds(61).toNanos(), ProtocolTimings.DEFAULT.rekeyAttemptTimeNanos(),
            Duration.ofMillis(500).toNanos(), 0, ProtocolTimings.DEFAULT.keepaliveTimeoutNanos(),
            ProtocolTimings.REKEY_AFTER_MESSAGES, ProtocolTimings.REJECT_AFTER_MESSAGES);
    final String name;
    final InetAddress tunnel4;
    final InetAddress tunnel6;
    final StaticIdentity identity;
    final DataPlane plane;
    private final DeviceParts parts;
    private ScheduledExecutorService timer;
    private Peer peer;

    private SuiteNode(String name, DeviceParts parts, StaticIdentity identity, DataPlane plane, InetAddress tunnel4,
                      InetAddress tunnel6) {
        this.name = name;
        this.identity = identity;
        this.parts = parts;
        this.plane = plane;
        this.tunnel4 = tunnel4;
        this.tunnel6 = tunnel6;
    }

    static SuiteNode open(String name, DeviceParts parts, int queues, String tunnel4, String tunnel6)
            throws DeviceException, java.net.UnknownHostException {
        StaticIdentity id = StaticIdentity.generate();
        DataPlane plane = DataPlane.open(name, parts, queues, 0, UdpOptions.defaults(), id, TIMINGS, 1420);
        return new SuiteNode(name, parts, id, plane, InetAddress.getByName(tunnel4), InetAddress.getByName(tunnel6));
    }

    /** Makes {@code other} our one peer, its tunnel addresses routed to it; {@code endpoint} may be null. */
    void connect(SuiteNode other, InetSocketAddress endpoint) {
        peer = plane.worker().addPeer(other.identity.publicKey(), null);
        if (endpoint != null) {
            peer.updateEndpoint(endpoint);
        }
        plane.routes().insert(IpPrefix.of(other.tunnel4, 32), peer);
        plane.routes().insert(IpPrefix.of(other.tunnel6, 128), peer);
    }

    void start() {
        plane.start((queue, why) -> {
            throw new AssertionError(name + ": tun queue " + queue + " failed: " + why);
        });
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "suite-timers-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> plane.worker().tickAll(parts.nanoClock().getAsLong()), 100, 100,
                TimeUnit.MILLISECONDS);
    }

    Peer peer() {
        return peer;
    }

    /** Completed handshakes with the peer. */
    long handshakes() {
        return peer.counters().handshakesCompleted.sum();
    }

    /**
     * Every drop the data path and transport counted, but the host's own chatter: a kernel's tun
     * also carries its IPv6 multicast (MLD reports, router solicitations), which no peer is routed
     * for (no_route); a tap sees, as any host on a bridge, the segment's traffic for others: the
     * same multicast as Ethernet frames (tap_group_not_answered), ARP and neighbour solicitations
     * for the bridge's and the VM's own addresses (tap_neighbour_not_ours) and unicast flooded
     * while the bridge learns (tap_other_host).
     */
    long drops() {
        long n = 0;
        for (Drop d : Drop.values()) {
            n += chatter(d) ? 0 : plane.counters().drops(d);
        }
        for (Drop d : Drop.values()) {
            n += chatter(d) ? 0 : plane.transportCounters().drops(d);
        }
        return n;
    }

    private static boolean chatter(Drop d) {
        return d == Drop.NO_ROUTE || d == Drop.TAP_GROUP_NOT_ANSWERED || d == Drop.TAP_NEIGHBOUR_NOT_OURS
                || d == Drop.TAP_OTHER_HOST;
    }

    /** The drops by name, for a failure's message. */
    String dropReport() {
        StringBuilder s = new StringBuilder(name).append(':');
        for (Drop d : Drop.values()) {
            long n = plane.counters().drops(d);
            s.append(n > 0 ? " " + d.label() + "=" + n : "");
        }
        for (Drop d : Drop.values()) {
            long n = plane.transportCounters().drops(d);
            s.append(n > 0 ? " " + d.label() + "=" + n : "");
        }
        return s.toString();
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        plane.close();
        identity.close();
    }
}
