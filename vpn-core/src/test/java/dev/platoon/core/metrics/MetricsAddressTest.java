package dev.platoon.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsAddressTest {
    @Test
    void hostDefaultsToLoopback() {
        assertEquals(new MetricsAddress("127.0.0.1", 9586), MetricsAddress.parse("9586"));
        assertEquals(new MetricsAddress("127.0.0.1", 9586), MetricsAddress.parse(":9586"));
        assertEquals(new MetricsAddress("0.0.0.0", 9586), MetricsAddress.parse("0.0.0.0:9586"));
        assertEquals(new MetricsAddress("localhost", 1), MetricsAddress.parse("localhost:1"));
        assertEquals(new MetricsAddress("::1", 9586), MetricsAddress.parse("[::1]:9586"));
        assertEquals("[::1]:9586", MetricsAddress.parse("[::1]:9586").toString());
        assertEquals("127.0.0.1:9586", MetricsAddress.parse("9586").toString());
    }

    @Test
    void badInputIsOneLineNamingIt() {
        for (String bad : new String[] {"", "x", ":", "host:", "1.2.3.4:0", "1.2.3.4:65536", "::1:9586", "[::1]9586"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse(bad), bad);
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> MetricsAddress.parse("a:b")).getMessage()
                .contains("'a:b'"));
    }

    @Test
    void optionWinsOverEnvironmentAndNeitherMeansOff() {
        assertEquals(9000, MetricsAddress.fromOptionOrEnv("9000", "9001").port());
        assertEquals(9001, MetricsAddress.fromOptionOrEnv(null, "9001").port());
        assertNull(MetricsAddress.fromOptionOrEnv(null, null));
        assertNull(MetricsAddress.fromOptionOrEnv(null, " "));
    }
}
