package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.testkit.WireguardGoBinary;

/**
 * A TCP transfer that outlives the session key: the initiator rekeys every 2 s (hidden
 * {@code --rekey-after-seconds}), the stream must carry on across the key changes with nothing lost
 * or reset, and the new handshakes must show in the status.
 *
 * <p>REKEY_TIMEOUT is shortened too ({@code --rekey-timeout-ms}): a peer sends at most one initiation
 * per REKEY_TIMEOUT (5 s by default), so with the default the first rekey could not start before 5 s
 * after the first handshake, and at the data path's speed the whole transfer is over by then.
 * For the same reason the transfer is bounded in time (7 s, at most 8 GiB), not only in bytes: a fixed
 * 500 MB would be over before the first rekey on a machine a few times faster than this one.
 */
class RekeyIT {
    private static final int REKEY_AFTER_SECONDS = 2;
    private static final int REKEY_TIMEOUT_MS = 1000;
    /** The transfer lasts this long whatever the data path's speed (capped at BYTES). */
    private static final int SECONDS = 7;
    private static final long BYTES = 8192 * E2e.MB;

    @ParameterizedTest(name = "responder {0}")
    @ValueSource(strings = {"platoon", "UPSTREAM"})
    void transferSurvivesRekeys(String responderKind) throws Exception {
        boolean platoonResponds = responderKind.equals("platoon");
        java.nio.file.Path upstream = platoonResponds ? null : WireguardGoBinary.UPSTREAM.path();
        try (TunnelBed bed = TunnelBed.create("pt-rekey")) {
            Side initiator = bed.a;
            Side responder = bed.b;
            if (platoonResponds) {
                E2e.startPlatoon(bed, responder, false, List.of());
            } else {
                bed.startWireguardGo(responder, false, upstream);
                bed.awaitUp(responder, E2e.UP);
            }
            E2e.startPlatoon(bed, initiator, true, List.of("--rekey-after-seconds=" + REKEY_AFTER_SECONDS,
                    "--rekey-timeout-ms=" + REKEY_TIMEOUT_MS));
            E2e.assertPing(bed, initiator, false, E2e.FIRST_PING);
            PlatoonStatus before = E2e.awaitStatus(initiator, E2e.STATUS_LAG, "the first completed handshake",
                    s -> s.handshakesCompleted() >= 1);

            E2e.Transfer t = E2e.transfer(bed, initiator, responder, BYTES, SECONDS, 5201);
            assertTrue(t.received().seconds() > REKEY_AFTER_SECONDS, "the transfer took only "
                    + t.received().seconds() + " s, not longer than the rekey time: it proves nothing");

            PlatoonStatus after = E2e.awaitStatus(initiator, E2e.STATUS_LAG,
                    ">= 2 completed handshakes, at least one of them during the transfer",
                    s -> s.handshakesCompleted() >= 2 && s.handshakesCompleted() > before.handshakesCompleted());
            System.out.printf("[e2e] rekey: %d handshakes completed (%d before the %.1f s transfer)%n",
                    after.handshakesCompleted(), before.handshakesCompleted(), t.received().seconds());
            // The other end saw them too, and the tunnel still answers after the rekeys.
            if (platoonResponds) {
                E2e.awaitStatus(responder, E2e.STATUS_LAG, ">= 2 completed handshakes on the responder",
                        s -> s.handshakesCompleted() >= 2);
            }
            E2e.assertPing(bed, responder, false, E2e.PING);
            E2e.interop(platoonResponds ? "platoon" : WireguardGoBinary.UPSTREAM.label, "IPv4",
                    "rekey under traffic (platoon initiates every 2 s)");
        }
    }
}
