package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * Two platoons in two namespaces. Only the initiator knows an endpoint, so the other side can only
 * answer: the handshake, pings both families, and 200 MB each way whose SHA-256 matches — with the
 * sender reading trains from its tun (segments per frame > 1) and the receiver reading UDP in batches.
 */
class PlatoonPairIT {
    private static final long BYTES = 200 * E2e.MB;

    @ParameterizedTest(name = "initiator {0}")
    @ValueSource(strings = {"a", "b"})
    void handshakePingAndTransferBothWays(String initiatorName) throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-pair")) {
            Side initiator = initiatorName.equals("a") ? bed.a : bed.b;
            Side responder = bed.other(initiator);
            E2e.startPlatoon(bed, responder, false, List.of());
            E2e.startPlatoon(bed, initiator, true, List.of());

            E2e.assertPing(bed, initiator, false, E2e.FIRST_PING);
            E2e.assertPing(bed, initiator, true, E2e.PING);
            E2e.awaitStatus(responder, E2e.STATUS_LAG, "a completed handshake and the initiator's endpoint",
                    s -> s.handshakesCompleted() >= 1 && (initiator.outerAddress + ":" + TunnelBed.LISTEN_PORT)
                            .equals(s.endpoint()));

            int port = 5201;
            for (Side sender : List.of(initiator, responder)) {
                Side receiver = bed.other(sender);
                PlatoonStatus sBefore = E2e.status(sender);
                PlatoonStatus rBefore = E2e.status(receiver);
                E2e.transfer(bed, sender, receiver, BYTES, port++);
                // Sender: the kernel hands TCP segments to the tun in trains (virtio_net_hdr + GSO).
                PlatoonStatus s = E2e.awaitStatus(sender, E2e.STATUS_LAG,
                        "segments per tun frame > 1 during the transfer",
                        st -> st.framesRead() > sBefore.framesRead() && st.segmentsPerFrameSince(sBefore) > 1.0);
                // Receiver: the datagrams come off the UDP socket in batches (GRO / recvmmsg).
                PlatoonStatus r = E2e.awaitStatus(receiver, E2e.STATUS_LAG,
                        "datagrams per receive batch > 1 during the transfer",
                        st -> st.groBatches() > rBefore.groBatches() && st.datagramsPerBatchSince(rBefore) > 1.0);
                System.out.printf("[e2e] pair %s->%s: sender segments/frame %.1f (max %d), receiver "
                                + "datagrams/batch %.1f (max %d)%n", sender.ifname, receiver.ifname,
                        s.segmentsPerFrameSince(sBefore), s.maxSegmentsPerFrame(), r.datagramsPerBatchSince(rBefore),
                        r.maxBatch());
                assertTrue(s.maxSegmentsPerFrame() > 1, "max segments per frame: " + s.text());
            }
            E2e.interop("platoon", "IPv4", initiatorName.equals("a") ? "handshake, platoon initiates"
                    : "handshake, the peer initiates");
            E2e.interop("platoon", "IPv4", "ping inside, IPv4 and IPv6");
            E2e.interop("platoon", "IPv4", "200 MB TCP each way, SHA-256 equal");
            E2e.interop("platoon", "IPv4", "trains from platoon's tun (TSO) to the peer");
            E2e.interop("platoon", "IPv4", "the peer's UDP GSO trains read in batches");
            // Nothing the host sends by itself into the tunnel is lost: the tun has no link-local
            // address, so no router solicitations to ff02::2 that no peer routes.
            for (Side side : List.of(bed.a, bed.b)) {
                String linkLocal = bed.net.exec(side.namespace, java.time.Duration.ofSeconds(5), "ip", "-6", "-o",
                        "address", "show", "dev", side.ifname, "scope", "link").orThrow().stdout().strip();
                assertEquals("", linkLocal, side.ifname + " has a link-local address");
                assertEquals(0, E2e.status(side).drop("no_route"), "no_route drops:\n" + E2e.status(side).text());
            }
        }
    }
}
