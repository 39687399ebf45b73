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
 * platoon (side a) against each wireguard-go (side b), each in turn the initiator (the other has no
 * endpoint and can only answer): pings both families and 200 MB each way with matching SHA-256; when
 * platoon sends, its tun hands it trains; when the upstream wireguard-go sends (UDP GSO), platoon
 * receives several datagrams per wake-up.
 */
class WireguardGoIT {
    private static final long BYTES = 200 * E2e.MB;

    @ParameterizedTest(name = "{0}, initiator {1}")
    @CsvSource({"DEBIAN, platoon", "DEBIAN, wireguard-go", "UPSTREAM, platoon", "UPSTREAM, wireguard-go"})
    void interoperates(WireguardGoBinary binary, String initiatorKind) throws Exception {
        java.nio.file.Path wireguardGo = binary.path();
        try (TunnelBed bed = TunnelBed.create("pt-wggo")) {
            Side platoon = bed.a;
            Side wgGo = bed.b;
            boolean platoonInitiates = initiatorKind.equals("platoon");
            Side initiator = platoonInitiates ? platoon : wgGo;
            if (platoonInitiates) {
                bed.startWireguardGo(wgGo, false, wireguardGo);
                bed.awaitUp(wgGo, E2e.UP);
                E2e.startPlatoon(bed, platoon, true, List.of());
            } else {
                E2e.startPlatoon(bed, platoon, false, List.of());
                bed.startWireguardGo(wgGo, true, wireguardGo);
                bed.awaitUp(wgGo, E2e.UP);
            }

            E2e.assertPing(bed, initiator, false, E2e.FIRST_PING);
            E2e.assertPing(bed, initiator, true, E2e.PING);
            E2e.assertPing(bed, bed.other(initiator), false, E2e.PING);
            E2e.interop(binary.label, "IPv4", platoonInitiates ? "handshake, platoon initiates"
                    : "handshake, the peer initiates");
            E2e.interop(binary.label, "IPv4", "ping inside, IPv4 and IPv6");

            // Both ends saw the handshake; the responder learnt the initiator's endpoint from it.
            String platoonKey = Keys.toBase64(platoon.publicKey);
            Waits.until(Duration.ofSeconds(5), "a handshake in wireguard-go's wg show", () ->
                    !E2e.wgShow(bed, wgGo, "latest-handshakes").equals(platoonKey + "\t0"));
            assertEquals(platoonKey + "\t" + platoon.endpoint(), E2e.wgShow(bed, wgGo, "endpoints"),
                    "wireguard-go's endpoint for platoon");
            E2e.awaitStatus(platoon, E2e.STATUS_LAG, "a completed handshake with wireguard-go's endpoint",
                    s -> s.handshakesCompleted() >= 1 && wgGo.endpoint().equals(s.endpoint()));

            E2e.transferReadingTrains(bed, platoon, wgGo, BYTES, 5201, "platoon sent to " + binary.label);

            PlatoonStatus before2 = E2e.status(platoon);
            E2e.transfer(bed, wgGo, platoon, BYTES, 5202);
            PlatoonStatus received = E2e.awaitStatus(platoon, E2e.STATUS_LAG, "the received datagrams counted",
                    s -> s.groBatches() > before2.groBatches()
                            && (binary == WireguardGoBinary.DEBIAN || s.datagramsPerBatchSince(before2) > 1.0));
            System.out.printf("[e2e] %s->platoon: platoon receive datagrams/wake-up %.1f (max %d)%n", binary.label,
                    received.datagramsPerBatchSince(before2), received.maxBatch());
            assertTrue(platoon.process.isAlive() && wgGo.process.isAlive(), "both ends still running");
            E2e.interop(binary.label, "IPv4", "200 MB TCP each way, SHA-256 equal");
            E2e.interop(binary.label, "IPv4", "trains from platoon's tun (TSO) to the peer");
            if (binary == WireguardGoBinary.UPSTREAM) {
                E2e.interop(binary.label, "IPv4", "the peer's UDP GSO trains read in batches");
            }
        }
    }
}
