package dev.platoon.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The two wireguard-go builds the interop tests run against: Debian's 0.0.20220316 (no offloads) and the
 * modern upstream release (TUN TSO/USO, UDP GSO/GRO), which {@code ./platoon test} passes as the system
 * property {@value #PROPERTY} when the machine has it (CI does, from ../shared/peers/).
 */
public enum WireguardGoBinary {
    DEBIAN("wireguard-go 0.0.20220316 (Debian)"),
    UPSTREAM("wireguard-go 0.0.20250522 (upstream)");

    public static final String PROPERTY = "platoon.test.wireguardGo";

    public final String label;

    WireguardGoBinary(String label) {
        this.label = label;
    }

    /** The binary; the upstream one aborts the test (skipped, with the reason) when it was not given. */
    public Path path() {
        if (this == DEBIAN) {
            return Path.of("/usr/bin/wireguard-go");
        }
        String p = System.getProperty(PROPERTY, "");
        Assumptions.assumeFalse(p.isBlank(), "no upstream wireguard-go given (-D" + PROPERTY
                + "=PATH; ./platoon test passes ../shared/peers/wireguard-go-0.0.20250522 when it exists)");
        Path path = Path.of(p);
        Assertions.assertTrue(Files.isExecutable(path), PROPERTY + "=" + p + " is not an executable file");
        return path;
    }
}
