package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.Waits;
import dev.platoon.crypto.Keys;

/**
 * One wireguard-go binary, named by its path rather than looked up on PATH: the benchmark races two of
 * them (Debian's 2022 build and a modern upstream one), so which program runs must never depend on the
 * search order. Each is configured the way an operator would, with the stock wg over its UAPI socket
 * ({@code wireguard-go -f IFNAME}, {@code wg set}, then addresses and link up with ip).
 */
final class WireguardGo {
    /** Where Debian's package puts it. */
    static final Path DEBIAN = Path.of("/usr/bin/wireguard-go");
    private static final Pattern VERSION = Pattern.compile("wireguard-go v?([0-9][0-9A-Za-z.+-]*)");

    private WireguardGo() {
    }

    /** The version a binary reports ({@code wireguard-go v0.0.20250522} → {@code 0.0.20250522}). */
    static Optional<String> version(Path binary) {
        Shell.Result r = Shell.run(Duration.ofSeconds(5), binary.toString(), "--version");
        return r.ok() ? parseVersion(r.stdout()) : Optional.empty();
    }

    static Optional<String> parseVersion(String versionOutput) {
        Matcher m = VERSION.matcher(versionOutput);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /**
     * Starts {@code binary} for one side of the bed and configures it. Checks that the process running
     * is that binary (ip netns exec replaces itself with it, so the PID is the same).
     */
    static void start(TunnelBed bed, TunnelBed.Side side, boolean withEndpoint, Path binary) throws IOException {
        side.kind = TunnelBed.Kind.WIREGUARD_GO;
        side.log = bed.workDir().resolve(side.ifname + ".log");
        side.process = bed.net.start(side.namespace, List.of(binary.toString(), "-f", side.ifname), side.log);
        Path socket = Path.of("/var/run/wireguard", side.ifname + ".sock");
        Waits.until(Duration.ofSeconds(10), binary.getFileName() + "'s control socket " + socket,
                () -> Files.exists(socket) || !side.process.isAlive());
        if (!side.process.isAlive()) {
            throw new IllegalStateException(binary + " exited: " + Files.readString(side.log).strip());
        }
        requireRunning(side.process.pid(), binary);
        TunnelBed.Side peer = bed.other(side);
        Path key = bed.workDir().resolve(side.ifname + ".key");
        Files.writeString(key, Keys.toBase64(side.privateKey) + "\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        List<String> wg = new ArrayList<>(List.of("wg", "set", side.ifname, "private-key", key.toString(),
                "listen-port", String.valueOf(TunnelBed.LISTEN_PORT), "peer", Keys.toBase64(peer.publicKey),
                "allowed-ips", peer.tunnel4 + "/32," + peer.tunnel6 + "/128"));
        if (withEndpoint) {
            wg.add("endpoint");
            wg.add(peer.outerAddress + ":" + TunnelBed.LISTEN_PORT);
        }
        Duration t = Duration.ofSeconds(10);
        Shell.run(t, Shell.inNamespace(side.namespace, wg)).orThrow();
        bed.net.exec(side.namespace, t, "ip", "addr", "add", side.tunnel4 + "/24", "dev", side.ifname).orThrow();
        bed.net.exec(side.namespace, t, "ip", "addr", "add", side.tunnel6 + "/64", "dev", side.ifname).orThrow();
        bed.net.exec(side.namespace, t, "ip", "link", "set", "mtu", "1420", "up", "dev", side.ifname).orThrow();
    }

    /** Throws unless /proc/PID/exe is {@code binary} (both with links resolved). */
    static void requireRunning(long pid, Path binary) throws IOException {
        Path exe = Files.readSymbolicLink(Path.of("/proc", String.valueOf(pid), "exe"));
        Path wanted = binary.toRealPath();
        if (!exe.equals(wanted)) {
            throw new IllegalStateException("process " + pid + " runs " + exe + ", not " + wanted);
        }
    }
}
