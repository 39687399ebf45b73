package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;

/**
 * {@code platoon up} refuses what it cannot do with one line and exit 1, and leaves nothing behind:
 * a UDP port another interface holds (SO_REUSEPORT would otherwise let both share it), a bad
 * configuration line (named file:line).
 */
class UpErrorsIT {

    @Test
    void portInUseAndBadConfigFailInOneLineAndLeaveNoInterface() throws Exception {
        try (TunnelBed bed = TunnelBed.create("pt-err")) {
            E2e.startPlatoon(bed, bed.a, true, List.of());
            // A second interface in the same namespace on the same port.
            Path second = bed.workDir().resolve("ptz" + bed.a.ifname.substring(3) + ".conf");
            Files.writeString(second, Files.readString(bed.a.config));
            Files.setPosixFilePermissions(second, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Shell.Result r = up(bed, second);
            assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
            List<String> lines = r.stderr().strip().lines().toList();
            assertEquals(1, lines.size(), "one line: " + r.stderr());
            assertTrue(lines.get(0).contains("UDP port 51820 is already in use"), lines.get(0));
            assertFalse(links(bed).contains(second.getFileName().toString().replace(".conf", "")),
                    "no half-made interface: " + links(bed));

            Path bad = bed.workDir().resolve("ptbad.conf");
            Files.write(bad, List.of("[Interface]", "PrivateKey = " + dev.platoon.crypto.Keys.toBase64(
                    bed.a.privateKey), "ListenPort = 51821", "", "[Peer]", "PublicKey = nope",
                    "AllowedIPs = 100.64.0.9/32"));
            Files.setPosixFilePermissions(bad, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            Shell.Result b = up(bed, bad);
            assertEquals(1, b.exitCode());
            assertEquals(1, b.stderr().strip().lines().count(), b.stderr());
            assertTrue(b.stderr().contains("ptbad.conf:6:"), "names file:line: " + b.stderr());
            assertFalse(links(bed).contains("ptbad"));
            // The first interface is untouched.
            E2e.status(bed.a);
        }
    }

    private static Shell.Result up(TunnelBed bed, Path config) {
        return bed.net.exec(bed.a.namespace, Duration.ofSeconds(60),
                JavaCommand.platoon(List.of("up", "--foreground", config.toString())).toArray(String[]::new));
    }

    private static String links(TunnelBed bed) {
        return bed.net.exec(bed.a.namespace, Duration.ofSeconds(10), "ip", "-o", "link").stdout();
    }
}
