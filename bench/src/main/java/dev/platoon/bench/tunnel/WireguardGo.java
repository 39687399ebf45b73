package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;

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
        bed.startWireguardGo(side, withEndpoint, binary);
        requireRunning(side.process.pid(), binary);
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
