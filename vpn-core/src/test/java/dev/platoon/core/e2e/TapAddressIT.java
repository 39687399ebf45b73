package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * Tap mode with Address= and no bridge: the addresses go on the tap, and the host itself uses the
 * tunnel through it as it would a tun — its kernel asks for the peer's addresses by ARP and ND, and
 * platoon answers. Both families, both directions, against a tun-mode platoon.
 */
class TapAddressIT {

    @Test
    void theHostReachesThePeerThroughItsOwnTap() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-tapaddr")) {
            Side tap = bed.a;
            Side peer = bed.b;
            E2e.startPlatoon(bed, peer, false, List.of());
            E2e.startPlatoon(bed, tap, true, List.of("--tap"));

            E2e.assertPing(bed, tap, false, E2e.FIRST_PING);
            E2e.assertPing(bed, tap, true, E2e.PING);
            E2e.assertPing(bed, peer, false, E2e.PING);
            E2e.assertPing(bed, peer, true, E2e.PING);
            PlatoonStatus status = E2e.status(tap);
            assertTrue(status.text().contains("tap multi_queue"), "a tap:\n" + status.text());
            assertTrue(status.arpAnswered() > 0 && status.ndAnswered() > 0,
                    "the host's ARP and ND answered:\n" + status.text());
            assertTrue(status.text().contains("neighbours 1 IPv4, 1 IPv6"),
                    "the host's own addresses learned behind the tap:\n" + status.text());
        }
    }
}
