package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;

/** The implementations the benchmark compares, each a {@link Contender}. */
final class Contenders {
    static final String RAW = "raw veth";
    static final String PLATOON = "platoon";
    /**
     * platoon with side a in tap mode ({@link TunnelBed#tapAtA()}): iperf3's client runs in a "VM"
     * namespace behind a bridge and the tap, b stays a tun. Measured beside {@link #PLATOON}, whose row
     * is its baseline: the same tunnel with one more hop (bridge and veth) and Ethernet framing.
     */
    static final String PLATOON_TAP = "platoon, tap mode";
    /**
     * The modern upstream wireguard-go given by --wireguard-go: the anchor platoon is measured against.
     * Its label in the tables carries the version the binary reports ({@link #label}).
     */
    static final String WG_GO = "wireguard-go";
    /** Debian's 0.0.20220316, without the offloads of the modern one: the weaker, older baseline. */
    static final String WG_GO_DEBIAN = "wireguard-go 2022 (Debian)";
    static final String OPENVPN = "OpenVPN";
    static final List<String> ALL = List.of(RAW, PLATOON, PLATOON_TAP, WG_GO, WG_GO_DEBIAN, OPENVPN);
    /**
     * platoon reading one datagram per receive wake-up, as it did before it read in batches: only with
     * --only platoon-1rx, for before/after rows of the same run (docs/benchmarks.md, "Receive batching").
     */
    static final String PLATOON_1RX = "platoon, 1 datagram per wake-up";
    /** Every name --only knows, in the order of the tables. */
    static final List<String> KNOWN = List.of(RAW, PLATOON, PLATOON_TAP, PLATOON_1RX, WG_GO, WG_GO_DEBIAN, OPENVPN);

    private Contenders() {
    }

    /** The name --only takes for a contender. */
    static String shortName(String name) {
        return switch (name) {
            case RAW -> "raw";
            case WG_GO_DEBIAN -> "wireguard-go-debian";
            case PLATOON_1RX -> "platoon-1rx";
            case PLATOON_TAP -> "platoon-tap";
            default -> name.toLowerCase(Locale.ROOT);
        };
    }

    /** The name in the tables: the modern wireguard-go's carries its version, the others are their name. */
    static String label(String name, BenchOptions options) {
        if (!name.equals(WG_GO)) {
            return name;
        }
        return WireguardGo.version(options.wireguardGo()).map(v -> WG_GO + " " + v)
                .orElse(WG_GO + " (" + options.wireguardGo().getFileName() + ")");
    }

    /** A new contender by name (not yet started). */
    static Contender create(String name, BenchOptions options) throws IOException {
        String label = label(name, options);
        return switch (name) {
            case RAW -> new RawVeth();
            case PLATOON -> new WireGuardPair(PLATOON, null, TunnelBed.create("pt-bench"));
            case PLATOON_TAP -> new WireGuardPair(PLATOON_TAP, null, TunnelBed.create("pt-bench")).tapAtA();
            case PLATOON_1RX -> new WireGuardPair(PLATOON_1RX, null, TunnelBed.create("pt-bench"),
                    Map.of("JDK_JAVA_OPTIONS", "-Dplatoon.udp.messagesPerWakeup=1"));
            case WG_GO -> new WireGuardPair(label, options.wireguardGo(), TunnelBed.create("pt-bench"));
            case WG_GO_DEBIAN -> new WireGuardPair(label, WireguardGo.DEBIAN, TunnelBed.create("pt-bench"));
            case OPENVPN -> new OpenVpn();
            default -> throw new IllegalArgumentException("unknown implementation '" + name + "'");
        };
    }

    /** Why a contender cannot run on this machine, or empty when it can. */
    static Optional<String> missing(String name, BenchOptions options) {
        if (!Shell.onPath("iperf3")) {
            return Optional.of("iperf3 is not installed (apt-get install iperf3)");
        }
        boolean wireguardGo = name.equals(WG_GO) || name.equals(WG_GO_DEBIAN);
        if (wireguardGo && !Shell.onPath("wg")) {
            return Optional.of("wg is not installed (apt-get install wireguard-tools)");
        }
        if (name.equals(WG_GO) && !Files.isExecutable(options.wireguardGo())) {
            return Optional.of("no wireguard-go binary at " + options.wireguardGo() + " (--wireguard-go PATH)");
        }
        if (name.equals(WG_GO_DEBIAN) && !Files.isExecutable(WireguardGo.DEBIAN)) {
            return Optional.of("Debian's wireguard-go is not installed (apt-get install wireguard-go)");
        }
        return name.equals(OPENVPN) && !Shell.onPath("openvpn")
                ? Optional.of("openvpn is not installed (apt-get install openvpn)") : Optional.empty();
    }

    /** iperf3 straight over the veth pair: the ceiling every tunnel is measured against. */
    static final class RawVeth extends Contender {
        private final NamespacePair net = NamespacePair.create("pt-bench");
        private Path log;

        RawVeth() {
            super(RAW);
        }

        @Override NamespacePair net() {
            return net;
        }

        @Override String serverAddress() {
            return net.addressB;
        }

        @Override Optional<ProcessHandle> endpointA() {
            return Optional.empty();
        }

        @Override Optional<ProcessHandle> endpointB() {
            return Optional.empty();
        }

        @Override void start() throws IOException {
            log = Files.createTempFile("pt-bench-iperf", ".log");
            startIperfServer(log);
            awaitPing(net.addressB);
        }

        @Override String diagnose() {
            return "(no endpoints)";
        }

        @Override public void close() {
            net.close();
            try {
                if (log != null) {
                    Files.deleteIfExists(log);
                }
            } catch (IOException ignored) {
                // a temp file
            }
        }
    }

    /**
     * Two platoons, or two of one wireguard-go binary configured with wg, on the shared test bed.
     * {@code wireguardGo} is that binary, null for platoon.
     */
    static final class WireGuardPair extends Contender {
        private final TunnelBed bed;
        private final Path wireguardGo;
        private final Map<String, String> env;
        private boolean tap;

        WireGuardPair(String name, Path wireguardGo, TunnelBed bed) {
            this(name, wireguardGo, bed, Map.of());
        }

        /** {@code env}: environment of platoon's processes (e.g. JDK_JAVA_OPTIONS for a variant). */
        WireGuardPair(String name, Path wireguardGo, TunnelBed bed, Map<String, String> env) {
            super(name);
            this.wireguardGo = wireguardGo;
            this.bed = bed;
            this.env = env;
        }

        TunnelBed bed() {
            return bed;
        }

        /** Side a in tap mode, its traffic from the VM namespace behind the bridge; before {@link #start}. */
        WireGuardPair tapAtA() {
            tap = true;
            return this;
        }

        @Override String clientNamespace() {
            return bed.a.trafficNamespace();
        }

        @Override NamespacePair net() {
            return bed.net;
        }

        @Override String serverAddress() {
            return bed.b.tunnel4;
        }

        @Override Optional<ProcessHandle> endpointA() {
            return Optional.ofNullable(bed.a.process).map(Process::toHandle);
        }

        @Override Optional<ProcessHandle> endpointB() {
            return Optional.ofNullable(bed.b.process).map(Process::toHandle);
        }

        @Override void start() throws IOException {
            // The iperf3 server first, so a cold-start transfer can begin the moment the tunnel pings.
            startIperfServer(bed.workDir().resolve("iperf3-server.log"));
            if (tap) {
                bed.tapAtA();
            }
            // b only answers; a knows b's endpoint and initiates with the first packet.
            for (TunnelBed.Side side : List.of(bed.b, bed.a)) {
                boolean withEndpoint = side == bed.a;
                if (wireguardGo == null) {
                    bed.writeConfig(side, withEndpoint, List.of());
                    bed.startPlatoon(side, List.of(), env);
                } else {
                    WireguardGo.start(bed, side, withEndpoint, wireguardGo);
                }
                bed.awaitUp(side, UP);
            }
            awaitPing(bed.b.tunnel4);
        }

        @Override Optional<String> cipherLine() {
            if (wireguardGo != null) {
                return Optional.empty();
            }
            try {
                return cipherLine(Files.readAllLines(bed.a.log));
            } catch (IOException e) {
                return Optional.empty();
            }
        }

        /**
         * The last log line naming the transport cipher, verbatim: platoon names its engine at {@code up}
         * and again when its engine trial has chosen.
         */
        static Optional<String> cipherLine(List<String> log) {
            return log.stream().filter(l -> l.contains("ChaCha20-Poly1305") || l.toLowerCase(Locale.ROOT)
                    .contains("cipher")).map(String::strip).reduce((first, second) -> second);
        }

        @Override String diagnose() {
            try {
                return "a: " + TunnelBed.lastLine(bed.a.log) + " | b: " + TunnelBed.lastLine(bed.b.log);
            } catch (IOException e) {
                return "(logs unreadable: " + e.getMessage() + ")";
            }
        }

        @Override public void close() {
            bed.close();
        }
    }

    /**
     * Debian's OpenVPN 2.6 as a static-key point-to-point UDP tunnel (no TLS handshake to wait for).
     * AEAD ciphers are not available with static keys, so AES-256-CBC with HMAC-SHA256 (AES-NI).
     */
    static final class OpenVpn extends Contender {
        private final NamespacePair net = NamespacePair.create("pt-bench");
        private final Path dir = Files.createTempDirectory("pt-bench-ovpn");
        private Process a;
        private Process b;

        OpenVpn() throws IOException {
            super(OPENVPN);
        }

        @Override NamespacePair net() {
            return net;
        }

        @Override String serverAddress() {
            return "100.64.0.2";
        }

        @Override Optional<ProcessHandle> endpointA() {
            return Optional.ofNullable(a).map(Process::toHandle);
        }

        @Override Optional<ProcessHandle> endpointB() {
            return Optional.ofNullable(b).map(Process::toHandle);
        }

        @Override void start() throws IOException {
            Path key = dir.resolve("static.key");
            Shell.run(Duration.ofSeconds(20), "openvpn", "--genkey", "secret", key.toString()).orThrow();
            b = net.start(net.b, command("100.64.0.2", "100.64.0.1", null, key), dir.resolve("b.log"));
            startIperfServer(dir.resolve("iperf3-server.log"));
            a = net.start(net.a, command("100.64.0.1", "100.64.0.2", net.addressB, key), dir.resolve("a.log"));
            awaitPing("100.64.0.2");
        }

        private static List<String> command(String local, String remote, String peerAddress, Path key) {
            List<String> cmd = new java.util.ArrayList<>(List.of("openvpn", "--dev", "tun", "--proto", "udp",
                    "--port", "1194", "--ifconfig", local, remote, "--secret", key.toString(),
                    "--cipher", "AES-256-CBC", "--auth", "SHA256", "--tun-mtu", "1420",
                    "--verb", "1"));
            if (peerAddress != null) {
                cmd.addAll(List.of("--remote", peerAddress));
            }
            return cmd;
        }

        @Override String diagnose() {
            try {
                return "a: " + TunnelBed.lastLine(dir.resolve("a.log")) + " | b: "
                        + TunnelBed.lastLine(dir.resolve("b.log"));
            } catch (IOException e) {
                return "(logs unreadable: " + e.getMessage() + ")";
            }
        }

        @Override public void close() {
            net.close();
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // temp files only
            }
        }
    }
}
