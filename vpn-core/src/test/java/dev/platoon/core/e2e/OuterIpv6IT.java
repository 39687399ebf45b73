package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.crypto.Keys;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * The tunnel over an outer link with IPv6 only (2001:db8::1 ↔ ::2, no IPv4 on the veth): platoon
 * (side a, the initiator, its peer's endpoint written {@code [2001:db8::2]:51820}) against platoon and
 * both wireguard-gos, and a platoon peer initiating to platoon's {@code [2001:db8::1]:51820}. Pings inside over both families and 50 MB each way with matching SHA-256; each
 * side shows the other's endpoint as {@code [2001:db8::…]:51820}.
 */
class OuterIpv6IT {
    private static final long BYTES = 50 * E2e.MB;

    @ParameterizedTest(name = "peer {0}, initiator {1}")
    @CsvSource({"platoon, platoon", "DEBIAN, platoon", "UPSTREAM, platoon", "platoon, peer"})
    void aTunnelOverIpv6Only(String peerKind, String initiatorKind) throws Exception {
        boolean peerInitiates = initiatorKind.equals("peer");
        java.nio.file.Path wireguardGo = peerKind.equals("platoon") ? null
                : WireguardGoBinary.valueOf(peerKind).path();
        try (TunnelBed bed = TunnelBed.create("pt-v6", true)) {
            assertEquals("", bed.net.exec(bed.net.a, Duration.ofSeconds(5), "ip", "-4", "-o", "address", "show",
                    "dev", "veth0").stdout().strip(), "the outer link has no IPv4");
            Side platoon = bed.a;
            Side peer = bed.b;
            if (wireguardGo == null) {
                E2e.startPlatoon(bed, peer, peerInitiates, List.of());
            } else {
                bed.startWireguardGo(peer, false, wireguardGo);
                bed.awaitUp(peer, E2e.UP);
            }
            E2e.startPlatoon(bed, platoon, !peerInitiates, List.of());
            Side initiator = peerInitiates ? peer : platoon;
            assertTrue(java.nio.file.Files.readString(initiator.config).contains("Endpoint = "
                    + bed.other(initiator).endpoint()));

            E2e.assertPing(bed, initiator, false, E2e.FIRST_PING);
            E2e.assertPing(bed, platoon, true, E2e.PING);
            E2e.assertPing(bed, peer, true, E2e.PING);

            E2e.awaitStatus(platoon, E2e.STATUS_LAG, "a completed handshake with [2001:db8::2]:51820",
                    s -> s.handshakesCompleted() >= 1 && "[2001:db8::2]:51820".equals(s.endpoint()));
            if (wireguardGo == null) {
                E2e.awaitStatus(peer, E2e.STATUS_LAG, "the initiator's endpoint learnt from its packets",
                        s -> "[2001:db8::1]:51820".equals(s.endpoint()));
            } else {
                String key = Keys.toBase64(platoon.publicKey);
                Waits.until(Duration.ofSeconds(5), "platoon's endpoint in wireguard-go's wg show",
                        () -> E2e.wgShow(bed, peer, "endpoints").equals(key + "\t[2001:db8::1]:51820"));
            }
            E2e.transfer(bed, platoon, peer, BYTES, 5201);
            E2e.transfer(bed, peer, platoon, BYTES, 5202);
            assertTrue(platoon.process.isAlive() && peer.process.isAlive(), "both ends still running");
            String label = wireguardGo == null ? "platoon" : WireguardGoBinary.valueOf(peerKind).label;
            E2e.interop(label, "IPv6", peerInitiates ? "handshake, the peer initiates to platoon's [v6]:port"
                    : "handshake, platoon initiates to [v6]:port");
            E2e.interop(label, "IPv6", "ping inside, IPv4 and IPv6");
            E2e.interop(label, "IPv6", "50 MB TCP each way, SHA-256 equal");
        }
    }
}
