package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.crypto.AeadEngines;

/**
 * The whole device on each cipher engine: two platoons forced onto one engine with PLATOON_CIPHER
 * (the machine running the tests has libcrypto, so all four exist), the handshake, pings in both
 * families and 40 MB each way with matching SHA-256 — trains and all, over the real kernel.
 */
class CipherEnginesIT {
    private static final long BYTES = 40 * E2e.MB;

    @ParameterizedTest(name = "{0}")
    @EnumSource(AeadEngines.Kind.class)
    void aTunnelOnEachEngine(AeadEngines.Kind engine) throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-engine")) {
            Map<String, String> env = Map.of("PLATOON_CIPHER", engine.label());
            for (Side side : List.of(bed.b, bed.a)) {
                bed.writeConfig(side, side == bed.a, List.of());
                bed.startPlatoon(side, List.of(), env);
                bed.awaitUp(side, E2e.UP);
            }
            E2e.assertPing(bed, bed.a, false, E2e.FIRST_PING);
            E2e.assertPing(bed, bed.a, true, E2e.PING);
            int port = 5301;
            for (Side sender : List.of(bed.a, bed.b)) {
                E2e.Transfer t = E2e.transfer(bed, sender, bed.other(sender), BYTES, port++);
                assertEquals(t.sent().sha256(), t.received().sha256());
            }
            for (Side side : List.of(bed.a, bed.b)) {
                PlatoonStatus s = E2e.awaitStatus(side, E2e.STATUS_LAG, "the cipher line naming " + engine.label(),
                        st -> st.text().contains("cipher: " + engine.label() + " ")
                                || st.text().contains("cipher: " + engine.label() + ","));
                assertTrue(s.text().contains("forced by PLATOON_CIPHER"), s.text());
                assertTrue(!s.text().contains("cipher engine faults"), s.text());
            }
        }
    }
}
