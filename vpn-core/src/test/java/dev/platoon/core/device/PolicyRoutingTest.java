package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.config.ConfigParser;
import dev.platoon.config.WgConfig;

class PolicyRoutingTest {
    private static final String KEY_A = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";
    private static final String KEY_B = "xTIBA5rboUvnH4htodjb6e697QjLERt1NAB4mZqp8Dg=";
    private static final String KEY_C = "TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0=";

    private static WgConfig config(String interfaceLines, String allowedB, String allowedC) throws Exception {
        String text = "[Interface]\nPrivateKey = " + KEY_A + "\nAddress = 100.64.0.1/24, fd00:64::1/64\n"
                + interfaceLines + "\n[Peer]\nPublicKey = " + KEY_B + "\nAllowedIPs = " + allowedB + "\n"
                + (allowedC == null ? "" : "[Peer]\nPublicKey = " + KEY_C + "\nAllowedIPs = " + allowedC + "\n");
        return ConfigParser.parse(text, "wg0.conf");
    }

    private static PolicyRouting plan(WgConfig c, RecordingHost host) throws DeviceException {
        return PolicyRouting.plan("wg0", c.iface(), c.peers(), host);
    }

    @Test
    void fullTunnelLikeWgQuick() throws Exception {
        RecordingHost host = new RecordingHost();
        host.answers.put("ip -4 route show dev wg0", "100.64.0.0/24 proto kernel scope link src 100.64.0.1\n");
        PolicyRouting r = plan(config("", "0.0.0.0/0, ::/0, 100.64.0.2/32", "10.9.0.0/16"), host);
        assertEquals(51820, r.fwmark());
        r.apply();
        assertEquals(List.of(
                // longest prefix first; 100.64.0.2/32 is already routed by the address's network
                "ip -4 route add 10.9.0.0/16 dev wg0",
                "ip -4 route add 0.0.0.0/0 dev wg0 table 51820",
                "ip -4 rule add not fwmark 51820 table 51820",
                "ip -4 rule add table main suppress_prefixlength 0",
                "sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                "ip -6 route add ::/0 dev wg0 table 51820",
                "ip -6 rule add not fwmark 51820 table 51820",
                "ip -6 rule add table main suppress_prefixlength 0"), host.commands);
        host.commands.clear();
        r.remove();
        assertEquals(List.of(
                "ip -6 rule delete table main suppress_prefixlength 0",
                "ip -6 rule delete not fwmark 51820 table 51820",
                "ip -4 rule delete table main suppress_prefixlength 0",
                "ip -4 rule delete not fwmark 51820 table 51820"), host.commands);
        host.commands.clear();
        r.remove();
        assertEquals(List.of(), host.commands, "a second remove deletes nothing");
    }

    @Test
    void fullTunnelWithNftAddsSpoofingRulesAndDeletesTheirTables() throws Exception {
        RecordingHost host = new RecordingHost();
        host.nft = true;
        PolicyRouting r = plan(config("", "0.0.0.0/0, ::/0", null), host);
        r.apply();
        assertTrue(host.commands.contains("nft -f -"), host.commands.toString());
        String v4 = host.stdins.get(host.commands.indexOf("nft -f -"));
        assertEquals("""
                add table ip platoon-wg0
                add chain ip platoon-wg0 preraw { type filter hook prerouting priority -300; }
                add chain ip platoon-wg0 premangle { type filter hook prerouting priority -150; }
                add chain ip platoon-wg0 postmangle { type filter hook postrouting priority -150; }
                add rule ip platoon-wg0 preraw iifname != "wg0" ip daddr 100.64.0.1 fib saddr type != local drop
                add rule ip platoon-wg0 postmangle meta l4proto udp mark 51820 ct mark set mark
                add rule ip platoon-wg0 premangle meta l4proto udp meta mark set ct mark
                """, v4);
        String v6 = host.stdins.get(host.commands.lastIndexOf("nft -f -"));
        assertTrue(v6.contains("add rule ip6 platoon-wg0 preraw iifname != \"wg0\" ip6 daddr fd00:64::1 fib saddr"
                + " type != local drop\n"), v6);
        host.commands.clear();
        r.remove();
        assertEquals("nft delete table ip6 platoon-wg0", host.commands.getFirst());
        assertTrue(host.commands.contains("nft delete table ip platoon-wg0"), host.commands.toString());
    }

    @Test
    void withoutNftOneWarning() throws Exception {
        RecordingHost host = new RecordingHost();
        plan(config("", "0.0.0.0/0, ::/0", null), host).apply();
        assertEquals(1, host.logs.stream().filter(l -> l.contains("nft is not installed")).count(), host.logs.toString());
    }

    @Test
    void skipsTablesInUseAndHonoursFwMark() throws Exception {
        RecordingHost host = new RecordingHost();
        host.answers.put("ip -6 route show table 51820", "default dev other metric 1024\n");
        host.answers.put("ip -4 route show table 51821", "default dev other\n");
        host.failing = "ip -4 route show table 51822"; // a table never used does not exist: free
        assertEquals(51822, plan(config("", "0.0.0.0/0", null), host).fwmark());

        RecordingHost marked = new RecordingHost();
        PolicyRouting r = plan(config("FwMark = 0x1234", "0.0.0.0/0", null), marked);
        assertEquals(0x1234, r.fwmark());
        r.apply();
        assertTrue(marked.commands.contains("ip -4 rule add not fwmark 4660 table 4660"), marked.commands.toString());
    }

    @Test
    void tableOffAddsNothingAndNamedTableHasNoRules() throws Exception {
        RecordingHost host = new RecordingHost();
        PolicyRouting off = plan(config("Table = off", "0.0.0.0/0, 10.0.0.0/8", null), host);
        assertEquals(0, off.fwmark());
        off.apply();
        assertEquals(List.of(), host.commands);

        PolicyRouting t = plan(config("Table = 1234", "0.0.0.0/0, 10.0.0.0/8", null), host);
        assertEquals(0, t.fwmark());
        t.apply();
        assertEquals(List.of("ip -4 route add 10.0.0.0/8 dev wg0 table 1234",
                "ip -4 route add 0.0.0.0/0 dev wg0 table 1234"), host.commands);
    }

    @Test
    void everyRouteInOneBatchExceptWhatTheDeviceRoutesAlready() throws Exception {
        RecordingHost host = new RecordingHost();
        host.answers.put("ip -4 route show dev wg0", "100.64.0.0/24 proto kernel scope link src 100.64.0.1\n"
                + "broadcast 10.7.0.0/16 scope link\n");
        host.answers.put("ip -6 route show dev wg0", "fd00:64::/64 proto kernel metric 256 pref medium\n");
        StringBuilder many = new StringBuilder("100.64.0.9/32, fd00:64::9/128, fd00:65::/64, 10.7.1.0/24");
        for (int i = 0; i < 1000; i++) {
            many.append(", 10.8.").append(i / 250).append('.').append(i % 250).append("/32");
        }
        plan(config("", many.toString(), null), host).apply();
        assertEquals(List.of(1001), host.batches, "one batch, not a process per route");
        assertTrue(host.commands.contains("ip -6 route add fd00:65::/64 dev wg0"), host.commands.toString());
        assertTrue(host.commands.contains("ip -4 route add 10.8.3.249/32 dev wg0"), host.commands.toString());
        assertTrue(host.commands.stream().noneMatch(c -> c.contains("100.64.0.9") || c.contains("fd00:64::9")
                || c.contains("10.7.1.0")), "covered by the device's own routes: " + host.commands.subList(0, 3));
    }

    @Test
    void batchFailureNamesTheRouteAndTheReason() {
        List<List<String>> commands = List.of(List.of("ip", "-4", "route", "add", "10.1.0.0/16", "dev", "wg0"),
                List.of("ip", "-6", "route", "add", "fd00:1::/64", "dev", "wg0"));
        assertEquals("ip -6 route add fd00:1::/64 dev wg0: RTNETLINK answers: File exists",
                IpBatch.failure(commands, "Warning: something\nRTNETLINK answers: File exists\nCommand failed -:2\n"));
        assertEquals(List.of("route", "add", "fd00:1::/64", "dev", "wg0"), IpBatch.line(commands.get(1)));
        assertTrue(IpBatch.failure(commands, "Cannot open file\n").startsWith("ip -batch - (2 commands"),
                IpBatch.failure(commands, "Cannot open file\n"));
    }

    @Test
    void routeLinesParsed() {
        assertEquals("10.7.0.0/16", PolicyRouting.routePrefix("broadcast 10.7.0.0/16 scope link", true)
                .orElseThrow().toString());
        assertEquals("100.64.0.2/32", PolicyRouting.routePrefix("100.64.0.2 proto static", true).orElseThrow().toString());
        assertEquals("::/0", PolicyRouting.routePrefix("default metric 1024 pref medium", false).orElseThrow().toString());
        assertTrue(PolicyRouting.routePrefix("   ", true).isEmpty());
    }

    @Test
    void failureDeletesTheRulesAlreadyAdded() throws Exception {
        RecordingHost host = new RecordingHost();
        host.failing = "ip -6 rule add not fwmark 51820 table 51820";
        PolicyRouting r = plan(config("", "0.0.0.0/0, ::/0", null), host);
        DeviceException e = assertThrows(DeviceException.class, r::apply);
        assertEquals("ip -6 rule add not fwmark 51820 table 51820: RTNETLINK answers: File exists", e.getMessage());
        int failedAt = host.commands.indexOf(host.failing);
        assertEquals(List.of("ip -4 rule delete table main suppress_prefixlength 0",
                "ip -4 rule delete not fwmark 51820 table 51820"),
                host.commands.subList(failedAt + 1, host.commands.size()));
        assertEquals(List.of(), r.pendingDeletes());
    }
}
