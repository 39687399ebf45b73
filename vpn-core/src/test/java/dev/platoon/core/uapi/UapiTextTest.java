package dev.platoon.core.uapi;

import static dev.platoon.core.uapi.UapiSetParserTest.hex;
import static dev.platoon.core.uapi.UapiSetParserTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.platoon.config.IpPrefix;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UapiTextTest {

    static UapiSnapshot sample() {
        return new UapiSnapshot(key(1), 51820, 0x1234, List.of(
                new UapiSnapshot.Peer(key(2), key(3), UapiValues.parseEndpoint("192.0.2.9:51820"), 25,
                        1_700_000_000L, 123_456_789L, 1000, -1L,
                        List.of(IpPrefix.parse("100.64.0.9/32"), IpPrefix.parse("fd00:64::9/128"))),
                new UapiSnapshot.Peer(key(4), null, null, 0, 0, 0, 0, 0, List.of())));
    }

    @Test
    void getResponseUsesWireguardGoKeyOrder() {
        String expected = "private_key=" + hex(1) + "\n"
                + "listen_port=51820\n"
                + "fwmark=4660\n"
                + "public_key=" + hex(2) + "\n"
                + "preshared_key=" + hex(3) + "\n"
                + "protocol_version=1\n"
                + "endpoint=192.0.2.9:51820\n"
                + "last_handshake_time_sec=1700000000\n"
                + "last_handshake_time_nsec=123456789\n"
                + "tx_bytes=18446744073709551615\n"
                + "rx_bytes=1000\n"
                + "persistent_keepalive_interval=25\n"
                + "allowed_ip=100.64.0.9/32\n"
                + "allowed_ip=fd00:64::9/128\n"
                + "public_key=" + hex(4) + "\n"
                + "preshared_key=" + "0".repeat(64) + "\n"
                + "protocol_version=1\n"
                + "last_handshake_time_sec=0\n"
                + "last_handshake_time_nsec=0\n"
                + "tx_bytes=0\n"
                + "rx_bytes=0\n"
                + "persistent_keepalive_interval=0\n";
        assertEquals(expected, UapiText.formatGet(sample()));
        assertEquals("errno=0\n\n", UapiText.status(0));
        assertEquals("errno=-22\n\n", UapiText.status(UapiErrno.INVALID));
    }

    @Test
    void emptyInterfaceOmitsZeroValues() {
        assertEquals("", UapiText.formatGet(new UapiSnapshot(null, 0, 0, List.of())));
    }

    @Test
    void getResponseParsesBack() throws Exception {
        String body = UapiText.formatGet(sample()) + "some_future_key=1\n";
        UapiSnapshot s = UapiText.parseGet(Arrays.asList(body.split("\n")));
        assertEquals(UapiText.formatGet(sample()), UapiText.formatGet(s));
        assertArrayEquals(key(1), s.privateKey());
        assertNull(s.peers().get(1).presharedKey());
        assertThrows(UapiException.class, () -> UapiText.parseGet(List.of("listen_port=x")));
        assertThrows(UapiException.class, () -> UapiText.parseGet(List.of("garbage")));
    }

    @Test
    void setRequestRoundTripsThroughTheParser() throws Exception {
        UapiSetRequest r = new UapiSetRequest(key(1), OptionalInt.of(51821), OptionalLong.of(7), true, List.of(
                new UapiSetRequest.PeerChange(key(2), false, true, key(3), UapiValues.parseEndpoint("[2001:db8::1]:9"),
                        OptionalInt.of(25), true, List.of(new UapiSetRequest.AllowedIpChange(IpPrefix.parse("10.0.0.0/8"), false),
                                new UapiSetRequest.AllowedIpChange(IpPrefix.parse("10.1.0.0/16"), true))),
                UapiSetRequest.PeerChange.removal(key(4))));
        String text = UapiText.formatSet(r);
        assertEquals("set=1\n", text.substring(0, 6));
        assertEquals("\n\n", text.substring(text.length() - 2));
        List<String> lines = Arrays.asList(text.substring(6, text.length() - 2).split("\n"));
        UapiSetRequest back = UapiSetParser.parse(lines);
        assertEquals(text, UapiText.formatSet(back));
        assertEquals(r.toString(), back.toString());
    }
}
