package dev.platoon.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command to completion with a deadline. Output goes to temporary files rather than pipes, so a
 * chatty command never blocks on a full pipe that nobody reads; standard input is given text or empty.
 * A command past its deadline is killed with its descendants and reported as exit {@value #TIMED_OUT}.
 */
public final class Proc {
    /** The exit code reported for a command killed at its deadline (what timeout(1) returns). */
    public static final int TIMED_OUT = 124;

    private Proc() {
    }

    /** What a finished command printed and returned. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public boolean ok() {
            return exitCode == 0;
        }

        /** Standard output without surrounding blanks. */
        public String out() {
            return stdout.strip();
        }

        /** This result if the command succeeded; else throws naming it, its exit and the end of its output. */
        public Result orThrow() {
            if (!ok()) {
                throw new IllegalStateException("'" + String.join(" ", command) + "' failed (exit " + exitCode
                        + "): " + tail(stderr.isBlank() ? stdout : stderr, 8));
            }
            return this;
        }
    }

    /** {@code command} with this process's environment and empty standard input. */
    public static Result run(Duration timeout, String... command) {
        return run(timeout, null, null, command);
    }

    /**
     * {@code command} with {@code stdin} (null: empty) and {@code env} as its whole environment (null:
     * this process's own).
     */
    public static Result run(Duration timeout, String stdin, Map<String, String> env, String... command) {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (env != null) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Path in = null;
        Path out = null;
        Path err = null;
        try {
            in = Files.createTempFile("platoon-proc", ".in");
            out = Files.createTempFile("platoon-proc", ".out");
            err = Files.createTempFile("platoon-proc", ".err");
            Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
            Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(p);
                return new Result(List.of(command), TIMED_OUT, read(out),
                        "timed out after " + timeout.toSeconds() + " s; " + read(err));
            }
            return new Result(List.of(command), p.exitValue(), read(out), read(err));
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(in);
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    /** This process's environment with the given name/value pairs set on top. */
    public static Map<String, String> envWith(String... pairs) {
        Map<String, String> env = new HashMap<>(System.getenv());
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    /** Kills a process and everything it started, and waits (bounded) for it to be gone. */
    public static void kill(Process p) throws InterruptedException {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
    }

    /** The last {@code n} non-blank lines of a text, joined with " | ". */
    public static String tail(String text, int n) {
        List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }
}
