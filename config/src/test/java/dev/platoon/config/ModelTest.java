package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ModelTest {

    @ParameterizedTest
    @CsvSource({
            "0.0.0.0, 0.0.0.0",
            "255.255.255.255, 255.255.255.255",
            "::, ::",
            "::1, ::1",
            "1::, 1::",
            "FD00:0064:0000:0000:0000:0000:0000:0001, fd00:64::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "::ffff:192.0.2.1, ::ffff:c000:201",
            "1:2:3:4:5:6:1.2.3.4, 1:2:3:4:5:6:102:304",
    })
    void literalsParseAndFormatCanonically(String text, String canonical) {
        InetAddress a = IpLiteral.parse(text);
        assertEquals(canonical, IpLiteral.format(a));
        assertEquals(a, IpLiteral.parse(canonical));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "01.2.3.4", "256.1.1.1", "1.2.3.4 ", "a.b.c.d", ":", ":::",
            "1:2:3:4:5:6:7:8:9", "1::2::3", "12345::", "fe80::1%eth0", "::g", "1:", ":1", "localhost",
            "1:2:3:4:5:6:7:1.2.3.4", "\u0661.2.3.4"})
    void nonLiteralsAreRefusedWithoutALookup(String text) {
        assertNull(IpLiteral.parse(text));
    }

    @Test
    void ipv4MappedStaysIpv6() {
        assertTrue(IpLiteral.parse("::ffff:10.0.0.1") instanceof Inet6Address);
        assertEquals(128, IpPrefix.parse("::ffff:10.0.0.1").bits());
    }

    @Test
    void cidrIsNormalisedAndContains() {
        IpPrefix c = IpPrefix.parse("10.1.2.3/16");
        assertEquals("10.1.0.0/16", c.toString());
        assertEquals(IpPrefix.parse("10.1.0.0/16"), c);
        assertTrue(c.contains(IpLiteral.parse("10.1.255.255")));
        assertFalse(c.contains(IpLiteral.parse("10.2.0.0")));
        assertFalse(c.contains(IpLiteral.parse("::a01:0")), "families never mix");
        IpPrefix v6 = IpPrefix.parse("fd00:64::1234/64");
        assertEquals("fd00:64::/64", v6.toString());
        assertTrue(v6.contains(IpLiteral.parse("fd00:64::ffff:1")));
        assertFalse(v6.contains(IpLiteral.parse("fd00:65::1")));
        assertEquals("10.0.0.5/32", IpPrefix.parse("10.0.0.5").toString());
        assertEquals("0.0.0.0/0", IpPrefix.parse("192.0.2.77/0").toString());
        assertTrue(IpPrefix.parse("0.0.0.0/0").contains(IpLiteral.parse("192.0.2.1")));
        assertEquals("10.0.0.128/25", IpPrefix.parse("10.0.0.200/25").toString());
        assertEquals("fd80::/9", IpPrefix.parse("fdff::/9").toString(), "prefix not a multiple of 8");
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.of(IpLiteral.parse("10.0.0.0"), 33));
    }

    @Test
    void interfaceAddressKeepsHostBits() {
        InterfaceAddress a = InterfaceAddress.parse("100.64.0.1/24");
        assertEquals("100.64.0.1/24", a.toString());
        assertEquals(IpPrefix.parse("100.64.0.0/24"), a.network());
        assertEquals("fd00:64::1/128", InterfaceAddress.parse("fd00:64::1").toString());
    }

    @Test
    void endpointValidatesAndFormats() {
        assertEquals("[fd00:64::1]:51820", new Endpoint("FD00:64:0::1", 51820).toString());
        assertEquals("fd00:64::1", Endpoint.parse("[fd00:64::1]:51820").host());
        assertEquals(Optional.of(IpLiteral.parse("192.0.2.1")), Endpoint.parse("192.0.2.1:1").literalAddress());
        assertThrows(IllegalArgumentException.class, () -> new Endpoint("a b", 1));
        assertThrows(IllegalArgumentException.class, () -> new Endpoint("example.com", 0));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("-bad.example:1"));
        assertThrows(IllegalArgumentException.class, () -> Endpoint.parse("[fd00::1]:"));
        assertTrue(Endpoint.parse("host.example.:1").isHostName());
    }

    @Test
    void routeTableForms() {
        assertEquals(RouteTable.OFF, RouteTable.parse("OFF"));
        assertEquals(RouteTable.AUTO, RouteTable.parse("auto"));
        assertEquals(4294967295L, RouteTable.parse("4294967295").number().orElseThrow());
        assertTrue(RouteTable.parse("main").number().isEmpty());
        assertThrows(IllegalArgumentException.class, () -> RouteTable.parse(""));
    }

    @Test
    void keysCompareByValueAndHideThemselves() {
        WgKey a = WgKey.fromBase64(TestKeys.PEER1);
        WgKey b = WgKey.fromBase64(TestKeys.PEER1);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, WgKey.fromBase64(TestKeys.PEER2));
        assertEquals("(hidden)", a.toString());
        assertTrue(WgKey.of(new byte[32]).isZero());
        assertFalse(a.isZero());
        assertThrows(IllegalArgumentException.class, () -> WgKey.of(new byte[31]));
    }

    @Test
    void recordsRefuseWhatCannotBeWritten() {
        assertThrows(IllegalArgumentException.class, () -> new InterfaceConfig(Optional.empty(), OptionalInt.empty(),
                0, List.of(), List.of(), List.of(), OptionalInt.of(10), Optional.empty(), List.of(), List.of(),
                List.of(), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new InterfaceConfig(Optional.empty(), OptionalInt.empty(),
                0, List.of(), List.of(), List.of(), OptionalInt.empty(), Optional.empty(), List.of("echo # x"),
                List.of(), List.of(), List.of(), false));
        assertThrows(IllegalArgumentException.class, () -> new PeerConfig(WgKey.fromBase64(TestKeys.PEER1),
                Optional.empty(), List.of(), Optional.empty(), 65536));
        PeerConfig p = new PeerConfig(WgKey.fromBase64(TestKeys.PEER1), Optional.empty(), List.of(), Optional.empty(), 0);
        InterfaceConfig i = new InterfaceConfig(Optional.empty(), OptionalInt.empty(), 0, List.of(), List.of(),
                List.of(), OptionalInt.empty(), Optional.empty(), List.of(), List.of(), List.of(), List.of(), false);
        assertThrows(IllegalArgumentException.class, () -> new WgConfig(i, List.of(p, p)));
    }
}
