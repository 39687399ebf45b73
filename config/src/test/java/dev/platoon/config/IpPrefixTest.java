package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.Inet6Address;

import org.junit.jupiter.api.Test;

class IpPrefixTest {

    @Test
    void printsLikeWgShow() {
        assertEquals("100.64.0.0/24", IpPrefix.parse("100.64.0.7/24").toString());
        assertEquals("fd00:64::/64", IpPrefix.parse("fd00:64:0:0::1/64").toString());
        assertEquals("2001:db8:0:1::/64", IpPrefix.parse("2001:db8:0:1::/64").toString());
        assertEquals("::/0", IpPrefix.parse("::/0").toString());
    }

    @Test
    void anIpv4MappedPrefixStaysIpv6() {
        IpPrefix mapped = IpPrefix.parse("::ffff:0:0/96");
        assertInstanceOf(Inet6Address.class, mapped.address());
        assertEquals("::ffff:0:0/96", mapped.toString());
        // What the control socket reports for it must be accepted back (a /96 of an IPv4 address would not).
        assertEquals("::ffff:0:0/96",
                IpPrefix.of(mapped.address(), mapped.bits()).toString());
    }
}
