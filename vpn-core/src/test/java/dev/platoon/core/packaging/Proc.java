package dev.platoon.core.packaging;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a command with a clean environment and a deadline, output captured in files (no pipe deadlocks). */
final class Proc {
    private Proc() {
    }

    record Result(List<String> command, int exit, String out, String err) {
        Result assertOk(String what) {
            if (exit != 0) {
                fail(what + " exited " + exit + ": " + String.join(" ", command) + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    /**
     * An environment with no JDK 25 anywhere: PATH has only the system folders (where {@code java}, if
     * any, is an older JDK) and JAVA_HOME points nowhere; plus the given name/value pairs.
     */
    static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("JAVA_HOME", "/nonexistent");
        env.put("LANG", "C.UTF-8");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    static Result run(Duration timeout, String stdin, Map<String, String> env, String... command)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        Path out = Files.createTempFile("platoon-proc", ".out");
        Path err = Files.createTempFile("platoon-proc", ".err");
        Path in = Files.createTempFile("platoon-proc", ".in");
        try {
            Files.writeString(in, stdin == null ? "" : stdin);
            Process p = pb.redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds() + " s\nstderr: "
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new Result(List.of(command), p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            Files.deleteIfExists(in);
        }
    }
}
