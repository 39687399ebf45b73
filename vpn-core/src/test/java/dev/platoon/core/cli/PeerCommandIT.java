package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.ConfigParser;
import dev.platoon.config.ConfigWriter;
import dev.platoon.config.InterfaceAddress;
import dev.platoon.config.WgConfig;
import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiSnapshot;

/**
 * A server (namespace a) with one client (b) running; {@code platoon peer add} onboards a third client
 * in a namespace of its own (c, joined to a by a second veth pair), which comes up with the file the
 * command printed, the way the phone apps and wg-quick would take it: Debian's wireguard-go, {@code wg
 * setconf} with the file's wg(8) part, its addresses and a route per AllowedIPs. It pings the server
 * and a host behind it (h, joined to a by a third veth pair, with no route to the tunnel: only the
 * server's forwarding and masquerade, set up by the hooks docs/operations.md gives, bring its answers
 * back), and sends 8 MB over TCP to each, both ends hashing what they saw, while b's session goes on
 * under the same handshake; {@code peer remove} takes c out of the file and the running server.
 */
class PeerCommandIT {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final Duration IP = Duration.ofSeconds(10);
    /** Behind the server: a's end and h of the third veth pair, a /26 of its own in TEST-NET-1. */
    private static final String BEHIND_A = "192.0.2.193";
    private static final String HOST = "192.0.2.194";
    private static final String BEHIND = "192.0.2.192/26";
    /**
     * Forwarding and masquerade as docs/operations.md tells an operator to add them to a server's file:
     * the sysctl, and an nftables table of the interface's own made after it is up and deleted after it
     * is down (the same rule the container's PLATOON_NAT loads).
     */
    static final List<String> NAT_HOOKS = List.of(
            "PreUp = sysctl -q -w net.ipv4.ip_forward=1",
            "PostUp = nft 'table inet platoon-nat-%i { chain postrouting { type nat hook postrouting priority srcnat;"
                    + " policy accept; iifname \"%i\" oifname != \"%i\" masquerade; }; }'",
            "PostDown = nft delete table inet platoon-nat-%i");

    @Test
    void peerAddOnboardsAClientLiveAndPeerRemoveTakesItOut() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-peer")) {
            Side a = bed.a;
            Side b = bed.b;
            bed.writeConfig(a, false, NAT_HOOKS);
            bed.startPlatoon(a, List.of());
            bed.awaitUp(a, UP);
            bed.writeConfig(b, true, List.of());
            bed.startPlatoon(b, List.of());
            bed.awaitUp(b, UP);
            assertTrue(bed.ping(b, false, Duration.ofSeconds(20)), "b's tunnel: " + TunnelBed.lastLine(b.log));
            long bHandshake = handshakeOf(a, b);
            assertTrue(bHandshake > 0);

            String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
            String c = "ptc-" + tag;
            String h = "pth-" + tag;
            try {
                link(a.namespace, c, "veth1", "192.0.2.129/26", "192.0.2.130/26");
                link(a.namespace, h, "veth2", BEHIND_A + "/26", HOST + "/26");
                // h answers only what comes from its own /26: the masquerade is what brings carol's answers back
                assertFalse(Shell.run(IP, "ip", "-n", h, "route", "get", "100.64.0.3").ok(), "h has a route to the tunnel");

                CliRunner.Result added = CliRunner.run(new byte[0], "peer", "add", "carol", "--interface",
                        a.config.toString(), "--endpoint", "192.0.2.129", "--allowed-ips",
                        "100.64.0.0/24, fd00:64::/64, " + BEHIND);
                assertEquals(0, added.exitCode(), added.err());
                assertTrue(added.err().contains("100.64.0.3/32, fd00:64::3/128") && added.err().contains(
                        "and the running " + a.ifname), added.err());
                assertFalse(added.out().contains(dev.platoon.crypto.Keys.toBase64(a.privateKey)), "server key printed");
                Process client = startWireguardGo(bed, c, added.out());
                Path clientLog = bed.workDir().resolve("client.log");
                try {
                    Waits.until(UP, "carol pings the server through the tunnel", () -> {
                        assertTrue(client.isAlive(), "client exited: " + TunnelBed.lastLine(clientLog));
                        return Shell.run(IP, Shell.inNamespace(c, List.of("ping", "-c", "1", "-W", "1",
                                a.tunnel4))).ok();
                    });
                    assertTrue(Shell.run(IP, Shell.inNamespace(c, List.of("ping", "-6", "-c", "1", "-W", "2",
                            a.tunnel6))).ok(), "carol over IPv6");
                    transfer(bed, c, a.namespace, a.tunnel4, 8_000_000);
                    assertTrue(Shell.run(IP, Shell.inNamespace(c, List.of("ping", "-c", "3", "-W", "2", HOST))).ok(),
                            "carol pings the host behind the server (a forwards and masquerades)");
                    transfer(bed, c, h, HOST, 8_000_000);
                    assertTrue(Shell.run(IP, "ip", "netns", "exec", a.namespace, "nft", "list", "table", "inet",
                            "platoon-nat-" + a.ifname).stdout().contains("masquerade"), "the PostUp's table");
                    assertTrue(bed.ping(b, false, Duration.ofSeconds(10)), "b after peer add");
                    assertEquals(bHandshake, handshakeOf(a, b), "b's session was not touched");

                    CliRunner.Result removed = CliRunner.run(new byte[0], "peer", "remove", "carol", "--interface",
                            a.config.toString());
                    assertEquals(0, removed.exitCode(), removed.err());
                    assertFalse(Files.readString(a.config).contains("carol"));
                    try (UapiClient uapi = UapiClient.connect(a.ifname)) {
                        assertEquals(1, uapi.get().peers().size(), "carol is gone from the running server");
                    }
                    assertFalse(Shell.run(IP, Shell.inNamespace(c, List.of("ping", "-c", "1", "-W", "2",
                            a.tunnel4))).ok(), "carol still reaches the server");
                    assertTrue(bed.ping(b, false, Duration.ofSeconds(10)), "b after peer remove");
                    assertEquals(bHandshake, handshakeOf(a, b), "b's session was not touched");
                } finally {
                    NamespacePair.stop(client, Duration.ofSeconds(10)); // ours, by its PID
                }
            } finally {
                Shell.run(IP, "ip", "netns", "del", c);
                Shell.run(IP, "ip", "netns", "del", h);
            }
        }
    }

    /**
     * The client file brought up as wg-quick would, with Debian's tools: wireguard-go, {@code wg setconf}
     * with the wg(8) part, the addresses, the MTU, a route per AllowedIPs. The interface is named after c.
     */
    private static Process startWireguardGo(TunnelBed bed, String ns, String clientText) throws Exception {
        String ifname = ns.replace("-", "");
        WgConfig file = ConfigParser.parse(clientText, "the printed client file");
        Path stripped = bed.workDir().resolve(ifname + ".wg");
        ConfigWriter.writeText(ConfigWriter.writeStripped(file), stripped);
        Path log = bed.workDir().resolve("client.log");
        Process p = bed.net.start(ns, List.of("wireguard-go", "-f", ifname), log);
        Path socket = Path.of("/var/run/wireguard", ifname + ".sock");
        Waits.until(Duration.ofSeconds(10), "wireguard-go's control socket " + socket,
                () -> Files.exists(socket) || !p.isAlive());
        assertTrue(p.isAlive(), "wireguard-go exited: " + TunnelBed.lastLine(log));
        Shell.run(IP, Shell.inNamespace(ns, List.of("wg", "setconf", ifname, stripped.toString()))).orThrow();
        for (InterfaceAddress address : file.iface().addresses()) {
            Shell.run(IP, "ip", "-n", ns, "address", "add", address.toString(), "dev", ifname).orThrow();
        }
        Shell.run(IP, "ip", "-n", ns, "link", "set", "mtu", "1420", "up", "dev", ifname).orThrow();
        for (IpPrefix route : file.peers().getFirst().allowedIps()) {
            Shell.run(IP, "ip", "-n", ns, "route", "add", route.toString(), "dev", ifname).orThrow();
        }
        return p;
    }

    /**
     * A namespace of its own joined to {@code server} by a veth pair called {@code veth}, made inside the
     * server's namespace and moved over: it never exists in the root namespace.
     */
    private static void link(String server, String ns, String veth, String serverAddress, String address) {
        Shell.run(IP, "ip", "netns", "add", ns).orThrow();
        Shell.run(IP, "ip", "-n", server, "link", "add", veth, "type", "veth", "peer", "name", veth, "netns", ns)
                .orThrow();
        Shell.run(IP, "ip", "-n", server, "addr", "add", serverAddress, "dev", veth).orThrow();
        Shell.run(IP, "ip", "-n", ns, "addr", "add", address, "dev", veth).orThrow();
        for (String n : List.of(server, ns)) {
            Shell.run(IP, "ip", "-n", n, "link", "set", veth, "up").orThrow();
        }
        Shell.run(IP, "ip", "-n", ns, "link", "set", "lo", "up").orThrow();
    }

    /**
     * {@code bytes} over TCP from namespace {@code from} to {@code address} in namespace {@code to}
     * (platoon transfer); both ends print the count and SHA-256 of what they saw, which must agree.
     */
    private static void transfer(TunnelBed bed, String from, String to, String address, long bytes) throws Exception {
        int port = 5301;
        Path log = bed.workDir().resolve("recv-" + to + ".log");
        Process recv = bed.net.start(to, JavaCommand.platoon(List.of("transfer", "recv", "--address",
                address, "--port", String.valueOf(port), "--timeout", "30")), log);
        Waits.until(UP, "transfer receiver", () -> !recv.isAlive() || bed.net.exec(to, IP,
                "ss", "-ltnH").stdout().contains(":" + port + " "));
        Shell.Result send = Shell.run(Duration.ofSeconds(40), Shell.inNamespace(from, JavaCommand.platoon(List.of(
                "transfer", "send", "--address", address, "--port", String.valueOf(port), "--bytes",
                String.valueOf(bytes), "--timeout", "30"))));
        assertTrue(send.ok(), "TCP to " + address + ": " + send.stderr() + TunnelBed.lastLine(log));
        assertTrue(recv.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "transfer receiver did not finish");
        assertEquals(0, recv.exitValue(), "receiver: " + TunnelBed.lastLine(log));
        String sent = summary(send.stdout());
        assertTrue(sent.startsWith("bytes=" + bytes + " "), "sent: " + send.stdout());
        assertEquals(sent.replaceAll(" seconds=.* sha256", " sha256"),
                summary(Files.readString(log)).replaceAll(" seconds=.* sha256", " sha256"), "what " + address + " received");
    }

    /** The {@code bytes=... sha256=...} line of a transfer's output. */
    private static String summary(String output) {
        return output.lines().filter(l -> l.startsWith("bytes=")).findFirst().orElse("(no bytes= line)").strip();
    }

    /** The Unix time of the latest handshake the server has with {@code peer}. */
    private static long handshakeOf(Side server, Side peer) throws Exception {
        try (UapiClient uapi = UapiClient.connect(server.ifname)) {
            for (UapiSnapshot.Peer p : uapi.get().peers()) {
                if (Arrays.equals(p.publicKey(), peer.publicKey)) {
                    return p.lastHandshakeTimeSec();
                }
            }
        }
        throw new AssertionError(peer.ifname + " is not a peer of " + server.ifname);
    }
}
