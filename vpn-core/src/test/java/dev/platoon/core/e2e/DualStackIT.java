package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Peer;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.crypto.Keys;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * One platoon interface (A) with an IPv4 peer and an IPv6 peer at once, on its one UDP socket: B is
 * platoon over an IPv4-only link (A initiates to 192.0.2.2:51820), C is wireguard-go over an IPv6-only
 * link that initiates to A's {@code [2001:db8::1]:51820}. Pings inside over both families to each, then a
 * transfer from each peer at the same time, each with matching SHA-256.
 */
class DualStackIT {
    private static final long BYTES = 20 * E2e.MB;

    @ParameterizedTest(name = "IPv6 peer {0}")
    @EnumSource(WireguardGoBinary.class)
    void anIpv4PeerAndAnIpv6PeerOnOneInterface(WireguardGoBinary binary) throws Exception {
        java.nio.file.Path wireguardGo = binary.path();
        try (TunnelBed bed = TunnelBed.create("pt-dual")) {
            Side platoon = bed.a;
            Side v4Peer = bed.b;
            Side v6Peer = bed.addIpv6Side();

            bed.writeConfig(v4Peer, false, List.of());
            bed.startPlatoon(v4Peer, List.of());
            bed.awaitUp(v4Peer, E2e.UP);
            bed.writeConfig(platoon, List.of(), List.of(new Peer(v4Peer, v4Peer.endpoint()), new Peer(v6Peer, null)));
            bed.startPlatoon(platoon, List.of());
            bed.awaitUp(platoon, E2e.UP);
            bed.startWireguardGo(v6Peer, new Peer(platoon, bed.endpointOfAForC()), wireguardGo);
            bed.awaitUp(v6Peer, E2e.UP);

            assertPing(bed, v6Peer, platoon, false, E2e.FIRST_PING);
            assertPing(bed, platoon, v4Peer, false, E2e.FIRST_PING);
            for (boolean ipv6 : new boolean[] {false, true}) {
                assertPing(bed, platoon, v6Peer, ipv6, E2e.PING);
                assertPing(bed, platoon, v4Peer, ipv6, E2e.PING);
                assertPing(bed, v6Peer, platoon, ipv6, E2e.PING);
                assertPing(bed, v4Peer, platoon, ipv6, E2e.PING);
            }
            E2e.awaitStatus(platoon, E2e.STATUS_LAG, "both peers' endpoints, 192.0.2.2:51820 and [2001:db8::3]:51820",
                    s -> s.text().contains("endpoint: " + v4Peer.endpoint())
                            && s.text().contains("endpoint: " + v6Peer.endpoint()));
            String key = Keys.toBase64(platoon.publicKey);
            Waits.until(Duration.ofSeconds(5), "a handshake with platoon in wireguard-go's wg show",
                    () -> !E2e.wgShow(bed, v6Peer, "latest-handshakes").equals(key + "\t0"));

            // Both peers send at once: one socket receives IPv4 and IPv6 datagrams side by side.
            CompletableFuture<E2e.Transfer> fromV4 = CompletableFuture.supplyAsync(() -> transfer(bed, v4Peer, platoon,
                    5201));
            E2e.Transfer v6 = transfer(bed, v6Peer, platoon, 5202);
            E2e.Transfer v4 = fromV4.join();
            assertTrue(v4.received().bytes() == BYTES && v6.received().bytes() == BYTES, "both transfers whole");
            E2e.transfer(bed, platoon, v6Peer, BYTES, 5203);
            assertTrue(platoon.process.isAlive() && v4Peer.process.isAlive() && v6Peer.process.isAlive(),
                    "all three still running");
            E2e.interop(binary.label, "IPv6", "handshake, the peer initiates to platoon's [v6]:port");
            E2e.interop(binary.label, "IPv6", "an IPv6 peer beside an IPv4 peer on one interface (both sending)");
            E2e.interop("platoon", "IPv4", "an IPv4 peer beside an IPv6 peer on one interface (both sending)");
        }
    }

    private static E2e.Transfer transfer(TunnelBed bed, Side from, Side to, int port) {
        try {
            return E2e.transfer(bed, from, to, BYTES, port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertPing(TunnelBed bed, Side from, Side to, boolean ipv6, Duration timeout) {
        assertTrue(bed.ping(from, to, ipv6, timeout), "no " + (ipv6 ? "IPv6" : "IPv4") + " ping answer from "
                + from.ifname + " to " + to.ifname + " within " + timeout.toSeconds() + " s; " + from.ifname + ": "
                + E2e.logTail(from) + "; " + to.ifname + ": " + E2e.logTail(to));
    }
}
