package dev.platoon.core.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.config.IpPrefix;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UapiValuesTest {

    @Test
    void keysRoundTripInLowercaseHex() {
        byte[] key = new byte[32];
        for (int i = 0; i < 32; i++) {
            key[i] = (byte) (0xf0 + i);
        }
        String hex = UapiValues.keyToHex(key);
        assertEquals(64, hex.length());
        assertEquals(hex.toLowerCase(), hex);
        assertArrayEquals(key, UapiValues.hexToKey(hex));
        assertArrayEquals(key, UapiValues.hexToKey(hex.toUpperCase()));
        assertTrue(UapiValues.isZero(new byte[32]));
        assertFalse(UapiValues.isZero(key));
    }

    @Test
    void badHexKeysAreRefused() {
        for (String hex : new String[] {"", "00", "0".repeat(63), "0".repeat(65), "g" + "0".repeat(63),
            "+" + "0".repeat(63), "\u0660" + "0".repeat(63), " " + "0".repeat(63)}) {
            assertThrows(IllegalArgumentException.class, () -> UapiValues.hexToKey(hex), hex);
        }
    }

    @Test
    void unsignedNumbersAreStrict() {
        assertEquals(51820, UapiValues.parseUnsigned("51820", 0xffff));
        assertEquals(25, UapiValues.parseUnsigned("0025", 0xffff));
        assertEquals(0xffff_ffffL, UapiValues.parseUnsigned("4294967295", 0xffff_ffffL));
        for (String bad : new String[] {"", "-1", "+1", " 1", "1 ", "65536", "1e3", "0x10", "99999999999999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> UapiValues.parseUnsigned(bad, 0xffff), bad);
        }
    }

    @Test
    void prefixesAreParsedStrictlyAndMasked() {
        assertEquals("100.64.0.9/32", UapiValues.parsePrefix("100.64.0.9/32").toString());
        assertEquals("10.0.0.0/8", UapiValues.parsePrefix("10.1.2.3/8").toString());
        assertEquals("0.0.0.0/0", UapiValues.parsePrefix("0.0.0.0/0").toString());
        assertEquals("fd00:64::/64", UapiValues.parsePrefix("fd00:64:0:0:1:2:3:4/64").toString());
        assertEquals("::/0", UapiValues.parsePrefix("::/0").toString());
        assertEquals(UapiValues.parsePrefix("10.0.0.0/8"), UapiValues.parsePrefix("10.255.0.1/8"));
        IpPrefix mapped = UapiValues.parsePrefix("::ffff:1.2.3.4/128");
        assertInstanceOf(Inet6Address.class, mapped.address());
        assertEquals("::ffff:102:304/128", mapped.toString());
        for (String bad : new String[] {"10.0.0.1", "10.0.0.1/33", "fd00::/129", "10.0.0/8", "010.0.0.1/32",
            "1.2.3.4.5/32", "256.0.0.1/32", "example.com/32", "fe80::1%eth0/64", "10.0.0.1/", "10.0.0.1/-1",
            "10.0.0.1/+8", "/8", "1.2.3.4/8/8"}) {
            assertThrows(IllegalArgumentException.class, () -> UapiValues.parsePrefix(bad), bad);
        }
    }

    @Test
    void ipv6IsFormattedPerRfc5952() {
        assertEquals("2001:db8::1", fmt("2001:0db8:0:0:0:0:0:1"));
        assertEquals("2001:db8:0:1:1:1:1:1", fmt("2001:db8:0:1:1:1:1:1"));
        assertEquals("2001:0:0:1::1", fmt("2001:0:0:1:0:0:0:1"));
        assertEquals("::1", fmt("::1"));
        assertEquals("1::", fmt("1::"));
        assertEquals("::", fmt("::"));
    }

    private static String fmt(String v6) {
        return UapiValues.formatAddress(UapiValues.parseIpv6(v6, false));
    }

    @Test
    void endpointsParseAndFormat() {
        InetSocketAddress v4 = UapiValues.parseEndpoint("192.0.2.9:51820");
        assertEquals("192.0.2.9", v4.getAddress().getHostAddress());
        assertEquals(51820, v4.getPort());
        assertEquals("192.0.2.9:51820", UapiValues.formatEndpoint(v4));
        InetSocketAddress v6 = UapiValues.parseEndpoint("[2001:db8::9]:51821");
        assertInstanceOf(Inet6Address.class, v6.getAddress());
        assertEquals("[2001:db8::9]:51821", UapiValues.formatEndpoint(v6));
        for (String bad : new String[] {"192.0.2.9", "192.0.2.9:", "192.0.2.9:65536", "2001:db8::9:51820",
            "[2001:db8::9]51820", "[2001:db8::9", "[192.0.2.9]:1", "host.example:51820", ":51820", "192.0.2.9:-1",
            "192.0.2.9:5 1"}) {
            assertThrows(IllegalArgumentException.class, () -> UapiValues.parseEndpoint(bad), bad);
        }
    }
}
