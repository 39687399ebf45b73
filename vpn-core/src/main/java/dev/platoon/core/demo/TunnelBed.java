package dev.platoon.core.demo;

import dev.platoon.core.launch.JavaCommand;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import dev.platoon.crypto.Keys;

/**
 * Two WireGuard endpoints in a {@link NamespacePair}: side A (192.0.2.1, tunnel 100.64.0.1 and
 * fd00:64::1) and side B (192.0.2.2, 100.64.0.2, fd00:64::2), each run by platoon or by a wireguard-go
 * binary (Debian's, or one given by path); optionally a side C reached from A over IPv6 only
 * ({@link #addIpv6Side()}). The demo and the end-to-end tests both stand on it.
 */
public final class TunnelBed implements AutoCloseable {
    public static final int LISTEN_PORT = 51820;

    /** Which implementation runs a side. */
    public enum Kind { PLATOON, WIREGUARD_GO }

    /** One side: its namespace, interface, keys, tunnel addresses and the process running it. */
    public static final class Side {
        public final String namespace;
        public final String ifname;
        public final String outerAddress;
        public final String tunnel4;
        public final String tunnel6;
        public final byte[] privateKey = Keys.generatePrivateKey();
        public final byte[] publicKey = Keys.publicKey(privateKey);
        public Kind kind;
        /** In tap mode ({@link #tapAtA()}), the VM namespace that holds this side's tunnel addresses. */
        public String vm;
        public Process process;
        public Path config;
        public Path log;

        /** This side's outer address and listen port as an Endpoint is written: {@code [v6]:port} or {@code v4:port}. */
        public String endpoint() {
            return (outerAddress.contains(":") ? "[" + outerAddress + "]" : outerAddress) + ":" + LISTEN_PORT;
        }

        /** Where this side's tunnel traffic starts and ends: the VM behind its tap, or its own namespace. */
        public String trafficNamespace() {
            return vm != null ? vm : namespace;
        }

        Side(String namespace, String ifname, String outerAddress, String tunnel4, String tunnel6) {
            this.namespace = namespace;
            this.ifname = ifname;
            this.outerAddress = outerAddress;
            this.tunnel4 = tunnel4;
            this.tunnel6 = tunnel6;
        }
    }

    public final NamespacePair net;
    public final Side a;
    public final Side b;
    /** The third side of {@link #addIpv6Side()}, or null. */
    public Side c;
    private final Path workDir;
    private final String tag;

    private TunnelBed(NamespacePair net, Path workDir) {
        this.net = net;
        this.workDir = workDir;
        this.tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        this.a = new Side(net.a, "pta" + tag, net.addressA, "100.64.0.1", "fd00:64::1");
        this.b = new Side(net.b, "ptb" + tag, net.addressB, "100.64.0.2", "fd00:64::2");
    }

    public static TunnelBed create(String prefix) throws IOException {
        return create(prefix, false);
    }

    /** As {@link #create(String)}; with {@code outerIpv6} the two sides reach each other over IPv6 only. */
    public static TunnelBed create(String prefix, boolean outerIpv6) throws IOException {
        Path dir = Files.createTempDirectory(prefix,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        return new TunnelBed(NamespacePair.create(prefix, outerIpv6), dir);
    }

    /**
     * Adds side C in a third namespace, reached from A over an IPv6-only link (2001:db8::3, see
     * {@link NamespacePair#addIpv6Neighbour()}), tunnel 100.64.0.3 and fd00:64::3. A's endpoint seen from
     * C is {@link #endpointOfAForC()}.
     */
    public Side addIpv6Side() {
        String ns = net.addIpv6Neighbour();
        c = new Side(ns, "ptc" + tag, NamespacePair.NEIGHBOUR_ADDRESS_C, "100.64.0.3", "fd00:64::3");
        return c;
    }

    /**
     * Puts side A in tap mode, the way a VM host would: A's tunnel addresses move to a "VM" namespace
     * behind bridge {@value NamespacePair#BRIDGE} in A's namespace ({@link NamespacePair#addVm}, MTU 1420),
     * A's platoon runs with {@code --tap}, and its file has no Address but {@code PostUp = ip link set %i
     * master br0}: the VM reaches B through the tunnel with its own ARP and neighbour discovery. Call
     * before A's config is written.
     */
    public Side tapAtA() {
        a.vm = net.addVm(1420, a.tunnel4 + "/24", a.tunnel6 + "/64");
        return a;
    }

    /** Where C reaches A: {@code [2001:db8::1]:51820}. */
    public String endpointOfAForC() {
        return "[" + NamespacePair.NEIGHBOUR_ADDRESS_A + "]:" + LISTEN_PORT;
    }

    /** The other side of a pair: B for A, A for B and for C. */
    public Side other(Side side) {
        return side == a ? b : a;
    }

    /** A peer in a wg-quick file or a wg set: its side, and its endpoint or null (it can only be answered). */
    public record Peer(Side side, String endpoint) {
    }

    /**
     * Writes the wg-quick file for a side. {@code withEndpoint}: whether it knows the other side's
     * outer address (a side without one can only answer, never initiate).
     */
    public Path writeConfig(Side side, boolean withEndpoint, List<String> extraInterfaceLines)
            throws IOException {
        Side peer = other(side);
        return writeConfig(side, withEndpoint, extraInterfaceLines, peer.tunnel4 + "/32, " + peer.tunnel6 + "/128");
    }

    /** As above, with the peer's AllowedIPs given (e.g. "0.0.0.0/0, ::/0" for a full tunnel). */
    public Path writeConfig(Side side, boolean withEndpoint, List<String> extraInterfaceLines, String peerAllowedIps)
            throws IOException {
        Side peer = other(side);
        return writeConfig(side, extraInterfaceLines, List.of(new Peer(peer, withEndpoint ? peer.endpoint() : null)),
                peerAllowedIps);
    }

    /** A wg-quick file with several peers, each allowed its own tunnel addresses. */
    public Path writeConfig(Side side, List<String> extraInterfaceLines, List<Peer> peers) throws IOException {
        return writeConfig(side, extraInterfaceLines, peers, null);
    }

    private Path writeConfig(Side side, List<String> extraInterfaceLines, List<Peer> peers, String allowedIps)
            throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("[Interface]");
        lines.add("PrivateKey = " + Keys.toBase64(side.privateKey));
        lines.add("ListenPort = " + LISTEN_PORT);
        if (side.vm == null) {
            lines.add("Address = " + side.tunnel4 + "/24, " + side.tunnel6 + "/64");
        } else {
            lines.add("PostUp = ip link set %i master " + NamespacePair.BRIDGE); // the VM holds the addresses
        }
        lines.addAll(extraInterfaceLines);
        for (Peer peer : peers) {
            lines.add("");
            lines.add("[Peer]");
            lines.add("PublicKey = " + Keys.toBase64(peer.side().publicKey));
            lines.add("AllowedIPs = " + (allowedIps != null ? allowedIps
                    : peer.side().tunnel4 + "/32, " + peer.side().tunnel6 + "/128"));
            if (peer.endpoint() != null) {
                lines.add("Endpoint = " + peer.endpoint());
            }
        }
        Path file = workDir.resolve(side.ifname + ".conf");
        Files.write(file, lines);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        side.config = file;
        return file;
    }

    /** Starts platoon for a side in its namespace (foreground, logging to a file). */
    public void startPlatoon(Side side, List<String> extraArgs) throws IOException {
        startPlatoon(side, extraArgs, java.util.Map.of());
    }

    /** As {@link #startPlatoon(Side, List)}, with environment variables for that process (PLATOON_CIPHER...). */
    public void startPlatoon(Side side, List<String> extraArgs, java.util.Map<String, String> env) throws IOException {
        List<String> args = new ArrayList<>(List.of("up", "--foreground"));
        if (side.vm != null) {
            args.add("--tap");
        }
        args.addAll(extraArgs);
        args.add(side.config.toString());
        side.kind = Kind.PLATOON;
        side.log = workDir.resolve(side.ifname + ".log");
        List<String> command = new ArrayList<>();
        if (!env.isEmpty()) {
            command.add("env");
            env.forEach((k, v) -> command.add(k + "=" + v));
        }
        command.addAll(JavaCommand.platoon(args));
        side.process = net.start(side.namespace, command, side.log);
    }

    /**
     * Starts Debian's wireguard-go for a side and configures it with Debian's wg and ip, the way an
     * operator would: wg set with the key, port and peer, then addresses and link up.
     */
    public void startWireguardGo(Side side, boolean withEndpoint) throws IOException {
        startWireguardGo(side, withEndpoint, Path.of("wireguard-go"));
    }

    /** As {@link #startWireguardGo(Side, boolean)}, with the wireguard-go binary at {@code binary}. */
    public void startWireguardGo(Side side, boolean withEndpoint, Path binary) throws IOException {
        Side peer = other(side);
        startWireguardGo(side, new Peer(peer, withEndpoint ? peer.endpoint() : null), binary);
    }

    /** As {@link #startWireguardGo(Side, boolean, Path)}, with its one peer given. */
    public void startWireguardGo(Side side, Peer only, Path binary) throws IOException {
        side.kind = Kind.WIREGUARD_GO;
        side.log = workDir.resolve(side.ifname + ".log");
        side.process = net.start(side.namespace, List.of(binary.toString(), "-f", side.ifname), side.log);
        Path socket = Path.of("/var/run/wireguard", side.ifname + ".sock");
        Waits.until(Duration.ofSeconds(10), binary.getFileName() + "'s control socket " + socket,
                () -> Files.exists(socket) || !side.process.isAlive());
        if (!side.process.isAlive()) {
            throw new IllegalStateException(binary + " exited: " + Files.readString(side.log).strip());
        }
        Side peer = only.side();
        Path key = workDir.resolve(side.ifname + ".key");
        Files.writeString(key, Keys.toBase64(side.privateKey) + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        List<String> wg = new ArrayList<>(List.of("wg", "set", side.ifname, "private-key", key.toString(),
                "listen-port", String.valueOf(LISTEN_PORT), "peer", Keys.toBase64(peer.publicKey),
                "allowed-ips", peer.tunnel4 + "/32," + peer.tunnel6 + "/128"));
        if (only.endpoint() != null) {
            wg.add("endpoint");
            wg.add(only.endpoint());
        }
        Duration t = Duration.ofSeconds(10);
        Shell.run(t, Shell.inNamespace(side.namespace, wg)).orThrow();
        net.exec(side.namespace, t, "ip", "addr", "add", side.tunnel4 + "/24", "dev", side.ifname).orThrow();
        net.exec(side.namespace, t, "ip", "addr", "add", side.tunnel6 + "/64", "dev", side.ifname).orThrow();
        net.exec(side.namespace, t, "ip", "link", "set", "mtu", "1420", "up", "dev", side.ifname).orThrow();
    }

    /** Waits until a side's interface exists and is up in its namespace (or its process died). */
    public void awaitUp(Side side, Duration timeout) throws IOException {
        Waits.until(timeout, side.ifname + " up in " + side.namespace, () -> {
            if (!side.process.isAlive()) {
                return true;
            }
            Shell.Result r = net.exec(side.namespace, Duration.ofSeconds(5), "ip", "-o", "link", "show",
                    "dev", side.ifname);
            return r.ok() && r.stdout().contains(",UP");
        });
        if (!side.process.isAlive()) {
            throw new IllegalStateException(side.kind + " for " + side.ifname + " exited: "
                    + lastLine(side.log));
        }
    }

    /** Pings the other side's tunnel address from a side until one answer comes back. */
    public boolean ping(Side from, boolean ipv6, Duration timeout) {
        return ping(from, other(from), ipv6, timeout);
    }

    /** Pings side {@code to}'s tunnel address from a side until one answer comes back. */
    public boolean ping(Side from, Side to, boolean ipv6, Duration timeout) {
        String target = ipv6 ? to.tunnel6 : to.tunnel4;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Shell.Result r = net.exec(from.trafficNamespace(), Duration.ofSeconds(5),
                    "ping", ipv6 ? "-6" : "-4", "-c", "1", "-W", "1", target);
            if (r.ok()) {
                return true;
            }
        }
        return false;
    }

    public static String lastLine(Path log) throws IOException {
        if (log == null || !Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return lines.isEmpty() ? "(empty log)" : lines.getLast();
    }

    public Path workDir() {
        return workDir;
    }

    @Override
    public void close() {
        net.close();
        try (var files = Files.list(workDir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(workDir);
        } catch (IOException ignored) {
            // temp files only
        }
    }
}
