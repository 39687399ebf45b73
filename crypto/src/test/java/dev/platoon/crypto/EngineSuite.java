package dev.platoon.crypto;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The engines every crypto test runs on: all of them, except those a test JVM is set up not to have
 * ({@code -Dplatoon.test.engines.absent=jdk-stubs} in the execution without the --add-opens). An
 * engine that is missing without being declared absent fails the tests that use it.
 */
final class EngineSuite {
    private EngineSuite() {
    }

    /** The kinds this JVM must have. */
    static List<AeadEngines.Kind> engines() {
        return Arrays.stream(AeadEngines.Kind.values()).filter(k -> !absent().contains(k.label())).toList();
    }

    /** The labels declared absent for this JVM. */
    static Set<String> absent() {
        String p = System.getProperty("platoon.test.engines.absent", "");
        return Arrays.stream(p.split(",")).map(String::trim).filter(x -> !x.isEmpty()).collect(Collectors.toSet());
    }
}
