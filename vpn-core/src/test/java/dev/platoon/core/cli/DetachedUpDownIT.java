package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * A detaching {@code platoon up} and its {@code platoon down} print what the foreground process logs —
 * the {@code [#]} lines, hook output and warnings — as wg-quick does, not just one line.
 */
class DetachedUpDownIT {
    private static final Duration T = Duration.ofSeconds(60);

    @Test
    void detachedUpAndDownShowTheirSteps() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-detach")) {
            Side a = bed.a;
            boolean resolvconf = Shell.onPath("resolvconf");
            List<String> extra = new ArrayList<>(List.of("PostUp = echo hello-from-postup",
                    "PostDown = echo bye-from-postdown"));
            if (!resolvconf) {
                extra.add("DNS = 100.64.0.2"); // only where it cannot apply: the warning is the point
            }
            bed.writeConfig(a, true, extra);
            Path run = Files.createDirectories(bed.workDir().resolve("run"));
            Path logs = Files.createDirectories(bed.workDir().resolve("log"));
            try {
                Shell.Result up = platoon(bed, a, run, logs, "up", a.config.toString());
                assertEquals(0, up.exitCode(), up.stdout() + up.stderr());
                for (String shown : List.of("[#] ip -4 address add 100.64.0.1/24 dev " + a.ifname,
                        "[#] ip -6 address add fd00:64::1/64 dev " + a.ifname,
                        "[#] ip link set mtu 1420 up dev " + a.ifname, "[#] echo hello-from-postup",
                        "hello-from-postup")) {
                    assertTrue(up.stderr().lines().anyMatch(shown::equals), "up lacks '" + shown + "':\n" + up.stderr());
                }
                if (!resolvconf) {
                    assertTrue(up.stderr().contains("DNS = 100.64.0.2 not applied"), up.stderr());
                }
                assertTrue(up.stdout().contains(a.ifname + " is up (pid "), up.stdout());
                assertTrue(!up.stderr().contains(" is up: "), "the child's own 'is up' line is not repeated");

                Shell.Result down = platoon(bed, a, run, logs, "down", a.ifname);
                assertEquals(0, down.exitCode(), down.stdout() + down.stderr());
                for (String shown : List.of("[#] echo bye-from-postdown", "bye-from-postdown")) {
                    assertTrue(down.stderr().lines().anyMatch(shown::equals), "down lacks '" + shown + "':\n" + down.stderr());
                }
                assertTrue(down.stdout().contains(a.ifname + " is down"), down.stdout());
            } finally {
                stopLeftOver(run.resolve(a.ifname + ".pid"));
            }
        }
    }

    private static Shell.Result platoon(TunnelBed bed, Side side, Path run, Path logs, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "PLATOON_RUN_DIR=" + run, "PLATOON_LOG_DIR=" + logs));
        command.addAll(JavaCommand.platoon(List.of(args)));
        return Shell.run(T, Shell.inNamespace(side.namespace, command));
    }

    /** The detached child is not the bed's: stop it by its pid file if a failure left it running. */
    private static void stopLeftOver(Path pidFile) throws Exception {
        if (!Files.exists(pidFile)) {
            return;
        }
        var process = ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
        if (process.isPresent()) {
            process.get().destroy();
            process.get().onExit().get(20, TimeUnit.SECONDS);
        }
    }
}
