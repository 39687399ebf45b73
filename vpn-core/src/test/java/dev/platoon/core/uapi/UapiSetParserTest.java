package dev.platoon.core.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UapiSetParserTest {

    static byte[] key(int seed) {
        byte[] k = new byte[32];
        for (int i = 0; i < 32; i++) {
            k[i] = (byte) (seed * 31 + i);
        }
        return k;
    }

    static String hex(int seed) {
        return UapiValues.keyToHex(key(seed));
    }

    @Test
    void everyInterfaceKey() throws Exception {
        UapiSetRequest r = UapiSetParser.parse(List.of("private_key=" + hex(1), "listen_port=51820",
                "fwmark=4294967295", "replace_peers=true"));
        assertArrayEquals(key(1), r.privateKey());
        assertFalse(r.removesPrivateKey());
        assertEquals(51820, r.listenPort().getAsInt());
        assertEquals(0xffff_ffffL, r.fwmark().getAsLong());
        assertTrue(r.replacePeers());
        assertTrue(r.peers().isEmpty());
    }

    @Test
    void emptyRequestChangesNothing() throws Exception {
        UapiSetRequest r = UapiSetParser.parse(List.of());
        assertNull(r.privateKey());
        assertTrue(r.listenPort().isEmpty());
        assertTrue(r.fwmark().isEmpty());
        assertFalse(r.replacePeers());
        assertTrue(r.peers().isEmpty());
    }

    @Test
    void zeroPrivateKeyMeansRemove() throws Exception {
        assertTrue(UapiSetParser.parse(List.of("private_key=" + "0".repeat(64))).removesPrivateKey());
        assertEquals(0, UapiSetParser.parse(List.of("fwmark=0")).fwmark().getAsLong());
    }

    @Test
    void everyPeerKey() throws Exception {
        UapiSetRequest r = UapiSetParser.parse(List.of(
                "public_key=" + hex(2), "update_only=true", "preshared_key=" + hex(3), "endpoint=[2001:db8::1]:51820",
                "persistent_keepalive_interval=25", "replace_allowed_ips=true", "allowed_ip=100.64.0.9/32",
                "allowed_ip=fd00:64::9/128", "allowed_ip=-10.0.0.0/8", "protocol_version=1",
                "public_key=" + hex(4), "endpoint=192.0.2.9:51821"));
        assertEquals(2, r.peers().size());
        UapiSetRequest.PeerChange p = r.peers().get(0);
        assertArrayEquals(key(2), p.publicKey());
        assertFalse(p.remove());
        assertTrue(p.updateOnly());
        assertArrayEquals(key(3), p.presharedKey());
        assertEquals("[2001:db8::1]:51820", UapiValues.formatEndpoint(p.endpoint()));
        assertEquals(OptionalInt.of(25), p.persistentKeepaliveInterval());
        assertTrue(p.replaceAllowedIps());
        assertEquals("[100.64.0.9/32, fd00:64::9/128, -10.0.0.0/8]", p.allowedIps().toString());
        UapiSetRequest.PeerChange q = r.peers().get(1);
        assertArrayEquals(key(4), q.publicKey());
        assertFalse(q.updateOnly());
        assertNull(q.presharedKey());
        assertEquals("192.0.2.9:51821", UapiValues.formatEndpoint(q.endpoint()));
        assertTrue(q.persistentKeepaliveInterval().isEmpty());
        assertFalse(q.replaceAllowedIps());
    }

    @Test
    void removeWinsAndLaterLinesAreStillValidated() throws Exception {
        UapiSetRequest r = UapiSetParser.parse(List.of("public_key=" + hex(2), "endpoint=192.0.2.1:1", "remove=true",
                "allowed_ip=10.0.0.0/8", "public_key=" + hex(2), "allowed_ip=10.1.0.0/16"));
        assertEquals(2, r.peers().size());
        assertTrue(r.peers().get(0).remove());
        assertNull(r.peers().get(0).endpoint());
        assertTrue(r.peers().get(0).allowedIps().isEmpty());
        assertFalse(r.peers().get(1).remove());
        assertThrows(UapiException.class, () -> UapiSetParser.parse(List.of("public_key=" + hex(2), "remove=true",
                "endpoint=nonsense")));
    }

    @Test
    void replaceAllowedIpsDropsEarlierLinesOfTheSameBlock() throws Exception {
        UapiSetRequest r = UapiSetParser.parse(List.of("public_key=" + hex(2), "allowed_ip=10.0.0.0/8",
                "replace_allowed_ips=true", "allowed_ip=10.1.0.0/16"));
        assertEquals("[10.1.0.0/16]", r.peers().get(0).allowedIps().toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "listen_port=65536", "listen_port=-1", "listen_port=", "listen_port=0x10", "fwmark=4294967296",
        "fwmark=-1", "replace_peers=false", "replace_peers=1", "private_key=abc", "private_key=",
        "bogus=1", "public_key=xyz", "public_key=", "allowed_ip=10.0.0.0/8", "endpoint=192.0.2.1:1",
        "protocol_version=1", "remove=true", "Private_Key=00",
        "PEER:update_only=false", "PEER:remove=1", "PEER:preshared_key=1234", "PEER:endpoint=192.0.2.1",
        "PEER:endpoint=[::1]", "PEER:endpoint=192.0.2.1:70000", "PEER:endpoint=example.com:51820",
        "PEER:persistent_keepalive_interval=65536", "PEER:persistent_keepalive_interval=x",
        "PEER:replace_allowed_ips=yes", "PEER:allowed_ip=10.0.0.0/33", "PEER:allowed_ip=10.0.0.0",
        "PEER:allowed_ip=", "PEER:allowed_ip=--10.0.0.0/8", "PEER:protocol_version=2",
        "PEER:protocol_version=", "PEER:listen_port=1", "PEER:private_key=" + "00", "PEER:bogus=true",
        "PEER:last_handshake_time_sec=1", "PEER:rx_bytes=1"})
    void malformedLinesAreEinval(String spec) {
        List<String> lines = spec.startsWith("PEER:")
                ? List.of("public_key=" + hex(2), spec.substring(5))
                : List.of(spec);
        UapiException e = assertThrows(UapiException.class, () -> UapiSetParser.parse(lines));
        assertEquals(UapiErrno.INVALID, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith("line " + (lines.size() + 1) + ": "), e.getMessage());
    }

    @Test
    void lineWithoutEqualsIsEproto() {
        UapiException e = assertThrows(UapiException.class, () -> UapiSetParser.parse(List.of("listen_port")));
        assertEquals(UapiErrno.PROTOCOL, e.errno());
        assertEquals("line 2: expected key=value, got \"listen_port\"", e.getMessage());
    }

    @Test
    void secretsNeverAppearInMessages() {
        String almostKey = hex(9).substring(0, 63) + "z";
        UapiException e = assertThrows(UapiException.class, () -> UapiSetParser.parse(List.of("private_key=" + almostKey)));
        assertFalse(e.getMessage().contains(almostKey.substring(0, 16)), e.getMessage());
        e = assertThrows(UapiException.class, () -> UapiSetParser.parse(List.of("public_key=" + hex(2),
                "preshared_key=" + almostKey)));
        assertFalse(e.getMessage().contains(almostKey.substring(0, 16)), e.getMessage());
        UapiSetRequest ok = assertDoesNotThrowParse(List.of("private_key=" + hex(9), "public_key=" + hex(2),
                "preshared_key=" + hex(8)));
        assertFalse(ok.toString().contains(hex(9).substring(0, 16)));
        assertFalse(ok.toString().contains(hex(8).substring(0, 16)));
    }

    private static UapiSetRequest assertDoesNotThrowParse(List<String> lines) {
        try {
            return UapiSetParser.parse(lines);
        } catch (UapiException e) {
            throw new AssertionError(e.getMessage());
        }
    }
}
