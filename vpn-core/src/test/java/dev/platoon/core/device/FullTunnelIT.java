package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;

/**
 * {@code platoon up} with {@code AllowedIPs = 0.0.0.0/0, ::/0} does what wg-quick does. In side a's
 * namespace the only route to b's outer address is a default route in the main table, so the handshake
 * can leave by the veth only if its packets carry the fwmark that skips the tunnel's table: every answer
 * through the tunnel proves the mark and the rules together. b has addresses only its tunnel reaches
 * (TEST-NET-2 and 2001:db8::7), which a pings through its default route.
 */
class FullTunnelIT {
    private static final Duration T = Duration.ofSeconds(10);
    private static final String TABLE = "51820";
    private static final String EXTRA4 = "198.51.100.7";
    private static final String EXTRA6 = "2001:db8::7";

    @Test
    void fullTunnelRulesTrafficAndTeardown() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-full")) {
            Side a = bed.a;
            Side b = bed.b;
            defaultRouteOnly(bed);
            bed.writeConfig(b, false, List.of());
            bed.startPlatoon(b, List.of("--queues=1"));
            bed.awaitUp(b, Duration.ofSeconds(30));
            sh(bed, b, "ip", "addr", "add", EXTRA4 + "/32", "dev", b.ifname);
            sh(bed, b, "ip", "-6", "addr", "add", EXTRA6 + "/128", "dev", b.ifname, "nodad");

            boolean resolvconf = Shell.onPath("resolvconf");
            // Never hand the host's resolv.conf a test server: DNS is only asked for when it cannot apply.
            bed.writeConfig(a, true, resolvconf ? List.of() : List.of("DNS = 100.64.0.2"), "0.0.0.0/0, ::/0");
            bed.startPlatoon(a, List.of("--queues=1"));
            bed.awaitUp(a, Duration.ofSeconds(30));
            Waits.until(Duration.ofSeconds(30), "a's full-tunnel rules", () -> !a.process.isAlive()
                    || sh(bed, a, "ip", "-6", "rule", "show").contains("suppress_prefixlength 0"));
            assertTrue(a.process.isAlive(), "a exited: " + log(a));

            for (String family : List.of("-4", "-6")) {
                String rules = sh(bed, a, "ip", family, "rule", "show");
                assertTrue(rules.contains("not from all fwmark 0xca6c lookup " + TABLE), family + " rules:\n" + rules);
                assertTrue(rules.contains("from all lookup main suppress_prefixlength 0"), family + " rules:\n" + rules);
                String table = sh(bed, a, "ip", family, "route", "show", "table", TABLE);
                assertTrue(table.startsWith("default dev " + a.ifname), family + " table " + TABLE + ":\n" + table);
            }
            assertEquals("1", sh(bed, a, "cat", "/proc/sys/net/ipv4/conf/all/src_valid_mark").strip());
            String nft = sh(bed, a, "nft", "list", "ruleset");
            for (String rule : List.of("table ip platoon-" + a.ifname, "table ip6 platoon-" + a.ifname,
                    "iifname != \"" + a.ifname + "\" ip daddr 100.64.0.1 fib saddr type != local drop",
                    "iifname != \"" + a.ifname + "\" ip6 daddr fd00:64::1 fib saddr type != local drop",
                    "meta l4proto udp meta mark 0x0000ca6c ct mark set meta mark", "meta l4proto udp meta mark set ct mark")) {
                assertTrue(nft.contains(rule), "nft ruleset lacks " + rule + ":\n" + nft);
            }
            String up = log(a);
            for (String announced : List.of("[#] ip -4 route add 0.0.0.0/0 dev " + a.ifname + " table " + TABLE,
                    "[#] ip -4 rule add not fwmark " + TABLE + " table " + TABLE,
                    "[#] ip -4 rule add table main suppress_prefixlength 0",
                    "[#] sysctl -q net.ipv4.conf.all.src_valid_mark=1",
                    "[#] ip -6 route add ::/0 dev " + a.ifname + " table " + TABLE,
                    "[#] ip -6 rule add not fwmark " + TABLE + " table " + TABLE,
                    "[#] ip -6 rule add table main suppress_prefixlength 0")) {
                assertTrue(up.contains(announced), "a's log lacks " + announced + ":\n" + up);
            }
            if (!resolvconf) {
                assertTrue(up.contains("DNS = 100.64.0.2 not applied: resolvconf is not installed"), up);
            }
            // Unmarked traffic to b's outer address takes the tunnel; marked (platoon's own) takes the veth.
            assertTrue(sh(bed, a, "ip", "route", "get", bed.net.addressB).contains("dev " + a.ifname));
            assertTrue(sh(bed, a, "ip", "route", "get", bed.net.addressB, "mark", TABLE).contains("dev veth0"));

            long rxBefore = rxPackets(bed, b);
            assertTrue(ping(bed, a, "-4", EXTRA4, Duration.ofSeconds(20)), "no answer from " + EXTRA4
                    + " through the tunnel; a: " + log(a) + "\nb: " + log(b));
            assertTrue(ping(bed, a, "-6", EXTRA6, T), "no answer from " + EXTRA6 + "; a: " + log(a));
            long rxAfter = rxPackets(bed, b);
            assertTrue(rxAfter >= rxBefore + 2, "b's tun received " + (rxAfter - rxBefore) + " packets");
            // b's status, asked over its control socket, names the endpoint b learnt over the veth.
            String endpoint = "endpoint: " + bed.net.addressA + ":" + TunnelBed.LISTEN_PORT;
            Waits.until(Duration.ofSeconds(8), "b's status showing " + endpoint, () -> show(b).contains(endpoint));

            NamespacePair.stop(a.process, T);
            for (String family : List.of("-4", "-6")) {
                String rules = sh(bed, a, "ip", family, "rule", "show");
                assertFalse(rules.contains("lookup " + TABLE), family + " rules after down:\n" + rules);
                assertFalse(rules.contains("suppress_prefixlength"), family + " rules after down:\n" + rules);
                assertEquals("", sh(bed, a, "ip", family, "route", "show", "table", TABLE).strip());
            }
            assertFalse(sh(bed, a, "nft", "list", "ruleset").contains("platoon-"), "nftables tables left after down");
            String down = log(a);
            assertTrue(down.contains("[#] nft delete table ip platoon-" + a.ifname), down);
            assertTrue(down.contains("[#] ip -4 rule delete not fwmark " + TABLE + " table " + TABLE), down);
            assertTrue(down.contains("[#] ip -6 rule delete table main suppress_prefixlength 0"), down);
            assertFalse(bed.net.exec(a.namespace, T, "ip", "link", "show", "dev", a.ifname).ok(), "link gone");
        }
    }

    /**
     * A failure half-way (table 51820 already has an IPv6 default route, FwMark pins the table) makes up
     * fail with one line naming the command, after deleting the IPv4 rules it had added; what was there
     * before stays.
     */
    @Test
    void failedUpUndoesItsRulesOnly() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-fullx")) {
            Side a = bed.a;
            sh(bed, a, "ip", "-6", "route", "add", "::/0", "dev", "veth0", "table", TABLE);
            bed.writeConfig(a, true, List.of("FwMark = " + TABLE), "0.0.0.0/0, ::/0");
            bed.startPlatoon(a, List.of("--queues=1"));
            assertTrue(a.process.waitFor(60, TimeUnit.SECONDS), "up did not give up");
            assertEquals(1, a.process.exitValue(), log(a));
            String out = log(a);
            String failed = "ip -6 route add ::/0 dev " + a.ifname + " table " + TABLE + ": RTNETLINK answers: File exists";
            assertTrue(out.contains("platoon: " + a.ifname + ": " + failed), out);
            assertTrue(out.contains("[#] ip -4 rule delete table main suppress_prefixlength 0"), out);
            assertTrue(out.contains("[#] ip -4 rule delete not fwmark " + TABLE + " table " + TABLE), out);
            String rules = sh(bed, a, "ip", "-4", "rule", "show");
            assertFalse(rules.contains("lookup " + TABLE) || rules.contains("suppress_prefixlength"), rules);
            assertTrue(sh(bed, a, "ip", "-6", "route", "show", "table", TABLE).contains("default dev veth0"));
            assertFalse(bed.net.exec(a.namespace, T, "ip", "link", "show", "dev", a.ifname).ok(), "link gone");
        }
    }

    /** In a, b's outer address is reachable only by a default route of the main table. */
    private static void defaultRouteOnly(TunnelBed bed) throws IOException {
        Side a = bed.a;
        sh(bed, a, "ip", "route", "del", "192.0.2.0/24", "dev", "veth0");
        sh(bed, a, "ip", "route", "add", "default", "dev", "veth0");
    }

    private static boolean ping(TunnelBed bed, Side from, String family, String target, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (bed.net.exec(from.namespace, T, "ping", family, "-c", "1", "-W", "1", target).ok()) {
                return true;
            }
        }
        return false;
    }

    private static long rxPackets(TunnelBed bed, Side side) {
        return Long.parseLong(sh(bed, side, "cat", "/sys/class/net/" + side.ifname + "/statistics/rx_packets").strip());
    }

    private static String sh(TunnelBed bed, Side side, String... command) {
        List<String> c = new ArrayList<>(List.of(command));
        Shell.Result r = bed.net.exec(side.namespace, T, c.toArray(String[]::new));
        r.orThrow();
        return r.stdout();
    }

    private static String show(Side side) {
        try (UapiClient c = UapiClient.connect(side.ifname)) {
            return c.show();
        } catch (IOException | UapiException e) {
            return ""; // not serving yet
        }
    }

    private static String log(Side side) throws IOException {
        return side.log == null || !Files.exists(side.log) ? "(no log)" : Files.readString(side.log);
    }
}
