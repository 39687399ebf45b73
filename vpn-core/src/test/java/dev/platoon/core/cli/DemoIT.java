package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.platoon.core.demo.Shell;

/**
 * {@code ./platoon demo} as the first command on a fresh machine: a clean environment whose PATH has
 * every tool of this one except ping and iperf3. The demo must say so, ping with its own ICMP echo, run
 * its built-in transfer, succeed, and leave no namespace behind; in tun mode and in tap mode.
 */
class DemoIT {
    private static final Set<String> MISSING = Set.of("ping", "ping4", "ping6", "iperf3");
    private static final long DEMO_SECONDS = 180;

    @Test
    void demoRunsWithoutPingOrIperf3() throws IOException, InterruptedException {
        String output = runDemo("demo", "--seconds", "1");
        assertTrue(output.contains("ping is not installed"), output);
        assertTrue(output.contains("iperf3 is not installed"), output);
        assertTrue(output.contains("IPv4 ping answered"), output);
        assertTrue(output.contains("[3/4] IPv6 ping answered"), output);
        assertTrue(output.contains("received: bytes="), output);
        assertTrue(output.contains("platoon demo: done"), output);
    }

    /**
     * {@code demo --tap}: the VM behind the bridge resolves the far side to platoon's MAC, pings it and
     * moves the built-in transfer both ways, each arriving whole (the same SHA-256 sent and received),
     * with trains read from and written into the tap.
     */
    @Test
    void tapDemoRunsWithoutPingOrIperf3() throws IOException, InterruptedException {
        String output = runDemo("demo", "--tap", "--seconds", "1");
        assertTrue(output.contains("[2/5] handshake done and IPv4 ping answered"), output);
        assertTrue(output.contains("[3/5] IPv6 ping answered"), output);
        assertTrue(output.contains("[4/5] the VM resolved 100.64.0.2 (ARP) and fd00:64::2 (ND)"), output);
        List<String> sent = values(output, "sent:     bytes=", "sha256=");
        List<String> received = values(output, "received: bytes=", "sha256=");
        assertEquals(2, sent.size(), output);
        assertEquals(sent, received, output);
        Matcher tap = Pattern.compile("tap: mac \\S+, neighbours 1 IPv4, 1 IPv6").matcher(output);
        assertTrue(tap.find(), output);
        Matcher trains = Pattern.compile("segments per frame: ([0-9.]+)").matcher(output);
        assertTrue(trains.find() && Double.parseDouble(trains.group(1)) > 1, "trains read from the tap:\n" + output);
        Matcher written = Pattern.compile("coalesced trains: (\\d+)").matcher(output);
        assertTrue(written.find() && Long.parseLong(written.group(1)) > 0, "trains written into the tap:\n" + output);
        assertTrue(output.contains("platoon demo: done"), output);
    }

    /** The values after {@code key} on the lines holding {@code marker}, in order. */
    private static List<String> values(String output, String marker, String key) {
        return output.lines().filter(l -> l.contains(marker))
                .map(l -> l.substring(l.indexOf(key) + key.length()).strip()).toList();
    }

    /** Runs ./platoon with {@code args} on the PATH without ping and iperf3; its output, after exit 0. */
    private static String runDemo(String... args) throws IOException, InterruptedException {
        Path bin = Files.createTempDirectory("demo-path");
        Path out = Files.createTempFile("demo", ".out");
        Process p = null;
        try {
            int linked = linkToolsExcept(bin);
            assertTrue(linked > 50, "only " + linked + " tools found for the PATH");
            assertFalse(Shell.run(java.time.Duration.ofSeconds(5), "env", "PATH=" + bin, "sh", "-c",
                    "command -v ping").ok(), "ping is still on the test PATH");
            List<String> command = new ArrayList<>(List.of(LauncherIT.repoRoot().resolve("platoon").toString()));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command);
            Map<String, String> env = pb.environment();
            env.clear();
            env.put("PATH", bin.toString());
            env.put("HOME", "/root");
            env.put("JAVA_HOME", System.getProperty("java.home"));
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.redirectErrorStream(true).redirectOutput(out.toFile());
            p = pb.start();
            if (!p.waitFor(DEMO_SECONDS, TimeUnit.SECONDS)) {
                fail("./platoon " + String.join(" ", args) + " did not finish in " + DEMO_SECONDS + " s:\n"
                        + Files.readString(out));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), output);
            String namespaces = Shell.run(java.time.Duration.ofSeconds(5), "ip", "netns", "list").stdout();
            assertFalse(namespaces.contains("platoon-demo"), "left behind:\n" + namespaces);
            return output;
        } finally {
            if (p != null && p.isAlive()) {
                p.destroy(); // SIGTERM: the demo's shutdown hook removes its namespaces
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            try (var links = Files.list(bin)) {
                for (Path link : links.toList()) {
                    Files.delete(link);
                }
            }
            Files.delete(bin);
            Files.deleteIfExists(out);
        }
    }

    /** Links every program of the usual PATH folders into {@code bin}, except {@link #MISSING}. */
    private static int linkToolsExcept(Path bin) throws IOException {
        int n = 0;
        for (String dir : new String[] {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"}) {
            Path d = Path.of(dir);
            if (!Files.isDirectory(d)) {
                continue;
            }
            try (var files = Files.list(d)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    Path link = bin.resolve(name);
                    if (MISSING.contains(name) || Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            || !Files.isExecutable(f) || Files.isDirectory(f)) {
                        continue;
                    }
                    Files.createSymbolicLink(link, f);
                    n++;
                }
            }
        }
        return n;
    }
}
