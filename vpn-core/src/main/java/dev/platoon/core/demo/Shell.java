package dev.platoon.core.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external commands (ip, ping, iperf3, wg) with a deadline, and says in one line what failed. */
public final class Shell {

    /** What a finished command printed and returned. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Throws with one line naming the command and its first stderr line, unless it succeeded. */
        public Result orThrow() {
            if (!ok()) {
                String why = stderr.isBlank() ? stdout : stderr;
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + exitCode
                        + "): " + why.strip().lines().findFirst().orElse(""));
            }
            return this;
        }
    }

    private Shell() {
    }

    public static Result run(Duration timeout, String... command) {
        return run(timeout, List.of(command));
    }

    public static Result run(Duration timeout, List<String> command) {
        Path out = null;
        Path err = null;
        try {
            out = java.nio.file.Files.createTempFile("platoon-sh", ".out");
            err = java.nio.file.Files.createTempFile("platoon-sh", ".err");
            Process p = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                return new Result(command, 124, read(out), "timed out after " + timeout.toSeconds() + " s");
            }
            return new Result(command, p.exitValue(), read(out), read(err));
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

    /** {@code ip netns exec NS command...} as an argument list. */
    public static List<String> inNamespace(String namespace, List<String> command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    public static boolean onPath(String program) {
        return run(Duration.ofSeconds(5), "sh", "-c", "command -v " + program).ok();
    }

    private static String read(Path file) throws IOException {
        return java.nio.file.Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                java.nio.file.Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
