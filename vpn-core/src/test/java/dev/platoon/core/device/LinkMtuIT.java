package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.TunnelBed;

/**
 * Without {@code MTU =}, {@code platoon up} picks the MTU the way wg-quick does. Side a's veth has an MTU
 * of 1400 (wg-quick chose 1320 there); side b reaches a's endpoint by a route with {@code mtu lock 1380}
 * (1300; IPv6 needs 1280 or more). A ping through the tunnel shows the two still talk.
 */
class LinkMtuIT {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void mtuFollowsTheRouteToTheEndpoint() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-mtu")) {
            for (String ns : List.of(bed.a.namespace, bed.b.namespace)) {
                bed.net.exec(ns, T, "ip", "link", "set", "veth0", "mtu", "1400").orThrow();
            }
            bed.net.exec(bed.b.namespace, T, "ip", "route", "add", bed.a.outerAddress + "/32", "dev", "veth0",
                    "mtu", "lock", "1380").orThrow();
            bed.writeConfig(bed.a, true, List.of());
            bed.writeConfig(bed.b, true, List.of());
            bed.startPlatoon(bed.a, List.of("--queues=1"));
            bed.startPlatoon(bed.b, List.of("--queues=1"));
            bed.awaitUp(bed.a, Duration.ofSeconds(30));
            bed.awaitUp(bed.b, Duration.ofSeconds(30));
            assertMtu(bed, bed.a, 1320);
            assertMtu(bed, bed.b, 1300);
            assertTrue(bed.ping(bed.a, false, Duration.ofSeconds(15)), "no ping answer through the tunnel");
        }
    }

    private static void assertMtu(TunnelBed bed, TunnelBed.Side side, int expected) throws Exception {
        String link = bed.net.exec(side.namespace, T, "ip", "-o", "link", "show", "dev", side.ifname).orThrow().stdout();
        assertTrue(link.contains(" mtu " + expected + " "), side.ifname + ": " + link);
        String log = Files.readString(side.log);
        assertTrue(log.contains("[#] ip link set mtu " + expected + " up dev " + side.ifname), log);
    }
}
