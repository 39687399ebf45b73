package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.JavaCommand;
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
 * command printed and pings the server, while b's session goes on under the same handshake;
 * {@code peer remove} takes c out of the file and the running server.
 */
class PeerCommandIT {
    private static final Duration UP = Duration.ofSeconds(30);
    private static final Duration IP = Duration.ofSeconds(10);

    @Test
    void peerAddOnboardsAClientLiveAndPeerRemoveTakesItOut() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-peer")) {
            Side a = bed.a;
            Side b = bed.b;
            bed.writeConfig(a, false, List.of());
            bed.startPlatoon(a, List.of());
            bed.awaitUp(a, UP);
            bed.writeConfig(b, true, List.of());
            bed.startPlatoon(b, List.of());
            bed.awaitUp(b, UP);
            assertTrue(bed.ping(b, false, Duration.ofSeconds(20)), "b's tunnel: " + TunnelBed.lastLine(b.log));
            long bHandshake = handshakeOf(a, b);
            assertTrue(bHandshake > 0);

            String c = "ptc-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
            try {
                // c's veth is made inside a and moved to c: it never exists in the root namespace
                Shell.run(IP, "ip", "netns", "add", c).orThrow();
                Shell.run(IP, "ip", "-n", a.namespace, "link", "add", "veth1", "type", "veth", "peer", "name", "veth1",
                        "netns", c).orThrow();
                Shell.run(IP, "ip", "-n", a.namespace, "addr", "add", "192.0.2.129/25", "dev", "veth1").orThrow();
                Shell.run(IP, "ip", "-n", c, "addr", "add", "192.0.2.130/25", "dev", "veth1").orThrow();
                for (String ns : List.of(a.namespace, c)) {
                    Shell.run(IP, "ip", "-n", ns, "link", "set", "veth1", "up").orThrow();
                }
                Shell.run(IP, "ip", "-n", c, "link", "set", "lo", "up").orThrow();

                CliRunner.Result added = CliRunner.run(new byte[0], "peer", "add", "carol", "--interface",
                        a.config.toString(), "--endpoint", "192.0.2.129", "--allowed-ips", "100.64.0.0/24, fd00:64::/64");
                assertEquals(0, added.exitCode(), added.err());
                assertTrue(added.err().contains("100.64.0.3/32, fd00:64::3/128") && added.err().contains(
                        "and the running " + a.ifname), added.err());
                assertFalse(added.out().contains(dev.platoon.crypto.Keys.toBase64(a.privateKey)), "server key printed");
                Path clientFile = bed.workDir().resolve(c.replace("-", "") + ".conf");
                Files.writeString(clientFile, added.out());
                Files.setPosixFilePermissions(clientFile, PosixFilePermissions.fromString("rw-------"));
                Path clientLog = bed.workDir().resolve("client.log");
                Process client = bed.net.start(c, JavaCommand.platoon(List.of("up", "--foreground",
                        clientFile.toString())), clientLog);
                try {
                    Waits.until(UP, "carol pings the server through the tunnel", () -> {
                        assertTrue(client.isAlive(), "client exited: " + TunnelBed.lastLine(clientLog));
                        return Shell.run(IP, Shell.inNamespace(c, List.of("ping", "-c", "1", "-W", "1",
                                a.tunnel4))).ok();
                    });
                    assertTrue(Shell.run(IP, Shell.inNamespace(c, List.of("ping", "-6", "-c", "1", "-W", "2",
                            a.tunnel6))).ok(), "carol over IPv6");
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
            }
        }
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
