package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.crypto.Keys;

/**
 * Debian's stock {@code wg} against a running platoon, through platoon's control socket: show,
 * showconf, set (remove and re-add a peer, change an endpoint, set a preshared key on both sides) with
 * traffic following every change, syncconf, and platoon's own syncconf and SIGHUP reload.
 */
class WgToolOnPlatoonIT {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void stockWgShowsAndSetsARunningPlatoon() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-wg")) {
            Side a = bed.a;
            Side b = bed.b;
            E2e.startPlatoon(bed, b, true, List.of());
            E2e.startPlatoon(bed, a, true, List.of());
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);
            String bKey = Keys.toBase64(b.publicKey);

            // wg show / showconf
            String show = wg(bed, a, "show", a.ifname).stdout();
            assertTrue(show.contains("peer: " + bKey), show);
            assertTrue(show.contains("latest handshake:"), show);
            assertTrue(show.contains("transfer:"), show);
            String showconf = wg(bed, a, "showconf", a.ifname).stdout();
            assertTrue(showconf.contains("PrivateKey = " + Keys.toBase64(a.privateKey)), "showconf has the key");
            assertTrue(showconf.contains("PublicKey = " + bKey), showconf);
            assertTrue(showconf.contains("100.64.0.2/32"), showconf);
            assertTrue(showconf.contains("Endpoint = 192.0.2.2:51820"), showconf);

            // set an endpoint nobody listens on: traffic stops; set it back: traffic follows.
            wg(bed, a, "set", a.ifname, "peer", bKey, "endpoint", "192.0.2.2:9");
            assertEquals("192.0.2.2:9", endpoint(bed, a, bKey));
            assertFalse(bed.ping(a, false, Duration.ofSeconds(3)), "ping must fail towards a dead endpoint");
            wg(bed, a, "set", a.ifname, "peer", bKey, "endpoint", "192.0.2.2:51820");
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);

            // remove the peer: no route; add it back with wg: traffic again.
            wg(bed, a, "set", a.ifname, "peer", bKey, "remove");
            assertFalse(wg(bed, a, "show", a.ifname, "peers").stdout().contains(bKey));
            assertFalse(bed.ping(a, false, Duration.ofSeconds(2)), "ping must fail without the peer");
            wg(bed, a, "set", a.ifname, "peer", bKey, "allowed-ips", "100.64.0.2/32,fd00:64::2/128",
                    "endpoint", "192.0.2.2:51820");
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);
            E2e.assertPing(bed, a, true, E2e.PING);

            // the same preshared key on both sides: a new handshake with it, traffic follows.
            Path psk = bed.workDir().resolve("psk");
            Files.writeString(psk, Keys.toBase64(Keys.generatePresharedKey()) + "\n");
            Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
            wg(bed, a, "set", a.ifname, "peer", bKey, "preshared-key", psk.toString());
            wg(bed, b, "set", b.ifname, "peer", Keys.toBase64(a.publicKey), "preshared-key", psk.toString());
            assertTrue(wg(bed, a, "show", a.ifname, "preshared-keys").stdout().contains(Files.readString(psk).strip()));
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);

            // wg syncconf: drop the IPv6 allowed IP; IPv4 keeps working, the v6 route is gone from the peer.
            Path sync = bed.workDir().resolve("sync.conf");
            Files.write(sync, List.of("[Interface]", "PrivateKey = " + Keys.toBase64(a.privateKey),
                    "ListenPort = 51820", "", "[Peer]", "PublicKey = " + bKey,
                    "PresharedKey = " + Files.readString(psk).strip(), "AllowedIPs = 100.64.0.2/32",
                    "Endpoint = 192.0.2.2:51820"));
            wg(bed, a, "syncconf", a.ifname, sync.toString());
            String ips = wg(bed, a, "show", a.ifname, "allowed-ips").stdout();
            assertTrue(ips.contains("100.64.0.2/32") && !ips.contains("fd00:64::2/128"), ips);
            E2e.assertPing(bed, a, false, E2e.PING);

            // platoon syncconf puts it back, without a new handshake being needed for IPv4.
            Shell.Result ours = bed.net.exec(a.namespace, Duration.ofSeconds(30), JavaCommand.platoon(
                    List.of("syncconf", a.ifname, a.config.toString())).toArray(String[]::new));
            assertTrue(ours.ok(), "platoon syncconf: " + ours.stderr());
            assertTrue(wg(bed, a, "show", a.ifname, "allowed-ips").stdout().contains("fd00:64::2/128"));
            // a.config has no PSK: syncconf removed it on a; b still has it, so clear b's too.
            wg(bed, b, "set", b.ifname, "peer", Keys.toBase64(a.publicKey), "preshared-key", "/dev/null");
            E2e.assertPing(bed, a, true, E2e.FIRST_PING);

            // SIGHUP re-reads the file the interface came from.
            List<String> lines = Files.readAllLines(a.config);
            Files.write(a.config, lines.stream().map(l -> l.startsWith("AllowedIPs")
                    ? "AllowedIPs = 100.64.0.2/32, fd00:64::2/128, 100.64.0.77/32" : l).toList());
            assertTrue(Shell.run(T, "kill", "-HUP", String.valueOf(a.process.pid())).ok());
            dev.platoon.core.demo.Waits.until(T, "SIGHUP reload adds 100.64.0.77/32",
                    () -> wg(bed, a, "show", a.ifname, "allowed-ips").stdout().contains("100.64.0.77/32"));
            E2e.assertPing(bed, a, false, E2e.PING);
        }
    }

    private static Shell.Result wg(TunnelBed bed, Side side, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "wg";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Shell.Result r = bed.net.exec(side.namespace, T, cmd);
        assertTrue(r.ok(), "wg " + String.join(" ", args) + " failed: " + r.stderr().strip() + " " + r.stdout());
        return r;
    }

    private static String endpoint(TunnelBed bed, Side side, String peerKey) {
        for (String line : wg(bed, side, "show", side.ifname, "endpoints").stdout().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals(peerKey)) {
                return f[1];
            }
        }
        return "";
    }
}
