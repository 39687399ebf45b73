package dev.platoon.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.platoon.core.launch.JavaCommand;

/**
 * Detaching {@code platoon up}: Java cannot fork, so the parent starts the same program again with
 * {@code --foreground} in a new session (setsid), logging to the interface's log file, and returns once
 * the child has written its pid file (the interface is up) — or prints the child's one-line error.
 */
final class Daemon {
    /** How long the child may show no progress (no new line in its log) before it is torn down. */
    static final Duration STALL_TIMEOUT = Duration.ofSeconds(30);
    /** How long a child told to tear down may take before it is killed (and its leftovers removed here). */
    private static final Duration TEARDOWN_GRACE = Duration.ofSeconds(20);
    /** How often the parent looks for the child's pid file: a stat, cheap next to a JVM start. */
    private static final Duration POLL = Duration.ofMillis(10);

    private Daemon() {
    }

    /**
     * Fails with "permission denied" when this user cannot look into the folder of pid and status files
     * (it is root's, mode 0700): without the check, every interface would look "not up".
     */
    static void requireRunDirAccess(InterfaceFiles files, String command) throws IOException {
        Path dir = files.runDir();
        if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
            throw new java.nio.file.AccessDeniedException(dir.toString(), null,
                    "permission denied (platoon " + command + " needs root)");
        }
    }

    static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /**
     * Starts the foreground child and waits until it is up; returns the exit code for the parent. It
     * waits as long as the child makes progress — every line it logs (a {@code [#]} step, hook output) is
     * shown here and restarts the clock — and after {@code stall} without any, tells the child to tear
     * down (SIGTERM), kills it if it does not within {@link #TEARDOWN_GRACE}, and removes whatever it
     * left: a failed or abandoned {@code up} never leaves a half-configured interface.
     */
    static int detach(InterfaceFiles files, String name, Path config, List<String> extraArgs, Duration stall,
                      java.io.PrintWriter out, java.io.PrintWriter err) throws IOException {
        createPrivateDir(files.logDir());
        Path log = files.logFile(name);
        List<String> args = new ArrayList<>(List.of("up", "--foreground"));
        args.addAll(extraArgs);
        args.add(config.toString());
        LogFollower follower = new LogFollower(log); // the child's [#] lines and warnings, shown here too
        List<String> cmd = new ArrayList<>(List.of("setsid"));
        cmd.addAll(JavaCommand.platoon(args));
        Process child = new ProcessBuilder(cmd)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        long progressAt = System.nanoTime();
        boolean started = false;
        while (true) {
            Optional<ProcessHandle> up = PidFile.running(files, name);
            if (follower.printNewLines(err, Daemon::isUpLine) > 0) {
                progressAt = System.nanoTime();
                started = true;
            }
            if (up.isPresent() && up.get().pid() == child.pid()) {
                follower.printNewLines(err, Daemon::isUpLine);
                out.println("platoon: " + name + " is up (pid " + child.pid() + ", log " + log + ")");
                return 0;
            }
            if (!child.isAlive()) {
                String last = lastError(log, name);
                follower.printNewLines(err, last::equals);
                clearAfter(files, name, err);
                err.println(last);
                return 1;
            }
            // Until its first line the child's JVM is starting, which a loaded machine makes slow.
            Duration allowed = !started && stall.compareTo(STALL_TIMEOUT) < 0 ? STALL_TIMEOUT : stall;
            long left = progressAt + allowed.toNanos() - System.nanoTime();
            if (left <= 0) {
                break;
            }
            // Every start-up millisecond counts: look at the pid file every POLL, and at once when the
            // child dies (waitFor returns then; its one-line error is in the log).
            try {
                child.waitFor(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        String at = follower.lastLine();
        err.println("platoon: " + name + ": no progress for " + stall.toSeconds() + " s"
                + (at == null ? "" : " (last: " + at + ")") + "; tearing it down");
        err.flush();
        child.destroy();
        try {
            if (!child.waitFor(TEARDOWN_GRACE.toSeconds(), TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
        follower.printNewLines(err, Daemon::isUpLine);
        clearAfter(files, name, err);
        err.println("platoon: " + name + " did not come up (no progress for " + stall.toSeconds()
                + " s); nothing of it is left; see " + log);
        return 1;
    }

    /** After the child is gone: whatever it could not remove itself (killed, crashed). */
    private static void clearAfter(InterfaceFiles files, String name, java.io.PrintWriter err) {
        PidFile.whileLocked(files, name, () -> Leftovers.clear(files, name, err));
    }

    /** The child's "is up" line: the parent prints its own, shorter one with the pid and the log. */
    private static boolean isUpLine(String line) {
        return line.startsWith("platoon: ") && line.contains(" is up: ");
    }

    private static String lastError(Path log, String name) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return "platoon: " + name + " failed to start; see " + log;
        }
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("platoon")) {
                return lines.get(i);
            }
        }
        return "platoon: " + name + " failed to start; see " + log;
    }
}
