package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.crypto.Keys;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * Where implementations have differed, platoon (a, initiator) against each wireguard-go (b):
 * <ul>
 *   <li>packets of exactly the tunnel MTU with DF set (1392-byte IPv4 pings) and the IPv6 minimum
 *       (1280-byte packets), both ways;</li>
 *   <li>a peer whose tun MTU (1280) is smaller than ours (1420): TCP each way still arrives whole —
 *       platoon's trains leave as segments, never larger than the path;</li>
 *   <li>the peer restarts with the same key: its old session is gone, a new handshake follows and
 *       traffic flows again.</li>
 * </ul>
 */
class InteropEdgesIT {

    @ParameterizedTest(name = "{0}")
    @EnumSource(WireguardGoBinary.class)
    void edgesAgainstWireguardGo(WireguardGoBinary binary) throws Exception {
        java.nio.file.Path wireguardGo = binary.path();
        try (TunnelBed bed = TunnelBed.create("pt-edge")) {
            Side platoon = bed.a;
            Side wgGo = bed.b;
            bed.startWireguardGo(wgGo, false, wireguardGo);
            bed.awaitUp(wgGo, E2e.UP);
            E2e.startPlatoon(bed, platoon, true, List.of());
            E2e.assertPing(bed, platoon, false, E2e.FIRST_PING);

            for (Side from : List.of(platoon, wgGo)) {
                assertPingOfSize(bed, from, false, 1392); // 1392 + 28 = 1420, the MTU, DF set
                assertPingOfSize(bed, from, true, 1232);  // 1232 + 48 = 1280, IPv6's minimum
            }
            E2e.interop(binary.label, "IPv4", "MTU-sized (DF) and 1280-byte IPv6 packets both ways");

            // The peer's tun takes at most 1280: TCP each way still arrives, byte for byte.
            bed.net.exec(wgGo.namespace, Duration.ofSeconds(5), "ip", "link", "set", "dev", wgGo.ifname, "mtu",
                    "1280").orThrow();
            E2e.transfer(bed, platoon, wgGo, 20 * E2e.MB, 5201);
            E2e.transfer(bed, wgGo, platoon, 20 * E2e.MB, 5202);
            E2e.interop(binary.label, "IPv4", "the peer's tun MTU smaller (1280 against 1420)");

            // The peer restarts with the same key: platoon's session with it is stale; a new handshake.
            PlatoonStatus before = E2e.status(platoon);
            NamespacePair.stop(wgGo.process, Duration.ofSeconds(10));
            bed.startWireguardGo(wgGo, false, wireguardGo);
            bed.awaitUp(wgGo, E2e.UP);
            E2e.assertPing(bed, platoon, false, Duration.ofSeconds(30));
            E2e.awaitStatus(platoon, E2e.STATUS_LAG, "a new handshake after the peer's restart",
                    s -> s.handshakesCompleted() > before.handshakesCompleted());
            E2e.assertPing(bed, wgGo, true, E2e.PING);
            assertTrue(platoon.process.isAlive(), "platoon still running");
            E2e.interop(binary.label, "IPv4", "the peer restarts with the same key");
        }
    }

    /**
     * A peer that sends nothing but keepalives (PersistentKeepalive = 1, no traffic at all): platoon's
     * keepalive alone makes the handshake and wireguard-go keeps receiving them; then, platoon's turned
     * off and wireguard-go's on, platoon keeps receiving the peer's. Then packets
     * above the MTU both started with (1500-byte IPv4 with DF, the tun MTUs raised to 1500 afterwards, the
     * outer link to 9000 so the outer packet need not fragment): they arrive both ways, whatever padding
     * each side gives them.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(WireguardGoBinary.class)
    void keepaliveOnlyAndPacketsAboveTheMtu(WireguardGoBinary binary) throws Exception {
        java.nio.file.Path wireguardGo = binary.path();
        try (TunnelBed bed = TunnelBed.create("pt-ka")) {
            Side platoon = bed.a;
            Side wgGo = bed.b;
            bed.startWireguardGo(wgGo, false, wireguardGo);
            bed.awaitUp(wgGo, E2e.UP);
            String platoonKey = Keys.toBase64(platoon.publicKey);
            String wgGoKey = Keys.toBase64(wgGo.publicKey);
            bed.writeConfig(platoon, true, List.of());
            // The [Peer] section is the file's last: the line belongs to it.
            Files.writeString(platoon.config, "PersistentKeepalive = 1\n", StandardOpenOption.APPEND);
            bed.startPlatoon(platoon, List.of());
            bed.awaitUp(platoon, E2e.UP);

            // As in every WireGuard, a persistent keepalive goes out only when nothing passed either way
            // for the interval: so one side at a time keeps the tunnel alive. First platoon, no traffic.
            Waits.until(Duration.ofSeconds(20), "a handshake started by platoon's keepalive alone",
                    () -> !E2e.wgShow(bed, wgGo, "latest-handshakes").equals(platoonKey + "\t0"));
            awaitKeepalives(bed, wgGo, platoonKey, "wireguard-go receiving platoon's keepalives");
            // Then the other way round: platoon's keepalive off (wg set on its control socket), the peer's on.
            setKeepalive(bed, platoon, wgGoKey, 0);
            setKeepalive(bed, wgGo, platoonKey, 1);
            awaitKeepalives(bed, platoon, wgGoKey, "platoon receiving wireguard-go's keepalives");
            PlatoonStatus status = E2e.status(platoon);
            assertTrue(status.drops().isEmpty(), "platoon dropped nothing:\n" + status.text());
            E2e.interop(binary.label, "IPv4", "keepalive-only peers, each side in turn (PersistentKeepalive = 1, no traffic)");

            for (Side side : List.of(platoon, wgGo)) {
                bed.net.exec(side.namespace, Duration.ofSeconds(5), "ip", "link", "set", "dev", "veth0", "mtu",
                        "9000").orThrow();
                bed.net.exec(side.namespace, Duration.ofSeconds(5), "ip", "link", "set", "dev", side.ifname, "mtu",
                        "1500").orThrow();
            }
            for (Side from : List.of(platoon, wgGo)) {
                assertPingOfSize(bed, from, false, 1472); // 1472 + 28 = 1500 > 1420, the MTU at start
            }
            assertTrue(platoon.process.isAlive() && wgGo.process.isAlive(), "both ends still running");
            E2e.interop(binary.label, "IPv4", "packets above the MTU at start (1500 against 1420), both ways");
        }
    }

    private static void setKeepalive(TunnelBed bed, Side side, String peerKey, int seconds) {
        Shell.run(Duration.ofSeconds(10), Shell.inNamespace(side.namespace, List.of("wg", "set", side.ifname,
                "peer", peerKey, "persistent-keepalive", String.valueOf(seconds)))).orThrow();
    }

    /** Waits until the received bytes a side shows for a peer (wg show transfer) went up three times. */
    private static void awaitKeepalives(TunnelBed bed, Side side, String peerKey, String what)
            throws java.io.IOException {
        long[] last = {-1};
        int[] rises = {0};
        Waits.until(Duration.ofSeconds(15), what + " (received bytes rising three times)", () -> {
            String line = E2e.wgShow(bed, side, "transfer");
            for (String l : line.split("\n")) {
                String[] f = l.split("\t");
                if (f.length == 3 && f[0].equals(peerKey)) {
                    long rx = Long.parseLong(f[1]);
                    if (last[0] >= 0 && rx > last[0]) {
                        rises[0]++;
                    }
                    last[0] = rx;
                }
            }
            return rises[0] >= 3;
        });
    }

    private static void assertPingOfSize(TunnelBed bed, Side from, boolean ipv6, int payload) {
        Side to = bed.other(from);
        Shell.Result r = bed.net.exec(from.namespace, Duration.ofSeconds(15), "ping", ipv6 ? "-6" : "-4", "-M", "do",
                "-c", "3", "-W", "2", "-s", String.valueOf(payload), ipv6 ? to.tunnel6 : to.tunnel4);
        assertTrue(r.ok() && !r.stdout().contains(" 0 received"), from.ifname + " -> " + to.ifname + ": ping -s "
                + payload + (ipv6 ? " (IPv6)" : " (IPv4)") + " with DF got no answer: " + r.stdout().strip()
                + " " + r.stderr().strip());
    }
}
