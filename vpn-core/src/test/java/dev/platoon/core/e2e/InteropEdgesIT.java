package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

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

    private static void assertPingOfSize(TunnelBed bed, Side from, boolean ipv6, int payload) {
        Side to = bed.other(from);
        Shell.Result r = bed.net.exec(from.namespace, Duration.ofSeconds(15), "ping", ipv6 ? "-6" : "-4", "-M", "do",
                "-c", "3", "-W", "2", "-s", String.valueOf(payload), ipv6 ? to.tunnel6 : to.tunnel4);
        assertTrue(r.ok() && !r.stdout().contains(" 0 received"), from.ifname + " -> " + to.ifname + ": ping -s "
                + payload + (ipv6 ? " (IPv6)" : " (IPv4)") + " with DF got no answer: " + r.stdout().strip()
                + " " + r.stderr().strip());
    }
}
