package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.platoon.core.launch.JavaCommand;

/**
 * {@link JavaCommand}: the child gets this JVM's flags, read from the command line (the RuntimeMXBean
 * would load java.management at start-up); here both sources must give the same flags.
 */
class JavaCommandTest {

    static List<String> flags(String javaCommand, String... argv) {
        return JavaCommand.launcherFlags(argv, javaCommand);
    }

    @Test
    void flagsBeforeMinusJar() {
        assertEquals(List.of("-Xmx96m", "--enable-native-access=ALL-UNNAMED", "--add-opens",
                        "java.base/sun.security.util.math=ALL-UNNAMED"),
                flags("/opt/p/platoon.jar up --foreground wg0.conf", "-Xmx96m", "--enable-native-access=ALL-UNNAMED",
                        "--add-opens", "java.base/sun.security.util.math=ALL-UNNAMED",
                        "-jar", "/opt/p/platoon.jar", "up", "--foreground", "wg0.conf"));
    }

    @Test
    void flagsBeforeAMainClassWithoutTheClassPath() {
        assertEquals(List.of("-Dx=1", "--enable-native-access", "ALL-UNNAMED", "-XX:+UseSerialGC"),
                flags("dev.platoon.core.cli.Main up -x wg0", "-cp", "a.jar:b.jar", "-Dx=1",
                        "--enable-native-access", "ALL-UNNAMED", "-classpath", "c.jar", "--class-path=d.jar",
                        "--class-path", "e.jar", "-XX:+UseSerialGC", "dev.platoon.core.cli.Main", "up", "-x", "wg0"));
        assertEquals(List.of(), flags("Main", "Main"), "no flags at all");
    }

    @Test
    void unsureMeansNull() {
        // jpackage's launcher: its flags come from its .cfg file, its command line has only the arguments
        assertNull(flags("dev.platoon.core.cli.Main up wg0", "up", "wg0"));
        assertNull(flags("Main", "@flags.txt", "Main"), "an argument file hides flags");
        assertNull(flags("Main up", "-Xmx1m", "Main", "down"), "sun.java.command disagrees");
        assertNull(flags("mod/cls", "-m", "mod/cls"));
        assertNull(flags("mod/cls", "--module=mod/cls"));
        assertNull(flags("x", "-Xmx1m"), "no main class");
        assertNull(flags("x", "-Xmx1m", "-jar"), "-jar without its file");
    }

    /** In this JVM (surefire started it with the java launcher): the command line gives what the MXBean does. */
    @Test
    void thisJvmsFlagsAreTheMxBeansFlags() {
        List<String> expected = new ArrayList<>();
        List<String> fromEnvironment = environmentFlags();
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!flag.startsWith("-agentlib") && !flag.startsWith("-javaagent") && !flag.startsWith("-Xrunjdwp")
                    && !fromEnvironment.remove(flag)) {
                expected.add(flag);
            }
        }
        String[] argv = ProcessHandle.current().info().arguments().orElseThrow();
        assertNotNull(JavaCommand.launcherFlags(argv, System.getProperty("sun.java.command")),
                "this JVM's command line is understood: " + Arrays.toString(argv));
        List<String> cmd = JavaCommand.platoon(List.of("show", "wg0"));
        int cp = cmd.indexOf("-cp");
        List<String> got = new ArrayList<>(cmd.subList(1, cp));
        if (!expected.stream().anyMatch(f -> f.startsWith("--enable-native-access"))) {
            expected.add("--enable-native-access=ALL-UNNAMED");
        }
        assertEquals(expected, got, "launcher flags " + Arrays.toString(argv));
        assertEquals(List.of("-cp", System.getProperty("java.class.path"), "dev.platoon.core.cli.Main", "show", "wg0"),
                cmd.subList(cp, cmd.size()));
    }

    /** JDK_JAVA_OPTIONS: the MXBean lists them, the command line does not (the child reads them itself). */
    private static List<String> environmentFlags() {
        String env = System.getenv("JDK_JAVA_OPTIONS");
        return env == null || env.isBlank() ? new ArrayList<>() : new ArrayList<>(List.of(env.strip().split("\\s+")));
    }

    /** The launcher's rule: NAME.aot beside NAME.jar, newer than it, trained by this Java. */
    @Test
    void startUpCacheFitsOnlyWhenNewerAndOfThisJava(@TempDir Path dir) throws IOException {
        Path jar = Files.writeString(dir.resolve("platoon.jar"), "jar");
        Path cache = dir.resolve("platoon.aot");
        Path trainedBy = dir.resolve("platoon.aot.java");
        assertEquals(Optional.empty(), JavaCommand.startUpCache(jar), "no cache");
        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(cache, FileTime.fromMillis(2_000_000));
        assertEquals(Optional.empty(), JavaCommand.startUpCache(jar), "no record of its Java");
        Files.writeString(trainedBy, dir + "\n");
        assertEquals(Optional.empty(), JavaCommand.startUpCache(jar), "another Java");
        Files.writeString(trainedBy, System.getProperty("java.home") + "\n");
        assertEquals(Optional.of(cache), JavaCommand.startUpCache(jar));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(3_000_000));
        assertEquals(Optional.empty(), JavaCommand.startUpCache(jar), "older than the jar");
    }

    /** With platoon.jar set, the child runs that jar, its cache right before -cp. */
    @Test
    void theJarPropertyRunsThatJarWithItsCache(@TempDir Path dir) throws IOException {
        Path jar = Files.writeString(dir.resolve("platoon.jar"), "jar");
        Path cache = Files.writeString(dir.resolve("platoon.aot"), "cache");
        Files.writeString(dir.resolve("platoon.aot.java"), System.getProperty("java.home"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_000_000));
        System.setProperty(JavaCommand.JAR_PROPERTY, jar.toString());
        try {
            List<String> cmd = JavaCommand.platoon(List.of("show"));
            int cp = cmd.indexOf("-cp");
            assertEquals(List.of("-XX:AOTCache=" + cache, "-cp", jar.toString(), "dev.platoon.core.cli.Main", "show"),
                    cmd.subList(cp - 1, cmd.size()));
            Files.delete(cache);
            cmd = JavaCommand.platoon(List.of("show"));
            assertTrue(cmd.stream().noneMatch(a -> a.startsWith("-XX:AOTCache")), cmd.toString());
        } finally {
            System.clearProperty(JavaCommand.JAR_PROPERTY);
        }
    }
}
