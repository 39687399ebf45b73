package dev.platoon.core.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.Shell;

/**
 * The unit file {@code packaging/systemd/platoon@.service} as Debian's systemd-analyze reads it (no
 * systemd runs): {@code verify} finds nothing to say (a misspelt key would be named), and
 * {@code security} rates its exposure 3.0 or lower, while it keeps what platoon needs.
 */
class SystemdUnitIT {
    private static final double MAX_EXPOSURE = 3.0;
    private static final Pattern EXPOSURE = Pattern.compile("Overall exposure level for \\S+: (\\d+\\.\\d)");

    @Test
    void verifiesCleanAndIsHardened() throws Exception {
        Path unit = repoRoot().resolve("packaging/systemd/platoon@.service");
        String text = Files.readString(unit);
        for (String needed : List.of("Type=notify", "SuccessExitStatus=143", "CapabilityBoundingSet=CAP_NET_ADMIN",
                "AmbientCapabilities=CAP_NET_ADMIN", "DeviceAllow=/dev/net/tun rw", "ExecReload=/bin/kill -HUP $MAINPID")) {
            assertTrue(text.lines().anyMatch(l -> l.equals(needed)), unit + " lacks " + needed);
        }
        Path dir = Files.createTempDirectory("unit", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        try {
            // verify checks that ExecStart= is executable: a stand-in for the installed launcher.
            Path launcher = dir.resolve("platoon");
            Files.writeString(launcher, "#!/bin/sh\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
            Path instance = dir.resolve("platoon@wg0.service");
            Files.writeString(instance, text.replace("/opt/platoon/bin/platoon", launcher.toString()));

            Shell.Result verify = Shell.run(Duration.ofSeconds(60), "systemd-analyze", "verify", "--man=no",
                    instance.toString());
            assertEquals(0, verify.exitCode(), verify.stdout() + verify.stderr());
            assertEquals("", (verify.stdout() + verify.stderr()).strip(), "systemd-analyze verify has remarks");

            Shell.Result security = Shell.run(Duration.ofSeconds(60), "systemd-analyze", "security",
                    "--offline=true", "--no-pager", instance.toString());
            Matcher m = EXPOSURE.matcher(security.stdout());
            assertTrue(m.find(), security.stdout() + security.stderr());
            double exposure = Double.parseDouble(m.group(1));
            assertTrue(exposure <= MAX_EXPOSURE, "exposure " + exposure + ":\n" + security.stdout());
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(dir);
        }
    }

    static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("packaging/systemd/platoon@.service"))) {
                return p;
            }
        }
        throw new IllegalStateException("no packaging/ above " + Path.of("").toAbsolutePath());
    }
}
