package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.core.demo.Waits;

/**
 * What happens to an interface on each fault (docs/operations.md, "Faults"), in namespaces: its tun
 * device deleted under it, kill -9 with a full tunnel and a stale pid file naming another process, a
 * detached {@code up} whose child stops making progress, {@code down} while {@code up} is at PostUp, 500
 * idle control-socket connections, a reload refused while the log file cannot be written. Every test ends with nothing of the interface left.
 */
class FaultsIT {
    private static final Duration T = Duration.ofSeconds(30);
    private static final Path RUN = Path.of("/run/platoon");
    private static final String TABLE = "51820";

    @Test
    void deletedTunDeviceShutsTheInterfaceDown() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-tundel")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of(), "0.0.0.0/0, ::/0");
            bed.startPlatoon(a, List.of("--queues=2"));
            awaitServing(bed, a);
            sh(bed, a, "ip", "link", "del", "dev", a.ifname);
            assertTrue(a.process.waitFor(T.toSeconds(), TimeUnit.SECONDS), "still running after its tun was deleted");
            assertEquals(1, a.process.exitValue(), log(a));
            String reason = "platoon: " + a.ifname + ": the tun device " + a.ifname + " was deleted";
            List<String> lines = log(a).lines().filter(l -> l.startsWith(reason)).toList();
            assertEquals(1, lines.size(), log(a));
            assertTrue(lines.getFirst().endsWith("; shutting down"), lines.getFirst());
            assertNothingLeft(bed, a, RUN);
        }
    }

    /**
     * kill -9 leaves the full tunnel's rules; its pid file then names another process (a pid is reused).
     * {@code down} must not signal that process, and removes the rules; {@code up} after a second kill -9
     * removes them before adding its own, so there is only ever one set.
     */
    @Test
    void killNineLeavesNothingThatUpOrDownDoNotRemove() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-kill9")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of(), "0.0.0.0/0, ::/0");
            bed.startPlatoon(a, List.of("--queues=1"));
            awaitServing(bed, a);
            a.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            assertEquals(1, count(sh(bed, a, "ip", "-4", "rule", "show"), "lookup " + TABLE), "kill -9 left the rules");

            Process other = new ProcessBuilder("sleep", "60").start(); // given the dead platoon's pid
            try {
                Files.writeString(RUN.resolve(a.ifname + ".pid"), other.pid() + "\n");
                Shell.Result down = cli(bed, a, List.of(), "down", a.ifname);
                assertEquals(1, down.exitCode(), down.stderr());
                assertTrue(down.stderr().contains(a.ifname + " is not up"), down.stderr());
                assertTrue(down.stderr().contains("its last process is gone; removing the rules it added"), down.stderr());
                assertTrue(other.isAlive(), "down signalled a process that is not platoon for " + a.ifname);
            } finally {
                other.destroy();
                other.waitFor(10, TimeUnit.SECONDS);
            }
            for (String family : List.of("-4", "-6")) {
                assertEquals(0, count(sh(bed, a, "ip", family, "rule", "show"), "lookup " + TABLE), family);
            }

            bed.startPlatoon(a, List.of("--queues=1"));
            awaitServing(bed, a);
            a.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            bed.startPlatoon(a, List.of("--queues=1"));
            awaitServing(bed, a);
            assertTrue(log(a).contains("[#] ip -4 rule delete not fwmark " + TABLE + " table " + TABLE), log(a));
            for (String family : List.of("-4", "-6")) {
                String rules = sh(bed, a, "ip", family, "rule", "show");
                assertEquals(1, count(rules, "lookup " + TABLE), family + " rules:\n" + rules);
                assertEquals(1, count(rules, "suppress_prefixlength 0"), family + " rules:\n" + rules);
            }
            NamespacePair.stop(a.process, T);
            assertEquals(143, a.process.exitValue(), log(a));
            assertNothingLeft(bed, a, RUN);
        }
    }

    /** A PostUp that hangs: the detaching up tells its child to tear down, and says so. */
    @Test
    void stalledDetachedUpLeavesNothing() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-stall")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of("PostUp = sleep 29.7"), "0.0.0.0/0, ::/0");
            Path run = Files.createDirectories(bed.workDir().resolve("run"));
            Path logs = Files.createDirectories(bed.workDir().resolve("log"));
            List<String> env = List.of("PLATOON_RUN_DIR=" + run, "PLATOON_LOG_DIR=" + logs);
            long start = System.nanoTime();
            Shell.Result up = cli(bed, a, env, "up", "--stall-seconds=3", "--queues=1", a.config.toString());
            long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            assertEquals(1, up.exitCode(), up.stdout() + up.stderr());
            assertTrue(seconds < 25, "took " + seconds + " s");
            assertTrue(up.stderr().contains("no progress for 3 s (last: [#] sleep 29.7); tearing it down"), up.stderr());
            assertTrue(up.stderr().contains(a.ifname + " did not come up"), up.stderr());
            assertTrue(up.stderr().contains("[#] ip -4 rule delete table main suppress_prefixlength 0"), up.stderr());
            assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 29.7")),
                    "the PostUp command is still running");
            assertNothingLeft(bed, a, run);
        }
    }

    /** {@code down} while {@code up} is still at PostUp: the up is cancelled, and nothing of it stays. */
    @Test
    void downCancelsAnUpStillComingUp() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-cancel")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of("PostUp = sleep 28.3"), "0.0.0.0/0, ::/0");
            Path run = Files.createDirectories(bed.workDir().resolve("run"));
            Path logs = Files.createDirectories(bed.workDir().resolve("log"));
            List<String> env = List.of("PLATOON_RUN_DIR=" + run, "PLATOON_LOG_DIR=" + logs);
            List<String> command = new ArrayList<>(List.of("env"));
            command.addAll(env);
            command.addAll(JavaCommand.platoon(List.of("up", "--queues=1", a.config.toString())));
            Path upOut = bed.workDir().resolve("up.out");
            Process up = bed.net.start(a.namespace, command, upOut);
            Path log = logs.resolve(a.ifname + ".log");
            Waits.until(T, "PostUp running", () -> !up.isAlive()
                    || (Files.exists(log) && Files.readString(log).contains("[#] sleep 28.3")));
            Shell.Result down = cli(bed, a, env, "down", a.ifname);
            assertEquals(0, down.exitCode(), down.stderr());
            assertTrue(down.stderr().contains("stopped before it was up; nothing of it is left"), down.stderr());
            assertTrue(up.waitFor(T.toSeconds(), TimeUnit.SECONDS), "up still waiting");
            assertEquals(1, up.exitValue(), Files.readString(upOut));
            assertFalse(ProcessHandle.allProcesses().anyMatch(p -> p.info().commandLine().orElse("").contains("sleep 28.3")),
                    "the PostUp command is still running");
            assertNothingLeft(bed, a, run);
        }
    }

    /** wireguard-go serves every connection; so must we, whatever a local process keeps open. */
    @Test
    void idleControlConnectionsDoNotLockOutWg() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-idle")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of());
            bed.startPlatoon(a, List.of("--queues=1"));
            awaitServing(bed, a);
            List<SocketChannel> idle = new ArrayList<>();
            try {
                UnixDomainSocketAddress socket = UnixDomainSocketAddress.of(socket(a));
                for (int i = 0; i < 500; i++) {
                    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
                    idle.add(c);
                    c.connect(socket);
                }
                Shell.Result show = bed.net.exec(a.namespace, T, "wg", "show", a.ifname);
                assertEquals(0, show.exitCode(), show.stderr());
                assertTrue(show.stdout().contains("listening port: " + TunnelBed.LISTEN_PORT), show.stdout());
            } finally {
                for (SocketChannel c : idle) {
                    c.close();
                }
            }
            NamespacePair.stop(a.process, T);
            assertNothingLeft(bed, a, RUN);
        }
    }

    /** The log file is /dev/full: a refused SIGHUP reload still reaches the system log. */
    @Test
    void refusedReloadReachesTheSystemLog() throws Throwable {
        try (TunnelBed bed = TunnelBed.create("pt-hup")) {
            Side a = bed.a;
            bed.writeConfig(a, true, List.of());
            Path socket = Path.of("/tmp", "pt-syslog-" + a.ifname + ".sock");
            Files.deleteIfExists(socket);
            try (NotifyListener syslog = new NotifyListener(socket)) {
                List<String> command = new ArrayList<>(List.of("env", Syslog.ENV + "=" + socket));
                command.addAll(JavaCommand.platoon(List.of("up", "--foreground", "--queues=1", a.config.toString())));
                a.process = bed.net.start(a.namespace, command, Path.of("/dev/full"));
                awaitServing(bed, a);
                Files.writeString(a.config, "[Interface]\nPrivateKey = nope\n");
                Shell.run(T, "kill", "-HUP", Long.toString(a.process.pid())).orThrow();
                String line = syslog.receive(T);
                assertTrue(line != null && line.matches("<28>platoon\\[[0-9]+\\]: platoon: " + a.ifname
                        + ": reload refused: .*" + a.ifname + "\\.conf:2: .*"), String.valueOf(line));
                assertTrue(a.process.isAlive(), "a refused reload keeps the interface");
            }
            NamespacePair.stop(a.process, T);
            assertNothingLeft(bed, a, RUN);
        }
    }

    /** Up and serving: the link is up and the control socket answers. */
    private static void awaitServing(TunnelBed bed, Side side) throws IOException {
        bed.awaitUp(side, T);
        Waits.until(T, side.ifname + "'s control socket", () -> !side.process.isAlive()
                || bed.net.exec(side.namespace, T, "wg", "show", side.ifname).ok());
        assertTrue(side.process.isAlive(), "exited: " + log(side));
    }

    private static void assertNothingLeft(TunnelBed bed, Side side, Path run) {
        for (String family : List.of("-4", "-6")) {
            String rules = sh(bed, side, "ip", family, "rule", "show");
            assertEquals(0, count(rules, "lookup " + TABLE) + count(rules, "suppress_prefixlength"), rules);
        }
        assertFalse(sh(bed, side, "nft", "list", "tables").contains("platoon-" + side.ifname), "nftables table left");
        assertFalse(bed.net.exec(side.namespace, T, "ip", "link", "show", "dev", side.ifname).ok(), "link left");
        for (Path p : List.of(socket(side), run.resolve(side.ifname + ".status"), run.resolve(side.ifname + ".pid"),
                run.resolve(side.ifname + ".undo"), run.resolve(side.ifname + ".lock"))) {
            assertFalse(Files.exists(p), p + " left");
        }
    }

    private static Shell.Result cli(TunnelBed bed, Side side, List<String> env, String... args) {
        List<String> command = new ArrayList<>(List.of("env"));
        command.addAll(env);
        command.addAll(JavaCommand.platoon(List.of(args)));
        return Shell.run(Duration.ofSeconds(60), Shell.inNamespace(side.namespace, command));
    }

    private static Path socket(Side side) {
        return Path.of("/var/run/wireguard", side.ifname + ".sock");
    }

    private static int count(String text, String what) {
        return (int) text.lines().filter(l -> l.contains(what)).count();
    }

    private static String sh(TunnelBed bed, Side side, String... command) {
        return bed.net.exec(side.namespace, T, command).orThrow().stdout();
    }

    private static String log(Side side) {
        try {
            return side.log == null || !Files.exists(side.log) ? "(no log)" : Files.readString(side.log);
        } catch (IOException e) {
            return "(unreadable log)";
        }
    }
}
