package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.Shell;

/**
 * Errors as wg and wg-quick give them: show and down by a user who cannot see root's run folder say
 * "permission denied" (not "is not up"); a file with several errors lists each with its file:line;
 * {@code genkey > file} under umask 022 warns like {@code wg genkey}. Runs the built jar.
 */
class CliErrorsIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final String KEY = "yAnz5TF+lXXJte14tji3zlMNq+hd2rYUIgJBgB3fBmk=";

    @Test
    void showAndDownAsNonRootArePermissionDenied() throws Exception {
        Path run = Files.createTempDirectory("platoon-run", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            for (String command : List.of("show", "down")) {
                List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups", "--", "env", "PLATOON_RUN_DIR=" + run));
                argv.addAll(jar(command, "wg0"));
                Shell.Result r = Shell.run(T, argv);
                assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
                assertEquals("platoon: " + run + ": permission denied (platoon " + command + " needs root)",
                        r.stderr().strip());
            }
        } finally {
            Files.delete(run);
        }
    }

    @Test
    void everyConfigErrorIsListedWithItsLine() throws Exception {
        Path dir = Files.createTempDirectory("platoon-conf");
        Path conf = dir.resolve("wg9.conf");
        try {
            Files.write(conf, List.of("[Interface]", "PrivateKey = " + KEY, "ListenPort = 99999", "MTU = 10",
                    "", "[Peer]", "PublicKey = nope", "AllowedIPs = 10.0.0.0/33"));
            Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
            Shell.Result r = Shell.run(T, jar("up", "--foreground", conf.toString()));
            assertEquals(1, r.exitCode(), r.stderr());
            List<String> lines = r.stderr().strip().lines().toList();
            assertEquals(4, lines.size(), r.stderr());
            for (int i = 0; i < lines.size(); i++) {
                String at = "platoon: " + conf + ":" + List.of(3, 4, 7, 8).get(i) + ": ";
                assertTrue(lines.get(i).startsWith(at), lines.get(i) + " should start with " + at);
            }
        } finally {
            Files.deleteIfExists(conf);
            Files.delete(dir);
        }
    }

    @Test
    void genkeyIntoAWorldReadableFileWarnsLikeWg() throws Exception {
        Path dir = Files.createTempDirectory("platoon-key");
        try {
            for (String umask : List.of("022", "077")) {
                Path key = dir.resolve("key" + umask);
                Shell.Result r = Shell.run(T, "sh", "-c", "umask " + umask + " && exec "
                        + String.join(" ", jar("genkey")) + " > " + key);
                assertEquals(0, r.exitCode(), r.stderr());
                assertEquals(44, Files.readString(key).strip().length());
                String expected = umask.equals("022")
                        ? "Warning: writing to world accessible file.\nConsider setting the umask to 077 and trying again." : "";
                assertEquals(expected, r.stderr().strip(), "umask " + umask);
                Files.delete(key);
            }
        } finally {
            Files.delete(dir);
        }
    }

    /** {@code java -jar platoon.jar ARGS} with the build's jar and this JVM. */
    private static List<String> jar(String... args) {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", LauncherIT.repoRoot().resolve("vpn-core/target/platoon.jar").toString()));
        argv.addAll(List.of(args));
        return argv;
    }
}
