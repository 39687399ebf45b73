package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * A peer that never answers (nothing runs in b): a packet into the tunnel makes platoon send a
 * handshake initiation, retry it every REKEY_TIMEOUT, give up after REKEY_ATTEMPT_TIME, drop what it
 * had staged with a reason, and then stay quiet. Timers shortened by the hidden options.
 */
class SilentPeerIT {
    private static final int REKEY_TIMEOUT_MS = 500;
    private static final int REKEY_ATTEMPT_SECONDS = 4;
    private static final String GAVE_UP = "peer_handshake_gave_up";

    @Test
    void retriesThenGivesUpAndDropsStagedPackets() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-silent")) {
            Side a = bed.a;
            E2e.startPlatoon(bed, a, true, List.of("--rekey-timeout-ms=" + REKEY_TIMEOUT_MS,
                    "--rekey-attempt-seconds=" + REKEY_ATTEMPT_SECONDS, "--keepalive-seconds=2"));
            PlatoonStatus idle = E2e.status(a);
            assertEquals(0, idle.handshakesInitiated(), "no initiation before any packet: " + idle.text());
            long txBefore = E2e.vethTxPackets(bed, a);

            long t0 = System.nanoTime();
            assertFalse(bed.net.exec(a.namespace, Duration.ofSeconds(10), "ping", "-c", "1", "-W", "1",
                    bed.b.tunnel4).ok(), "a ping answered although nothing runs on the other side");

            E2e.awaitStatus(a, Duration.ofSeconds(REKEY_ATTEMPT_SECONDS + 6), "several initiations (retries)",
                    s -> s.handshakesInitiated() >= 3);
            PlatoonStatus gaveUp = E2e.awaitStatus(a, Duration.ofSeconds(REKEY_ATTEMPT_SECONDS + 15),
                    "the handshake given up and the staged packet dropped (" + GAVE_UP + ")",
                    s -> s.handshakesFailed() >= 1 && s.drop(GAVE_UP) >= 1);
            double gaveUpAfter = (System.nanoTime() - t0) / 1e9;

            // Quiet afterwards: the last initiation went out a REKEY_TIMEOUT before the give-up, so the
            // count in the give-up reading is final; watch it over a few status periods.
            long window = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            PlatoonStatus last = gaveUp;
            while (System.nanoTime() < window) {
                PlatoonStatus s = PlatoonStatus.read(a.ifname);
                if (s != null) {
                    last = s;
                }
                Thread.sleep(200);
            }
            long initiated = last.handshakesInitiated();
            System.out.printf("[e2e] silent peer: %d initiations, gave up after %.1f s, drops: %s%n",
                    initiated, gaveUpAfter, last.drops());
            assertEquals(gaveUp.handshakesInitiated(), initiated,
                    "initiations went on after giving up: " + gaveUp.handshakesInitiated() + " -> "
                            + last.handshakesInitiated() + "\n" + last.text());
            // About REKEY_ATTEMPT_TIME / REKEY_TIMEOUT attempts: several retries, not an endless loop.
            int expected = REKEY_ATTEMPT_SECONDS * 1000 / REKEY_TIMEOUT_MS;
            assertTrue(initiated >= 3 && initiated <= expected + 4,
                    "initiations: " + initiated + ", expected about " + expected + "\n" + last.text());
            assertEquals(1, last.handshakesFailed(), "one abandoned attempt\n" + last.text());
            // Every initiation really left the namespace as a packet on the veth.
            long sent = E2e.vethTxPackets(bed, a) - txBefore;
            assertTrue(sent >= initiated, "veth sent " + sent + " packets for " + initiated + " initiations");
            assertTrue(a.process.isAlive(), "platoon still running: " + E2e.logTail(a));
        }
    }
}
