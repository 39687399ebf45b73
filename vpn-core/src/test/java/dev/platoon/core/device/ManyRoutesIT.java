package dev.platoon.core.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.platoon.crypto.Keys;
import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;

/**
 * A peer with 10,000 AllowedIPs, each a route: {@code up} adds them all in one {@code ip -batch} and
 * comes up; the teardown leaves none. The addresses are host routes (/32, /128) so that no route of
 * the device's own network covers them (wg-quick skips those). A route that cannot be added fails
 * {@code up} with one line naming it, and nothing of the interface is left.
 */
class ManyRoutesIT {
    private static final int ROUTES = 10_000;
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void tenThousandRoutesUpAndGone() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-routes")) {
            Side a = bed.a;
            writeConfig(bed, a, List.of());
            long started = System.nanoTime();
            bed.startPlatoon(a, List.of("--queues=1"));
            // Up means the "is up" line: it is printed after every route is made.
            Waits.until(Duration.ofSeconds(90), a.ifname + " up with " + ROUTES + " routes",
                    () -> !a.process.isAlive() || log(a).contains("platoon: " + a.ifname + " is up: "));
            assertTrue(a.process.isAlive(), "a exited: " + TunnelBed.lastLine(a.log));
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf("up with %d routes in %.1f s (JVM start included)%n", ROUTES, seconds);

            assertEquals(ROUTES / 2, routes(bed, a, "-4"), "IPv4 routes through " + a.ifname);
            assertEquals(ROUTES / 2, routes(bed, a, "-6"), "IPv6 routes through " + a.ifname);
            String out = log(a);
            assertTrue(out.contains("[#] ip -6 route add fd00:64::1:1387/128 dev " + a.ifname), "the last route announced");
            assertFalse(out.contains("route show dev " + a.ifname + " match"), "a query per route");

            NamespacePair.stop(a.process, Duration.ofSeconds(30));
            assertFalse(bed.net.exec(a.namespace, T, "ip", "link", "show", "dev", a.ifname).ok(), "link gone");
            for (String family : List.of("-4", "-6")) {
                String left = sh(bed, a, "ip", family, "route", "show");
                assertFalse(left.contains("10.96.") || left.contains("fd00:64::1:"), family + " routes left:\n"
                        + left.lines().limit(5).toList());
            }
        }
    }

    @Test
    void aRouteThatCannotBeAddedIsNamedAndNothingStays() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-routex")) {
            Side a = bed.a;
            // Table 1234 already routes one of the AllowedIPs elsewhere: the kernel refuses the second.
            sh(bed, a, "ip", "-6", "route", "add", "fd00:64::1:9/128", "dev", "veth0", "table", "1234");
            writeConfig(bed, a, List.of("Table = 1234"));
            bed.startPlatoon(a, List.of("--queues=1"));
            assertTrue(a.process.waitFor(90, TimeUnit.SECONDS), "up did not give up");
            assertEquals(1, a.process.exitValue(), log(a));
            String failed = "platoon: " + a.ifname + ": ip -6 route add fd00:64::1:9/128 dev " + a.ifname
                    + " table 1234: RTNETLINK answers: File exists";
            assertTrue(log(a).contains(failed), log(a).lines().filter(l -> !l.startsWith("[#]")).toList().toString());
            assertFalse(bed.net.exec(a.namespace, T, "ip", "link", "show", "dev", a.ifname).ok(), "link gone");
            // /128s go first (longest prefix first): the ones before the failure went with the link.
            assertEquals(List.of("fd00:64::1:9 dev veth0 metric 1024 pref medium"),
                    sh(bed, a, "ip", "-6", "route", "show", "table", "1234").lines().map(String::strip).toList());
            assertFalse(Files.exists(Path.of("/run/platoon", a.ifname + ".status")), "status file left");
        }
    }

    /** Host addresses so the device's own networks cover none of the AllowedIPs. */
    private static void writeConfig(TunnelBed bed, Side side, List<String> extra) throws IOException {
        Side peer = bed.other(side);
        List<String> lines = new ArrayList<>(List.of("[Interface]", "PrivateKey = " + Keys.toBase64(side.privateKey),
                "ListenPort = " + TunnelBed.LISTEN_PORT, "Address = " + side.tunnel4 + "/32, " + side.tunnel6 + "/128"));
        lines.addAll(extra);
        lines.addAll(List.of("", "[Peer]", "PublicKey = " + Keys.toBase64(peer.publicKey)));
        StringBuilder allowed = new StringBuilder();
        for (int i = 0; i < ROUTES; i++) {
            boolean v4 = i < ROUTES / 2;
            int n = v4 ? i : i - ROUTES / 2;
            allowed.append(allowed.isEmpty() ? "" : ", ").append(v4 ? "10.96." + (n >> 8) + "." + (n & 0xff) + "/32"
                    : "fd00:64::1:" + Integer.toHexString(n) + "/128");
            if (allowed.length() > 4000 || i == ROUTES - 1) { // several AllowedIPs lines, as wg(8) allows
                lines.add("AllowedIPs = " + allowed);
                allowed.setLength(0);
            }
        }
        Path file = bed.workDir().resolve(side.ifname + ".conf");
        Files.write(file, lines);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        side.config = file;
    }

    private static long routes(TunnelBed bed, Side side, String family) {
        return sh(bed, side, "ip", family, "route", "show", "dev", side.ifname).lines()
                .filter(l -> l.startsWith("10.96.") || l.startsWith("fd00:64::1:")).count();
    }

    private static String sh(TunnelBed bed, Side side, String... command) {
        Shell.Result r = bed.net.exec(side.namespace, T, command);
        r.orThrow();
        return r.stdout();
    }

    private static String log(Side side) throws IOException {
        return side.log == null || !Files.exists(side.log) ? "" : Files.readString(side.log);
    }
}
