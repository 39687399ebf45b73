package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * UDP trains (USO) through the tunnel in both directions, platoon (A, initiator) against platoon and
 * each wireguard-go (B), over an outer IPv4 link and over an IPv6-only one: an application sends 12 MB as {@code UDP_SEGMENT} trains of 40 × 1200 bytes
 * (see {@link UdpTrains}), every datagram's bytes are checked on arrival. Outward, platoon's tun must
 * hand it the trains whole (segments per frame read > 1); inward from a peer that sends UDP GSO
 * (platoon, upstream wireguard-go), platoon reads several datagrams per wake-up and writes them to its
 * tun as coalesced UDP trains.
 */
class UdpTrainsIT {
    private static final int TRAINS = 250;
    private static final long DEADLINE_SECONDS = 60;
    /**
     * A receiver whose outer socket has the kernel's default buffer (208 KiB; Debian's wireguard-go sets
     * none) loses a few datagrams of each burst; every one of them must be counted by that kernel, and
     * more than this share is a fault anyway.
     */
    private static final double MAX_LOSS = 0.10;
    private static final Pattern COALESCED = Pattern.compile("of them coalesced trains: ([0-9]+)");

    @ParameterizedTest(name = "peer {0}, outer {1}")
    @CsvSource({"platoon, IPv4", "DEBIAN, IPv4", "UPSTREAM, IPv4", "platoon, IPv6", "DEBIAN, IPv6", "UPSTREAM, IPv6"})
    void udpTrainsBothWays(String peerKind, String outer) throws Exception {
        WireguardGoBinary binary = peerKind.equals("platoon") ? null : WireguardGoBinary.valueOf(peerKind);
        java.nio.file.Path wireguardGo = binary == null ? null : binary.path();
        String label = binary == null ? "platoon" : binary.label;
        try (TunnelBed bed = TunnelBed.create("pt-udp", outer.equals("IPv6"))) {
            Side platoon = bed.a;
            Side peer = bed.b;
            if (binary == null) {
                E2e.startPlatoon(bed, peer, false, List.of());
            } else {
                bed.startWireguardGo(peer, false, wireguardGo);
                bed.awaitUp(peer, E2e.UP);
            }
            E2e.startPlatoon(bed, platoon, true, List.of());
            E2e.assertPing(bed, platoon, false, E2e.FIRST_PING);

            PlatoonStatus before = E2e.status(platoon);
            UdpTrains.Result out = UdpTrains.send(bed, platoon, peer, TRAINS, 5301, DEADLINE_SECONDS);
            check(out, platoon, peer);
            PlatoonStatus sent = E2e.awaitStatus(platoon, E2e.STATUS_LAG,
                    "UDP trains read whole from platoon's tun (segments per frame > 1)",
                    s -> s.framesRead() > before.framesRead() && s.segmentsPerFrameSince(before) > 1.0);
            System.out.printf("[e2e] UDP trains platoon->%s: segments/frame %.1f (max %d)%n", label,
                    sent.segmentsPerFrameSince(before), sent.maxSegmentsPerFrame());
            E2e.interop(label, outer, "UDP trains (USO) from platoon's tun to the peer");

            PlatoonStatus before2 = E2e.status(platoon);
            UdpTrains.Result in = UdpTrains.send(bed, peer, platoon, TRAINS, 5302, DEADLINE_SECONDS);
            check(in, peer, platoon);
            boolean peerSendsGso = binary != WireguardGoBinary.DEBIAN;
            PlatoonStatus received = E2e.awaitStatus(platoon, E2e.STATUS_LAG,
                    peerSendsGso ? "the peer's UDP GSO read in batches and written as coalesced trains"
                            : "the received datagrams counted",
                    s -> s.groBatches() > before2.groBatches() && (!peerSendsGso
                            || (s.datagramsPerBatchSince(before2) > 1.0 && coalesced(s) > coalesced(before2))));
            System.out.printf("[e2e] UDP trains %s->platoon: datagrams/wake-up %.1f (max %d), coalesced trains "
                    + "written %d%n", label, received.datagramsPerBatchSince(before2), received.maxBatch(),
                    coalesced(received) - coalesced(before2));
            assertTrue(platoon.process.isAlive() && peer.process.isAlive(), "both ends still running");
            E2e.interop(label, outer, "UDP trains (USO) from the peer's tun to platoon");
            if (peerSendsGso) {
                E2e.interop(label, outer, "the peer's UDP GSO trains coalesced again on platoon's tun");
            }
        }
    }

    private static void check(UdpTrains.Result r, Side from, Side to) {
        System.out.printf("[e2e] UDP %s -> %s: %d of %d datagrams in %.2f s (%d lost, %d corrupted, %d duplicated; "
                + "receive buffers full in %s's namespace: %d)%n", from.ifname, to.ifname, r.received(), r.sent(),
                r.seconds(), r.lost(), r.corrupted(), r.duplicates(), to.ifname, r.rcvbufErrors());
        assertEquals(0, r.corrupted(), "datagrams with wrong bytes or length");
        assertEquals(0, r.duplicates(), "datagrams delivered twice");
 String where = "lost " + r.lost() + " of " + r.sent() + " datagrams " + from.ifname + " -> " + to.ifname
                + ", of them " + r.rcvbufErrors() + " counted as receive buffers full in the receiver's namespace";
        assertTrue(r.lost() <= r.rcvbufErrors(), where + ": the rest went missing uncounted");
        assertTrue(r.lost() <= r.sent() * MAX_LOSS, where + "; " + from.ifname + ": " + E2e.logTail(from) + "; "
                + to.ifname + ": " + E2e.logTail(to));
    }

    private static long coalesced(PlatoonStatus s) {
        Matcher m = COALESCED.matcher(s.text());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
