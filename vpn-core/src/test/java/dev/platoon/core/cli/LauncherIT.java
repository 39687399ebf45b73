package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code ./platoon} launcher on a machine without a JDK 25: it must stop with exit code 1 and one
 * line that says what is missing, not a Java 17 stack trace or a build attempt.
 */
class LauncherIT {

    /** The repository root: the first folder upwards from the working directory with the launcher. */
    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("platoon")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no ./platoon above " + Path.of("").toAbsolutePath());
    }

    // Only commands that are harmless if the launcher did find a JDK (no "test", no "build").
    @ParameterizedTest
    @ValueSource(strings = {"genkey", "--version"})
    void withoutJdk25ItFailsWithOneLine(String command) throws IOException, InterruptedException {
        Path launcher = repoRoot().resolve("platoon");
        assertTrue(Files.isExecutable(launcher), launcher + " is not executable");
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), command);
        Map<String, String> env = pb.environment();
        env.clear();
        env.put("JAVA_HOME", "/nonexistent");
        env.put("PATH", "/usr/bin:/bin"); // /usr/bin/java, if any, is an older JDK here
        env.put("PLATOON_JDK_DIRS", "/nonexistent");
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("./platoon " + command + " did not finish in 60 s");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(1, p.exitValue(), "stdout: " + stdout + "\nstderr: " + stderr);
            List<String> lines = stderr.lines().toList();
            assertEquals(1, lines.size(), "exactly one line on stderr:\n" + stderr);
            assertTrue(lines.getFirst().contains("JDK 25"), lines.getFirst());
            assertTrue(lines.getFirst().startsWith("platoon: "), lines.getFirst());
            assertEquals("", stdout);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
