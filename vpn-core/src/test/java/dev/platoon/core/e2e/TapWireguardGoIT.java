package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * Tap mode against each wireguard-go: platoon (side a) runs with {@code --tap}, its tap in a bridge
 * with a veth to a "VM" namespace that holds a's tunnel addresses and knows nothing of WireGuard;
 * wireguard-go (side b) is a plain tun peer. From the VM: pings both families and 200 MB each way with
 * matching SHA-256; the VM's TSO reaches platoon as trains, and what comes back from wireguard-go is
 * written to the tap as coalesced trains.
 */
class TapWireguardGoIT {
    private static final long BYTES = 200 * E2e.MB;

    @ParameterizedTest(name = "{0}")
    @EnumSource(WireguardGoBinary.class)
    void aVmBehindATapReachesWireguardGo(WireguardGoBinary binary) throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-tapgo")) {
            Side platoon = bed.tapAtA();
            Side wgGo = bed.b;
            bed.startWireguardGo(wgGo, false, binary.path());
            bed.awaitUp(wgGo, E2e.UP);
            E2e.startPlatoon(bed, platoon, true, List.of());

            E2e.assertPing(bed, platoon, false, E2e.FIRST_PING);
            E2e.assertPing(bed, platoon, true, E2e.PING);
            E2e.assertPing(bed, wgGo, false, E2e.PING);
            E2e.assertPing(bed, wgGo, true, E2e.PING);
            PlatoonStatus pinged = E2e.status(platoon);
            assertTrue(pinged.arpAnswered() + pinged.ndAnswered() > 0,
                    "platoon answered the VM's ARP and neighbour solicitations:\n" + pinged.text());
            E2e.interop(binary.label, "IPv4", "tap mode: ping from a VM behind a bridge, IPv4 and IPv6");

            E2e.transferReadingTrains(bed, platoon, wgGo, BYTES, 5201, "the VM sent through the tap to " + binary.label);

            PlatoonStatus before2 = E2e.status(platoon);
            E2e.transfer(bed, wgGo, platoon, BYTES, 5202);
            PlatoonStatus received = E2e.awaitStatus(platoon, E2e.STATUS_LAG,
                    "coalesced trains written to the tap while " + binary.label + " sent to the VM",
                    s -> s.coalescedTrains() > before2.coalescedTrains()
                            && s.segmentsInTrains() - before2.segmentsInTrains()
                            > 1.5 * (s.coalescedTrains() - before2.coalescedTrains()));
            double perTrain = (received.segmentsInTrains() - before2.segmentsInTrains())
                    / (received.coalescedTrains() - before2.coalescedTrains());
            double perFrame = (received.framesWritten() - before2.framesWritten()) == 0 ? 0
                    : (received.segmentsInTrains() - before2.segmentsInTrains()
                    + (received.framesWritten() - before2.framesWritten())
                    - (received.coalescedTrains() - before2.coalescedTrains()))
                    / (received.framesWritten() - before2.framesWritten());
            System.out.printf("[e2e] tap: %s->VM: %d trains written to the tap, %.1f segments per train,"
                    + " %.1f segments per frame%n", binary.label,
                    received.coalescedTrains() - before2.coalescedTrains(), perTrain, perFrame);
            assertTrue(perFrame > 1.0, "segments per frame written to the tap: " + perFrame);
            assertTrue(platoon.process.isAlive() && wgGo.process.isAlive(), "both ends still running");
            E2e.interop(binary.label, "IPv4", "tap mode: 200 MB TCP each way from a VM, SHA-256 equal, trains both ways");
        }
    }
}
