package dev.platoon.core.container;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs podman (and other commands) with this test's own containers.conf: runc instead of crun (crun
 * fails on this host's hybrid cgroups), cgroupfs (there is no systemd), explicit ulimits and a file
 * event log. The machine's global configuration is never touched: podman reads CONTAINERS_CONF.
 */
final class Podman {
    /** What a finished command printed and returned. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        String out() {
            return stdout.strip();
        }

        /** Throws with one line naming the command and the last lines it printed, unless it succeeded. */
        Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + exitCode
                        + "): " + tail(stderr.isBlank() ? stdout : stderr, 5));
            }
            return this;
        }
    }

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
    Result podman(Duration timeout, String... args) {
        List<String> command = new ArrayList<>(List.of("podman"));
        command.addAll(List.of(args));
        return run(timeout, command);
    }

    /** Any command, with CONTAINERS_CONF set (harmless for non-podman commands). */
    Result run(Duration timeout, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("platoon-ct", ".out");
            err = Files.createTempFile("platoon-ct", ".err");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().put("CONTAINERS_CONF", containersConf.toString());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(command, 124, Files.readString(out),
                        "timed out after " + timeout.toSeconds() + " s; " + Files.readString(err));
            }
            return new Result(command, p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            return new Result(command, 127, "", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(command, 130, "", "interrupted");
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** The last {@code n} non-blank lines of a text, joined with " | " (podman's systemd noise removed). */
    static String tail(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank())
                .filter(l -> !l.contains("unable to get systemd connection")).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
