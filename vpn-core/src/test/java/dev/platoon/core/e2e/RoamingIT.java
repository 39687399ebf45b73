package dev.platoon.core.e2e;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * Side b moves: first its outer address (192.0.2.2 → .3), then its port (a restart on another
 * ListenPort). Each time b sends first, a learns the new endpoint from the authenticated packet, and
 * traffic flows both ways again.
 */
class RoamingIT {
    private static final String NEW_ADDRESS = "192.0.2.3";
    private static final int NEW_PORT = 51821;

    @Test
    void peerRoamsToNewAddressAndPort() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-roam")) {
            Side a = bed.a;
            Side b = bed.b;
            E2e.startPlatoon(bed, a, true, List.of());
            E2e.startPlatoon(bed, b, true, List.of());
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);
            E2e.awaitStatus(a, E2e.STATUS_LAG, "b's first endpoint",
                    s -> (b.outerAddress + ":" + TunnelBed.LISTEN_PORT).equals(s.endpoint()));

            // New outer address: b pings a (b's packets now come from .3), then a must answer there.
            bed.net.readdressB(NEW_ADDRESS);
            E2e.assertPing(bed, b, false, E2e.PING);
            E2e.awaitStatus(a, E2e.STATUS_LAG, "b's endpoint learnt as " + NEW_ADDRESS + ":" + TunnelBed.LISTEN_PORT,
                    s -> (NEW_ADDRESS + ":" + TunnelBed.LISTEN_PORT).equals(s.endpoint()));
            E2e.assertPing(bed, a, false, E2e.PING);
            E2e.assertPing(bed, a, true, E2e.PING);
            E2e.transfer(bed, a, b, 20 * E2e.MB, 5201);

            // New port: b restarts listening on another port and handshakes again from it.
            NamespacePair.stop(b.process, Duration.ofSeconds(10));
            Files.writeString(b.config, Files.readString(b.config)
                    .replace("ListenPort = " + TunnelBed.LISTEN_PORT, "ListenPort = " + NEW_PORT));
            bed.startPlatoon(b, List.of());
            bed.awaitUp(b, E2e.UP);
            E2e.assertPing(bed, b, false, E2e.FIRST_PING);
            E2e.awaitStatus(a, E2e.STATUS_LAG, "b's endpoint learnt as " + NEW_ADDRESS + ":" + NEW_PORT,
                    s -> (NEW_ADDRESS + ":" + NEW_PORT).equals(s.endpoint()));
            E2e.assertPing(bed, a, false, E2e.PING);
            E2e.assertPing(bed, a, true, E2e.PING);
        }
    }
}
