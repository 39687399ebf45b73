package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * Cryptokey routing on receive: a packet that decrypts fine but whose inner source is outside the
 * sender's AllowedIPs is dropped (source_not_allowed), while the allowed source keeps working.
 */
class AllowedIpsIT {
    private static final String FOREIGN_SOURCE = "100.64.0.99";
    private static final String DROP = "source_not_allowed";

    @Test
    void dropsInnerSourceOutsideAllowedIps() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-aips")) {
            Side a = bed.a;
            Side b = bed.b;
            E2e.startPlatoon(bed, a, true, List.of());
            E2e.startPlatoon(bed, b, true, List.of());
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);
            PlatoonStatus before = E2e.status(a);

            bed.net.exec(b.namespace, Duration.ofSeconds(10), "ip", "addr", "add", FOREIGN_SOURCE + "/24",
                    "dev", b.ifname).orThrow();
            assertFalse(bed.net.exec(b.namespace, Duration.ofSeconds(15), "ping", "-c", "2", "-W", "1", "-I",
                    FOREIGN_SOURCE, a.tunnel4).ok(), "a ping from " + FOREIGN_SOURCE
                    + " (outside b's AllowedIPs on a) was answered");
            PlatoonStatus after = E2e.awaitStatus(a, E2e.STATUS_LAG, DROP + " >= 1",
                    s -> s.drop(DROP) > before.drop(DROP));
            System.out.printf("[e2e] allowed ips: %s %d%n", DROP, after.drop(DROP));

            E2e.assertPing(bed, b, false, E2e.PING);
            E2e.assertPing(bed, a, false, E2e.PING);
        }
    }
}
