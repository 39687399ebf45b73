package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.util.List;

import org.junit.jupiter.api.Test;

class LinkMtuTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void theRoutesOwnMtuLockedOrNotWins() throws Exception {
        RecordingHost host = new RecordingHost();
        host.answers.put("ip route get 198.51.100.5",
                "198.51.100.5 via 192.0.2.2 dev v0 src 192.0.2.1 uid 0\n    cache mtu lock 1300\n");
        host.answers.put("ip route get 2001:db8::5", "2001:db8::5 via fe80::1 dev v0 metric 1024 mtu 1280 pref medium\n");
        assertEquals(1220, LinkMtu.choose(host, List.of(ip("198.51.100.5"), ip("2001:db8::5"))), "the largest, minus 80");
    }

    @Test
    void elseTheDevicesMtu() throws Exception {
        RecordingHost host = new RecordingHost();
        host.answers.put("ip route get 192.0.2.2", "192.0.2.2 dev veth0 src 192.0.2.1 uid 0\n    cache\n");
        host.answers.put("ip link show dev veth0", "2: veth0@if2: <BROADCAST,UP> mtu 1400 qdisc noqueue state UP\n");
        assertEquals(1320, LinkMtu.choose(host, List.of(ip("192.0.2.2"))));
    }

    @Test
    void noEndpointTakesTheFirstDefaultRouteThen1500() throws Exception {
        RecordingHost host = new RecordingHost();
        assertEquals(1420, LinkMtu.choose(host, List.of()), "nothing known: 1500 - 80");
        host.answers.put("ip route show default",
                "default via 192.0.2.254 dev ppp0\ndefault via 192.0.2.1 dev eth1 mtu 9000\n");
        host.answers.put("ip link show dev ppp0", "3: ppp0: <POINTOPOINT,UP> mtu 1492 qdisc fq state UNKNOWN\n");
        assertEquals(1412, LinkMtu.choose(host, List.of()));
        host.failing = "ip route get 203.0.113.9"; // unreachable endpoint: the default route decides
        assertEquals(1412, LinkMtu.choose(host, List.of(ip("203.0.113.9"))));
    }
}
