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

import dev.platoon.core.demo.JavaCommand;

/**
 * Detaching {@code platoon up}: Java cannot fork, so the parent starts the same program again with
 * {@code --foreground} in a new session (setsid), logging to the interface's log file, and returns once
 * the child has written its pid file (the interface is up) — or prints the child's one-line error.
 */
final class Daemon {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** How often the parent looks for the child's pid file: a stat, cheap next to a JVM start. */
    private static final Duration POLL = Duration.ofMillis(10);

    private Daemon() {
    }

    /** The pid in an interface's pid file, if that process is still alive. */
    static Optional<ProcessHandle> running(InterfaceFiles files, String name) {
        Path pidFile = files.pidFile(name);
        try {
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
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

    static void writePidFile(InterfaceFiles files, String name) throws IOException {
        createPrivateDir(files.runDir());
        Path tmp = files.runDir().resolve(name + ".pid.tmp");
        Files.writeString(tmp, ProcessHandle.current().pid() + "\n");
        Files.move(tmp, files.pidFile(name), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static void createPrivateDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Starts the foreground child and waits until it is up; returns the exit code for the parent. */
    static int detach(InterfaceFiles files, String name, Path config, List<String> extraArgs,
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
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            Optional<ProcessHandle> up = running(files, name);
            follower.printNewLines(err, Daemon::isUpLine);
            if (up.isPresent() && up.get().pid() == child.pid()) {
                follower.printNewLines(err, Daemon::isUpLine);
                out.println("platoon: " + name + " is up (pid " + child.pid() + ", log " + log + ")");
                return 0;
            }
            if (!child.isAlive()) {
                String last = lastError(log, name);
                follower.printNewLines(err, last::equals);
                err.println(last);
                return 1;
            }
            long left = deadline - System.nanoTime();
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
        child.destroy();
        err.println("platoon: " + name + " did not come up within " + READY_TIMEOUT.toSeconds() + " s; see " + log);
        return 1;
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
