package dev.platoon.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.platoon.config.InterfaceAddress;
import dev.platoon.config.InterfaceConfig;
import dev.platoon.config.PeerConfig;
import dev.platoon.tun.LinkConfig;
import dev.platoon.tun.TunException;

/**
 * What wg-quick does to the host around a WireGuard device: the link's addresses, MTU and state, DNS,
 * routes and policy rules, and the liveness file. {@link #plan} decides it all without touching the
 * host (the device's sockets need the firewall mark first) and writes the undo journal; {@link #apply}
 * makes the changes in wg-quick's order, each recorded for {@link #close}, which undoes them in
 * reverse. PreUp/PostUp/PreDown/PostDown run around this in the command line ({@code cli.Hooks}).
 */
public final class HostSetup implements AutoCloseable {
    private final String name;
    private final Host host;
    private final PolicyRouting routing;
    private final DnsConfig dns;
    private final Closers undo;

    private HostSetup(String name, Host host, PolicyRouting routing, DnsConfig dns) {
        this.name = name;
        this.host = host;
        this.routing = routing;
        this.dns = dns;
        this.undo = new Closers(name);
    }

    /** Decides the routes, rules and DNS for {@code iface}, and notes how to undo them in {@code undoFile}. */
    static HostSetup plan(String name, InterfaceConfig iface, List<PeerConfig> peers, Host host, Path undoFile)
            throws DeviceException {
        PolicyRouting routing = PolicyRouting.plan(name, iface, peers, host);
        DnsConfig dns = DnsConfig.of(name, iface, host);
        UndoJournal journal = UndoJournal.at(undoFile);
        routing.recordIn(journal);
        dns.recordIn(journal);
        return new HostSetup(name, host, routing, dns);
    }

    /** The firewall mark the device's sockets carry (a full tunnel may pick one), or 0. */
    int fwmark() {
        return routing.fwmark();
    }

    /**
     * wg-quick's order, announced as the {@code ip} commands it runs: addresses, MTU and up (over
     * netlink), DNS, then routes and rules (longest prefix first); then the liveness file, if any.
     */
    void apply(List<InterfaceAddress> addresses, int mtu, Path statusFile) throws DeviceException {
        LinkConfig link = new LinkConfig(name);
        try {
            try {
                link.noLinkLocalAddress();
            } catch (TunException noIpv6) {
                Device.LOG.fine(name + ": IPv6 link-local address left to the kernel: " + Device.oneLine(noIpv6));
            }
            for (InterfaceAddress a : addresses) {
                host.log("[#] ip -" + (a.toString().contains(":") ? "6" : "4") + " address add " + a + " dev " + name);
                link.addAddress(a.toString());
            }
            host.log("[#] ip link set mtu " + mtu + " up dev " + name);
            link.mtu(mtu);
            link.up();
        } catch (TunException e) {
            throw new DeviceException(name + ": " + Device.oneLine(e), e);
        }
        // The addresses go with the link when the device closes; DNS and rules must be removed.
        undo.add("routes and rules", routing::remove); // undone after DNS, as wg-quick's del_if does
        undo.add("DNS", dns::remove);
        try {
            dns.apply();
            routing.apply();
        } catch (DeviceException e) {
            throw new DeviceException(name + ": " + e.getMessage(), e);
        }
        if (statusFile != null) {
            startLiveness(statusFile);
        }
    }

    /** The liveness file ({@link Liveness}): its time is set every second; deleted after the last touch. */
    private void startLiveness(Path file) {
        Liveness.write(file, name);
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "platoon-liveness-" + name);
            t.setDaemon(true);
            return t;
        });
        beat.scheduleAtFixedRate(() -> Liveness.beat(file), 1, 1, TimeUnit.SECONDS);
        undo.add("the liveness file", () -> {
            beat.shutdownNow();
            try {
                beat.awaitTermination(2, TimeUnit.SECONDS); // a touch already running finishes first
                Files.deleteIfExists(file);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException ignored) {
                // a stale liveness file is ignored when no process is alive for it
            }
        });
    }

    /** Undoes what {@link #apply} did, newest first (wg-quick's del_if: DNS, then rules). */
    @Override
    public void close() {
        undo.close();
    }
}
