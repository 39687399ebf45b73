package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** The friendly_name comment: read per [Peer], ignored elsewhere, and what a name may hold. */
class PeerNamesTest {
    @Test
    void namesByPublicKeyFromPeerSectionsOnly() throws ConfigException {
        String text = """
                [Interface]
                # friendly_name = not a peer
                PrivateKey = %s
                [Peer]
                # friendly_name = alice phone
                PublicKey = %s
                AllowedIPs = 100.64.0.2/32

                [peer]
                publickey = %s # bob's laptop, no friendly_name
                [Peer]
                PublicKey = %s
                #friendly_name=carol
                """.formatted(TestKeys.PRIVATE, TestKeys.PEER1, TestKeys.PEER2, TestKeys.PEER3);
        assertEquals(3, ConfigParser.parse(text, "wg0.conf").peers().size(), "wg-quick's reading is unchanged");
        assertEquals(Map.of(TestKeys.PEER1, "alice phone", TestKeys.PEER3, "carol"), PeerNames.read(text));
    }

    @Test
    void aNameIsOneSafeLine() {
        assertEquals("# friendly_name = Alice's phone".replace("'", ""), PeerNames.comment("Alices phone"));
        for (String bad : new String[] {"", " x", "x ", "a#b", "a=b", "a\nb", "a\"b", "x".repeat(65)}) {
            assertThrows(IllegalArgumentException.class, () -> PeerNames.check(bad), bad);
        }
    }
}
