package dev.platoon.core.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.platoon.testkit.Proc;

/**
 * Runs podman (and other commands) with this test's own containers.conf: runc instead of crun (crun
 * fails on this host's hybrid cgroups), cgroupfs (there is no systemd), explicit ulimits and a file
 * event log. The machine's global configuration is never touched: podman reads CONTAINERS_CONF.
 */
final class Podman {
    static final String CONTAINERS_CONF = """
            [containers]
            default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
            [engine]
            runtime = "runc"
            cgroup_manager = "cgroupfs"
            events_logger = "file"
            """;

    private final Path containersConf;

    private Podman(Path containersConf) {
        this.containersConf = containersConf;
    }

    /** Writes the containers.conf into {@code dir} and returns a runner that points podman at it. */
    static Podman withConfigIn(Path dir) throws IOException {
        Path conf = dir.resolve("containers.conf");
        Files.writeString(conf, CONTAINERS_CONF, StandardCharsets.UTF_8);
        return new Podman(conf);
    }

    /** {@code podman ARGS...}. */
    Proc.Result podman(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    /** Any command, with CONTAINERS_CONF set (harmless for non-podman commands). */
    Proc.Result run(Duration timeout, List<String> command) {
        return Proc.run(timeout, null, Proc.envWith("CONTAINERS_CONF", containersConf.toString()),
                command.toArray(String[]::new));
    }

    /** The last {@code n} non-blank lines of a text, joined with " | " (podman's systemd noise removed). */
    static String tail(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank())
                .filter(l -> !l.contains("unable to get systemd connection")).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}
