package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.crypto.Keys;

/**
 * {@code wg set NAME private-key|fwmark} on a running platoon, as wireguard-go applies them. Side a's file
 * has no PrivateKey and sets it in PostUp with {@code wg set %i private-key FILE} (a common wg-quick
 * pattern); then a takes a new key while the tunnel runs, b learns a's new public key, and the ping
 * recovers through a new handshake; then a new fwmark lands on a's sockets while traffic flows; then
 * a moves to a new listen port, and b follows it (roaming) without a restart of either.
 */
class LiveSetIT {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void privateKeyFromPostUpThenLiveKeyFwmarkAndPortChanges() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-live")) {
            Side a = bed.a;
            Side b = bed.b;
            Path firstKey = keyFile(bed, "first.key", a.privateKey);
            writeConfigWithoutPrivateKey(bed, a, "PostUp = wg set %i private-key " + firstKey);
            bed.writeConfig(b, true, List.of());
            bed.startPlatoon(a, List.of("--queues=1"));
            bed.startPlatoon(b, List.of("--queues=1"));
            bed.awaitUp(a, Duration.ofSeconds(30));
            bed.awaitUp(b, Duration.ofSeconds(30));
            assertTrue(bed.ping(a, false, Duration.ofSeconds(15)), "no ping with the key from PostUp: " + log(a));
            assertEquals(Keys.toBase64(a.publicKey), wg(bed, a, "show", a.ifname, "public-key").strip());
            assertFalse(log(a).contains("has no private key"), log(a));

            byte[] nextPrivate = Keys.generatePrivateKey();
            String nextPublic = Keys.toBase64(Keys.publicKey(nextPrivate));
            wg(bed, a, "set", a.ifname, "private-key", keyFile(bed, "next.key", nextPrivate).toString());
            assertEquals(nextPublic, wg(bed, a, "show", a.ifname, "public-key").strip());
            assertEquals("0", wg(bed, a, "show", a.ifname, "latest-handshakes").strip().split("\\s+")[1],
                    "the old session must end with the old key");
            wg(bed, b, "set", b.ifname, "peer", Keys.toBase64(a.publicKey), "remove",
                    "peer", nextPublic, "allowed-ips", a.tunnel4 + "/32," + a.tunnel6 + "/128",
                    "endpoint", a.outerAddress + ":" + TunnelBed.LISTEN_PORT);
            assertTrue(bed.ping(a, false, Duration.ofSeconds(15)), "no ping after the key change: " + log(a));
            assertTrue(bed.ping(b, true, Duration.ofSeconds(15)), "no ping back after the key change");
            assertTrue(a.process.isAlive(), "a restarted or died: " + log(a));

            wg(bed, a, "set", a.ifname, "fwmark", "0x1234");
            assertEquals("0x1234", wg(bed, a, "show", a.ifname, "fwmark").strip());
            String sockets = bed.net.exec(a.namespace, T, "ss", "-uanpe").orThrow().stdout();
            assertTrue(sockets.lines().anyMatch(l -> l.contains(":" + TunnelBed.LISTEN_PORT + " ")
                    && l.contains("fwmark:0x1234")), sockets);
            assertTrue(bed.ping(a, false, Duration.ofSeconds(15)), "no ping with the new fwmark");

            wg(bed, a, "set", a.ifname, "listen-port", "51999");
            assertEquals("51999", wg(bed, a, "show", a.ifname, "listen-port").strip());
            String moved = bed.net.exec(a.namespace, T, "ss", "-uanpe").orThrow().stdout();
            assertTrue(moved.contains(":51999 ") && moved.contains("fwmark:0x1234"), moved);
            assertTrue(moved.lines().noneMatch(l -> l.contains(":" + TunnelBed.LISTEN_PORT + " ")), "old socket open:\n" + moved);
            assertTrue(bed.ping(a, false, Duration.ofSeconds(15)), "no ping after the port change: " + log(a));
            assertTrue(bed.ping(b, true, Duration.ofSeconds(15)), "b did not follow a to its new port");
            assertTrue(wg(bed, b, "show", b.ifname, "endpoints").contains(a.outerAddress + ":51999"),
                    "b's endpoint for a: " + wg(bed, b, "show", b.ifname, "endpoints"));
            assertTrue(a.process.isAlive(), "a restarted or died: " + log(a));
        }
    }

    private static Path keyFile(TunnelBed bed, String name, byte[] privateKey) throws Exception {
        Path file = bed.workDir().resolve(name);
        Files.writeString(file, Keys.toBase64(privateKey) + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    /** The file TunnelBed writes, without its PrivateKey line and with these lines added. */
    private static void writeConfigWithoutPrivateKey(TunnelBed bed, Side side, String... extra) throws Exception {
        Path file = bed.writeConfig(side, true, List.of(extra));
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.removeIf(l -> l.startsWith("PrivateKey"));
        Files.write(file, lines);
    }

    private static String wg(TunnelBed bed, Side side, String... args) {
        List<String> argv = new ArrayList<>(List.of("wg"));
        argv.addAll(List.of(args));
        return Shell.run(T, Shell.inNamespace(side.namespace, argv)).orThrow().stdout();
    }

    private static String log(Side side) throws Exception {
        return Files.readString(side.log);
    }
}
