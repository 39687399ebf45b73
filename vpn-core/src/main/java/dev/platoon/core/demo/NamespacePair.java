package dev.platoon.core.demo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Two network namespaces joined by a veth pair: the "two machines" of the demo and of the end-to-end
 * tests. Outer addresses come from TEST-NET-1 (192.0.2.0/24), or from the IPv6 documentation prefix
 * (2001:db8::/64) for a link with IPv6 only. Everything it creates — namespaces and
 * the processes started in them — it removes in {@link #close()}, which also runs from a shutdown hook
 * so an interrupted run leaves nothing behind.
 */
public final class NamespacePair implements AutoCloseable {
    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);

    public final String a;
    public final String b;
    /** The outer addresses: 192.0.2.1/.2, or 2001:db8::1/::2 on a link with IPv6 only. */
    public final String addressA;
    public final String addressB;
    /** Whether the veth carries IPv6 only (no IPv4 address on either end). */
    public final boolean outerIpv6;
    /** A third namespace joined to a by a second, IPv6-only veth ({@link #addIpv6Neighbour()}), or null. */
    private String c;
    /** The "VM" namespace behind a bridge in a ({@link #addVm}), or null. */
    private String vm;

    private final List<Process> processes = new ArrayList<>();
    private final Thread shutdownHook;
    private boolean closed;

    private NamespacePair(String a, String b, boolean outerIpv6) {
        this.a = a;
        this.b = b;
        this.outerIpv6 = outerIpv6;
        this.addressA = outerIpv6 ? "2001:db8::1" : "192.0.2.1";
        this.addressB = outerIpv6 ? "2001:db8::2" : "192.0.2.2";
        this.shutdownHook = new Thread(this::cleanUp, "netns-cleanup-" + a);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Creates {@code PREFIX-XXXX-a} and {@code PREFIX-XXXX-b} with a veth pair, both up, lo up. */
    public static NamespacePair create(String prefix) {
        return create(prefix, false);
    }

    /** As {@link #create(String)}; with {@code outerIpv6} the veth has 2001:db8::1/64 and ::2/64 and no IPv4. */
    public static NamespacePair create(String prefix, boolean outerIpv6) {
        String tag = prefix + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        NamespacePair pair = new NamespacePair(tag + "-a", tag + "-b", outerIpv6);
        try {
            pair.setUp();
        } catch (RuntimeException e) {
            pair.close();
            throw e;
        }
        return pair;
    }

    private void setUp() {
        ip("netns", "add", a);
        ip("netns", "add", b);
        // The veth is created directly inside namespace a, so it never exists in the root namespace.
        ip("-n", a, "link", "add", "veth0", "type", "veth", "peer", "name", "veth0", "netns", b);
        if (outerIpv6) {
            // nodad: usable at once, no duplicate-address detection to wait for on a fresh link
            ip("-n", a, "-6", "addr", "add", addressA + "/64", "dev", "veth0", "nodad");
            ip("-n", b, "-6", "addr", "add", addressB + "/64", "dev", "veth0", "nodad");
        } else {
            ip("-n", a, "addr", "add", addressA + "/24", "dev", "veth0");
            ip("-n", b, "addr", "add", addressB + "/24", "dev", "veth0");
        }
        for (String ns : List.of(a, b)) {
            ip("-n", ns, "link", "set", "lo", "up");
            ip("-n", ns, "link", "set", "veth0", "up");
        }
    }

    /**
     * Adds a third namespace, {@code PREFIX-XXXX-c}, joined to a by a second veth that carries IPv6 only:
     * {@code veth1} in a with {@value #NEIGHBOUR_ADDRESS_A}/64, {@code veth0} in c with
     * {@value #NEIGHBOUR_ADDRESS_C}/64. With an IPv4 link to b, a then has one peer of each family.
     */
    public synchronized String addIpv6Neighbour() {
        if (c != null) {
            throw new IllegalStateException("a third namespace exists already: " + c);
        }
        String name = a.substring(0, a.length() - 2) + "-c";
        ip("netns", "add", name);
        c = name;
        ip("-n", a, "link", "add", "veth1", "type", "veth", "peer", "name", "veth0", "netns", c);
        ip("-n", a, "-6", "addr", "add", NEIGHBOUR_ADDRESS_A + "/64", "dev", "veth1", "nodad");
        ip("-n", c, "-6", "addr", "add", NEIGHBOUR_ADDRESS_C + "/64", "dev", "veth0", "nodad");
        ip("-n", a, "link", "set", "veth1", "up");
        ip("-n", c, "link", "set", "lo", "up");
        ip("-n", c, "link", "set", "veth0", "up");
        return c;
    }

    /**
     * Adds a "VM" namespace, {@code PREFIX-XXXX-vm}, behind a Linux bridge in a: bridge {@value #BRIDGE}
     * in a holds {@code vmport}, a veth whose other end is {@code eth0} in the VM, MTU {@code mtu}. The VM
     * holds {@code addresses} (CIDR) on eth0 and knows nothing else; a tap that joins the bridge is its
     * way out.
     */
    public synchronized String addVm(int mtu, String... addresses) {
        if (vm != null) {
            throw new IllegalStateException("a VM namespace exists already: " + vm);
        }
        String name = a.substring(0, a.length() - 2) + "-vm";
        ip("netns", "add", name);
        vm = name;
        ip("-n", a, "link", "add", BRIDGE, "type", "bridge");
        ip("-n", a, "link", "add", "vmport", "type", "veth", "peer", "name", "eth0", "netns", vm);
        ip("-n", a, "link", "set", "vmport", "mtu", String.valueOf(mtu), "master", BRIDGE, "up");
        ip("-n", a, "link", "set", BRIDGE, "up");
        for (String cidr : addresses) {
            if (cidr.contains(":")) {
                ip("-n", vm, "-6", "addr", "add", cidr, "dev", "eth0", "nodad");
            } else {
                ip("-n", vm, "addr", "add", cidr, "dev", "eth0");
            }
        }
        ip("-n", vm, "link", "set", "lo", "up");
        ip("-n", vm, "link", "set", "eth0", "mtu", String.valueOf(mtu), "up");
        return vm;
    }

    /** The bridge in a of {@link #addVm}. */
    public static final String BRIDGE = "br0";

    /** a's and c's addresses on the IPv6-only link of {@link #addIpv6Neighbour()}. */
    public static final String NEIGHBOUR_ADDRESS_A = "2001:db8::1";
    public static final String NEIGHBOUR_ADDRESS_C = "2001:db8::3";

    /** Moves the veth end in b to another outer address (roaming tests). */
    public void readdressB(String newAddress) {
        ip("-n", b, "addr", "flush", "dev", "veth0");
        if (newAddress.contains(":")) {
            ip("-n", b, "-6", "addr", "add", newAddress + "/64", "dev", "veth0", "nodad");
        } else {
            ip("-n", b, "addr", "add", newAddress + "/24", "dev", "veth0");
        }
    }

    public Shell.Result exec(String namespace, Duration timeout, String... command) {
        return Shell.run(timeout, Shell.inNamespace(namespace, List.of(command)));
    }

    /** Starts a long-running process in a namespace, output to a log file; stopped by {@link #close()}. */
    public synchronized Process start(String namespace, List<String> command, Path log) throws IOException {
        Process p = new ProcessBuilder(Shell.inNamespace(namespace, command))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        processes.add(p);
        return p;
    }

    /** Stops one process we started: SIGTERM, then SIGKILL after a grace period. */
    public static void stop(Process p, Duration grace) {
        if (!p.isAlive()) {
            return;
        }
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        Shell.run(IP_TIMEOUT, cmd).orThrow();
    }

    private synchronized void cleanUp() {
        if (closed) {
            return;
        }
        closed = true;
        for (Process p : processes) {
            stop(p, Duration.ofSeconds(5));
        }
        Shell.run(IP_TIMEOUT, "ip", "netns", "del", a);
        Shell.run(IP_TIMEOUT, "ip", "netns", "del", b);
        if (c != null) {
            Shell.run(IP_TIMEOUT, "ip", "netns", "del", c);
        }
        if (vm != null) {
            Shell.run(IP_TIMEOUT, "ip", "netns", "del", vm);
        }
    }

    @Override
    public void close() {
        cleanUp();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
            // already shutting down: the hook runs (and finds it closed)
        }
    }
}
