package dev.platoon.core.device;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The host's tools as wg-quick uses them: {@code ip}, {@code resolvconf}, {@code /proc/sys}. What
 * changes the host is announced like wg-quick does ({@code [#] ip -4 rule add ...} on stderr); queries
 * are silent. Every failure is one line: the command and its reason. Tests replace it with a recorder.
 */
interface Host {
    /** Runs a command that changes the host, announced first; {@code stdin} may be null. */
    String run(List<String> argv, String stdin) throws DeviceException;

    /**
     * Runs {@code ip} commands (each a full argv: {@code ip -4 route add ...}) as one {@code ip -batch -}
     * process, each announced as if run alone: thousands of routes cost one process, not thousands. It
     * stops at the first failure, which is one line naming that command; those before it stay made.
     */
    void ipBatch(List<List<String>> commands) throws DeviceException;

    /** Runs a read-only command, silently. */
    String query(List<String> argv) throws DeviceException;

    /** Writes {@code /proc/sys/KEY} (dots for slashes), announced as {@code sysctl -q KEY=VALUE}. */
    void sysctl(String key, String value) throws DeviceException;

    /** Whether an executable of this name is in a PATH directory. */
    boolean onPath(String program);

    /** The lines of a file, or none when it is missing or unreadable. */
    List<String> readLines(Path file);

    /** One line for the log. */
    void log(String line);

    /** The real host: child processes and files, announcements to stderr. */
    static Host system() {
        return new SystemHost(System.err);
    }

    /** Runs commands as child processes (in the caller's network namespace), bounded in time. */
    final class SystemHost implements Host {
        private static final long TIMEOUT_SECONDS = 10;
        private final PrintStream log;

        SystemHost(PrintStream log) {
            this.log = log;
        }

        @Override
        public String run(List<String> argv, String stdin) throws DeviceException {
            log("[#] " + String.join(" ", argv));
            return exec(argv, stdin, TIMEOUT_SECONDS);
        }

        @Override
        public void ipBatch(List<List<String>> commands) throws DeviceException {
            if (commands.isEmpty()) {
                return;
            }
            StringBuilder script = new StringBuilder();
            for (List<String> argv : commands) {
                log("[#] " + String.join(" ", argv));
                script.append(String.join(" ", IpBatch.line(argv))).append('\n');
            }
            List<String> batch = List.of("ip", "-batch", "-");
            // One netlink request a line: 0.4 s for 10,000 routes on a loaded 2-vCPU machine; 1 ms a line is
            // ample, and the 10 s floor covers the process start.
            long seconds = TIMEOUT_SECONDS + commands.size() / 1000;
            Output out = execRaw(batch, script.toString(), seconds);
            if (out.exit() != 0) {
                throw new DeviceException(IpBatch.failure(commands, out.text()));
            }
        }

        @Override
        public String query(List<String> argv) throws DeviceException {
            return exec(argv, null, TIMEOUT_SECONDS);
        }

        @Override
        public void sysctl(String key, String value) throws DeviceException {
            log("[#] sysctl -q " + key + "=" + value);
            Path file = Path.of("/proc/sys", key.replace('.', '/'));
            try {
                Files.writeString(file, value + "\n");
            } catch (IOException e) {
                throw new DeviceException("sysctl " + key + "=" + value + ": cannot write " + file + ": "
                        + Device.oneLine(e), e);
            }
        }

        @Override
        public boolean onPath(String program) {
            String path = System.getenv("PATH");
            if (path == null) {
                return false;
            }
            for (String dir : path.split(":")) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public List<String> readLines(Path file) {
            try {
                return Files.readAllLines(file);
            } catch (IOException e) {
                return List.of();
            }
        }

        @Override
        public void log(String line) {
            log.println(line);
            log.flush();
        }

        private static String exec(List<String> argv, String stdin, long timeoutSeconds) throws DeviceException {
            Output out = execRaw(argv, stdin, timeoutSeconds);
            if (out.exit() != 0) {
                throw new DeviceException(String.join(" ", argv) + ": "
                        + out.text().strip().lines().findFirst().orElse("exit status " + out.exit()));
            }
            return out.text();
        }

        /**
         * A command may stop reading before the end of its input (ip -batch stops at its first failing
         * line): the broken pipe is not the failure, its exit status and output say what was.
         */
        private static void writeInput(Process p, String stdin) {
            try (OutputStream out = p.getOutputStream()) {
                if (stdin != null) {
                    out.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException stoppedReading) {
                // reported by the exit status
            }
        }

        private record Output(int exit, String text) {
        }

        /** The exit status and output of a command that ran to its end within the time. */
        private static Output execRaw(List<String> argv, String stdin, long timeoutSeconds) throws DeviceException {
            String line = String.join(" ", argv);
            Process p;
            try {
                p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            } catch (IOException e) {
                throw new DeviceException(line + ": cannot run " + argv.getFirst() + ": " + Device.oneLine(e), e);
            }
            // Input and output each on a thread of their own, so a command that hangs cannot outlast the timeout.
            Thread.ofVirtual().start(() -> writeInput(p, stdin));
            java.util.concurrent.CompletableFuture<String> output = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try (InputStream in = p.getInputStream()) {
                    output.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.complete("");
                }
            });
            try {
                if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new DeviceException(line + ": did not finish in " + timeoutSeconds + " s");
                }
                return new Output(p.exitValue(), output.get(timeoutSeconds, TimeUnit.SECONDS));
            } catch (java.util.concurrent.ExecutionException
                    | java.util.concurrent.TimeoutException e) {
                p.destroyForcibly();
                throw new DeviceException(line + ": " + Device.oneLine(e), e);
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new DeviceException(line + ": interrupted", e);
            }
        }
    }
}
