package dev.platoon.core.e2e;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * Side b moves: first its outer address (192.0.2.2 → .3, or 2001:db8::2 → ::4 over an IPv6-only
 * link), then its port (platoon restarts on another
 * ListenPort; wireguard-go takes {@code wg set listen-port} live). Each time b sends first, a learns
 * the new endpoint from the authenticated packet, and traffic flows both ways again. Run for platoon
 * with platoon, platoon learning where the upstream wireguard-go went, and the upstream wireguard-go
 * learning where platoon went; the last two also over outer IPv6.
 */
class RoamingIT {
    private static final int NEW_PORT = 51821;

    @ParameterizedTest(name = "{0} learns where {1} went, outer {2}")
    @CsvSource({"platoon, platoon, IPv4", "platoon, UPSTREAM, IPv4", "UPSTREAM, platoon, IPv4",
            "platoon, UPSTREAM, IPv6", "UPSTREAM, platoon, IPv6"})
    void peerRoamsToNewAddressAndPort(String learnerKind, String roamerKind, String outer) throws Exception {
        java.nio.file.Path upstream = learnerKind.equals("UPSTREAM") || roamerKind.equals("UPSTREAM")
                ? WireguardGoBinary.UPSTREAM.path() : null;
        boolean v6 = outer.equals("IPv6");
        String newAddress = v6 ? "2001:db8::4" : "192.0.2.3";
        try (TunnelBed bed = TunnelBed.create("pt-roam", v6)) {
            Side a = bed.a;
            Side b = bed.b;
            start(bed, a, learnerKind, upstream);
            start(bed, b, roamerKind, upstream);
            E2e.assertPing(bed, a, false, E2e.FIRST_PING);
            awaitEndpoint(bed, a, b.endpoint());

            // New outer address: b pings a (b's packets now come from .3), then a must answer there.
            bed.net.readdressB(newAddress);
            E2e.assertPing(bed, b, false, E2e.PING);
            awaitEndpoint(bed, a, endpoint(newAddress, TunnelBed.LISTEN_PORT));
            E2e.assertPing(bed, a, false, E2e.PING);
            E2e.assertPing(bed, a, true, E2e.PING);
            E2e.transfer(bed, a, b, 20 * E2e.MB, 5201);

            // New port: b listens on another port and sends from it.
            if (roamerKind.equals("platoon")) {
                NamespacePair.stop(b.process, Duration.ofSeconds(10));
                Files.writeString(b.config, Files.readString(b.config)
                        .replace("ListenPort = " + TunnelBed.LISTEN_PORT, "ListenPort = " + NEW_PORT));
                bed.startPlatoon(b, List.of());
                bed.awaitUp(b, E2e.UP);
            } else {
                bed.net.exec(b.namespace, Duration.ofSeconds(10), "wg", "set", b.ifname, "listen-port",
                        String.valueOf(NEW_PORT)).orThrow();
            }
            E2e.assertPing(bed, b, false, E2e.FIRST_PING);
            awaitEndpoint(bed, a, endpoint(newAddress, NEW_PORT));
            E2e.assertPing(bed, a, false, E2e.PING);
            E2e.assertPing(bed, a, true, E2e.PING);
            if (roamerKind.equals("platoon")) {
                E2e.interop(label(learnerKind), outer, "learns platoon's new address and port");
            }
            if (learnerKind.equals("platoon")) {
                E2e.interop(label(roamerKind), outer, "platoon learns the peer's new address and port");
            }
        }
    }

    private static String endpoint(String address, int port) {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
    }

    private static String label(String kind) {
        return kind.equals("platoon") ? "platoon" : WireguardGoBinary.valueOf(kind).label;
    }

    private static void start(TunnelBed bed, Side side, String kind, java.nio.file.Path upstream) throws Exception {
        if (kind.equals("platoon")) {
            E2e.startPlatoon(bed, side, true, List.of());
        } else {
            bed.startWireguardGo(side, true, upstream);
            bed.awaitUp(side, E2e.UP);
        }
    }

    /** Waits until {@code learner} sends to {@code endpoint}: platoon's status, or wireguard-go's wg show. */
    private static void awaitEndpoint(TunnelBed bed, Side learner, String endpoint) throws Exception {
        if (learner.kind == TunnelBed.Kind.PLATOON) {
            E2e.awaitStatus(learner, E2e.STATUS_LAG, "the peer's endpoint learnt as " + endpoint,
                    s -> endpoint.equals(s.endpoint()));
        } else {
            Waits.until(E2e.STATUS_LAG, "the peer's endpoint in wg show as " + endpoint,
                    () -> E2e.wgShow(bed, learner, "endpoints").endsWith("\t" + endpoint));
        }
    }
}
