package dev.platoon.core.uapi;

import static dev.platoon.core.uapi.UapiSetParserTest.hex;
import static dev.platoon.core.uapi.UapiSetParserTest.key;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.platoon.config.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UapiDispatcherTest {
    /** Quiet the expected one-line warnings (held strongly: JUL keeps loggers weakly). */
    private static final java.util.logging.Logger QUIET = java.util.logging.Logger.getLogger(UapiDispatcher.class.getName());

    static {
        QUIET.setLevel(java.util.logging.Level.SEVERE);
    }

    private static final List<String> GOOD = List.of(
            "private_key=" + hex(1), "listen_port=51821", "fwmark=7", "replace_peers=true",
            "public_key=" + hex(2), "preshared_key=" + hex(3), "endpoint=192.0.2.9:51820",
            "persistent_keepalive_interval=25", "replace_allowed_ips=true", "allowed_ip=100.64.0.9/32",
            "protocol_version=1",
            "public_key=" + hex(4), "update_only=true", "endpoint=[2001:db8::4]:1",
            "public_key=" + hex(5), "remove=true");

    private static final List<String> BAD_LINES = List.of("listen_port=99999", "bogus=1", "no-equals-sign",
            "allowed_ip=10.0.0.0/40", "endpoint=192.0.2.1", "protocol_version=2", "public_key=12");

    private static FakeUapiDevice device() {
        FakeUapiDevice d = new FakeUapiDevice();
        d.setInterface(key(9), 51820, 0);
        d.addPeer(key(5)).allowedIps.add(IpPrefix.parse("10.5.0.0/16"));
        return d;
    }

    @Test
    void showCarriesTheStatusTextBlankLinesAndAll() {
        String text = "interface: pt0\n  listening port: 1\n\npeer: x\n";
        UapiDevice withStatus = new UapiDevice() {
            @Override
            public UapiSnapshot snapshot() {
                throw new AssertionError("show must not take a get snapshot");
            }

            @Override
            public void apply(UapiSetRequest request) {
                throw new AssertionError();
            }

            @Override
            public String status() {
                return text;
            }
        };
        String reply = new UapiDispatcher("pt0", withStatus).handle(new UapiRequest.Show());
        assertEquals("status=interface: pt0\nstatus=  listening port: 1\nstatus=\nstatus=peer: x\nerrno=0\n\n", reply);
        assertEquals(reply.length() - 2, reply.indexOf("\n\n"), "only the end may be a blank line");
        List<String> lines = List.of(reply.substring(0, reply.length() - 2).split("\n", -1));
        assertEquals(text, UapiText.parseShow(lines));
        assertEquals("errno=-22\n\n", new UapiDispatcher("pt0", device()).handle(new UapiRequest.Show()),
                "a device without a status text refuses show");
    }

    @Test
    void goodRequestIsAppliedOnce() {
        FakeUapiDevice d = device();
        String reply = new UapiDispatcher("pt0", d).handle(new UapiRequest.Set(GOOD));
        assertEquals("errno=0\n\n", reply);
        assertEquals(1, d.appliedCount());
        assertArrayEquals(key(1), d.privateKey());
        assertEquals(51821, d.listenPort());
        assertEquals(7, d.fwmark());
        assertEquals(1, d.peerCount());
        FakeUapiDevice.FakePeer p = d.peer(key(2));
        assertNotNull(p);
        assertEquals("192.0.2.9:51820", UapiValues.formatEndpoint(p.endpoint));
        assertEquals(25, p.keepalive);
        assertEquals("[100.64.0.9/32]", p.allowedIps.toString());
        assertNull(d.peer(key(4)), "update_only must not create");
        assertNull(d.peer(key(5)));
    }

    @Test
    void aBadLineAnywhereMeansNothingIsApplied() {
        for (String bad : BAD_LINES) {
            for (int at = 0; at <= GOOD.size(); at++) {
                List<String> lines = new ArrayList<>(GOOD);
                lines.add(at, bad);
                FakeUapiDevice d = device();
                String before = UapiText.formatGet(d.snapshot());
                String reply = new UapiDispatcher("pt0", d).handle(new UapiRequest.Set(lines));
                String where = bad + " at " + at;
                boolean eproto = !bad.contains("=");
                assertEquals(eproto ? "errno=-71\n\n" : "errno=-22\n\n", reply, where);
                assertEquals(0, d.appliedCount(), where);
                assertEquals(before, UapiText.formatGet(d.snapshot()), where);
            }
        }
    }

    @Test
    void deviceRefusalIsReportedAndChangesNothing() {
        FakeUapiDevice d = device();
        d.markPortBusy(51821);
        String before = UapiText.formatGet(d.snapshot());
        assertEquals("errno=-98\n\n", new UapiDispatcher("pt0", d).handle(new UapiRequest.Set(GOOD)));
        assertEquals(before, UapiText.formatGet(d.snapshot()));
    }

    @Test
    void crashesInsideTheDeviceBecomeEnoano() {
        UapiDevice broken = new UapiDevice() {
            @Override
            public UapiSnapshot snapshot() {
                throw new IllegalStateException("boom");
            }

            @Override
            public void apply(UapiSetRequest request) {
                throw new NullPointerException("boom");
            }
        };
        UapiDispatcher dispatcher = new UapiDispatcher("pt0", broken);
        assertEquals("errno=-55\n\n", dispatcher.handle(new UapiRequest.Get()));
        assertEquals("errno=-55\n\n", dispatcher.handle(new UapiRequest.Set(List.of("listen_port=1"))));
        assertEquals("errno=-5\n\n", dispatcher.handle(new UapiRequest.Malformed(UapiErrno.IO, "too long")));
    }

    @Test
    void getReportsTheDevice() {
        FakeUapiDevice d = device();
        String reply = new UapiDispatcher("pt0", d).handle(new UapiRequest.Get());
        assertEquals("private_key=" + hex(9) + "\nlisten_port=51820\npublic_key=" + hex(5) + "\npreshared_key="
                + "0".repeat(64) + "\nprotocol_version=1\nlast_handshake_time_sec=0\nlast_handshake_time_nsec=0\n"
                + "tx_bytes=0\nrx_bytes=0\npersistent_keepalive_interval=0\nallowed_ip=10.5.0.0/16\nerrno=0\n\n", reply);
    }
}
