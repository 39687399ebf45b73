package dev.platoon.core.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.platoon.testkit.NetNs;
import dev.platoon.testkit.Proc;
import dev.platoon.testkit.Wait;

/**
 * The client packages ({@code packaging/build.sh}, i.e. {@code ./platoon package}) run on a machine
 * without a JDK: the tarball unpacked and the .deb unpacked with {@code dpkg -x} (never installed on
 * this machine) run {@code --version}, {@code genkey} and {@code pubkey} with {@code PATH=/usr/bin:/bin}
 * (where {@code java} is an older JDK) and {@code JAVA_HOME=/nonexistent}; the tarball's platoon also
 * brings an interface up and down in a private network namespace, which loads JNA, the tun device and
 * Netty's epoll transport from the jlink runtime, and serves /metrics with the JVM's own metrics.
 * Building the packages takes 2–3 minutes on a busy 2-core machine, most of it jpackage's xz
 * compression of the .deb; the checks take ~30 s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PackagingIT {
    private static final Duration BUILD_TIMEOUT = Duration.ofMinutes(12);
    private static final Duration RUN_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9+/]{43}=");

    private final Path root = repoRoot();
    private Path temp;
    private Path tarball;
    private Path deb;
    private String version;

    @BeforeAll
    void buildPackages() throws IOException, InterruptedException {
        temp = Files.createTempDirectory("platoon-packaging-");
        Runtime.getRuntime().addShutdownHook(new Thread(this::removeTemp));
        Path jar = stableCopyOfTheJar();
        long start = System.nanoTime();
        Proc.Result r = Proc.run(BUILD_TIMEOUT, null, noJdkEnv("JAVA_HOME", System.getProperty("java.home")),
                root.resolve("packaging/build.sh").toString(), "--no-build", "--jar", jar.toString(),
                "--out", temp.resolve("out").toString());
        System.out.printf("PackagingIT: packaging/build.sh took %d s%n%s",
                Duration.ofNanos(System.nanoTime() - start).toSeconds(), r.stderr());
        r.orThrow();
        List<String> artifacts = r.out().lines().toList();
        assertEquals(2, artifacts.size(), "two artifacts on stdout:\n" + r.out());
        tarball = Path.of(artifacts.get(0));
        deb = Path.of(artifacts.get(1));
        // The build's version whole (0.1.0-SNAPSHOT), as --version prints it; Debian spells it 0.1.0~SNAPSHOT.
        Matcher m = Pattern.compile("platoon-(\\d+\\.\\d+\\.\\d+(?:-[A-Za-z0-9.]+)?)-linux-x64\\.tar\\.gz")
                .matcher(tarball.getFileName().toString());
        assertTrue(m.matches(), "tarball name: " + tarball);
        version = m.group(1);
        assertEquals("platoon_" + version.replace('-', '~') + "_amd64.deb", deb.getFileName().toString());
        assertTrue(Files.size(tarball) > 10_000_000 && Files.size(tarball) < 80_000_000, "tarball size " + Files.size(tarball));
    }

    /**
     * A copy of vpn-core's jar, so that a rebuild in the same tree cannot change it mid-way; when the jar
     * is missing or not whole (a concurrent build in the same tree), it polls until it is, with a deadline.
     */
    private Path stableCopyOfTheJar() throws IOException, InterruptedException {
        Path source = root.resolve("vpn-core/target/platoon.jar");
        Path copy = temp.resolve("platoon.jar");
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (true) {
            try {
                Files.copy(source, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                try (var zip = new java.util.zip.ZipFile(copy.toFile())) {
                    if (zip.getEntry("dev/platoon/core/cli/Main.class") != null) {
                        return copy;
                    }
                }
            } catch (java.nio.file.NoSuchFileException | java.util.zip.ZipException e) {
                // cleaned or mid-write by a concurrent build: try again below
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(source + " is not a whole platoon jar");
            }
            Thread.sleep(2000);
        }
    }

    @AfterAll
    void removeTemp() {
        if (temp != null) {
            Proc.Result rm = Proc.run(Duration.ofSeconds(30), null, noJdkEnv(), "rm", "-rf", "--one-file-system",
                    temp.toString());
            if (!rm.ok()) {
                System.err.println("PackagingIT: could not remove " + temp + ": " + rm.stderr());
            }
        }
    }

    @Test
    void theTarballRunsWithoutAJdk() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(temp.resolve("tar"));
        Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "tar", "-C", dir.toString(), "-xzf", tarball.toString()).orThrow();
        Path home = dir.resolve("platoon");
        assertTrue(Files.isRegularFile(home.resolve("lib/platoon@.service")), "the unit file is in the tarball, too");
        String readme = Files.readString(home.resolve("README.txt"));
        assertTrue(readme.contains("libssl3") && readme.contains("openssl-libs"), "README.txt names libcrypto's packages");
        assertKeyCommandsWork(home.resolve("bin/platoon"));
        assertMinimalRuntime(home.resolve("lib/runtime"));
    }

    @Test
    void theDebRunsWithoutAJdkAndShipsTheUnit() throws IOException, InterruptedException {
        String contents = Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "dpkg-deb", "-c", deb.toString()).orThrow().out();
        assertTrue(contents.contains(" ./lib/systemd/system/platoon@.service"), contents);
        assertTrue(contents.contains(" ./opt/platoon/bin/platoon"), contents);
        assertTrue(contents.contains(" ./usr/bin/platoon -> /opt/platoon/bin/platoon"), contents);
        String info = Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "dpkg-deb", "-I", deb.toString()).orThrow().out();
        assertTrue(info.contains("Package: platoon"), info);
        assertTrue(info.lines().anyMatch(l -> l.strip().equals("Version: " + version.replace('-', '~'))), info);
        // ip(8), and the native cipher engine's libcrypto under each name Debian and Ubuntu give its package.
        assertTrue(info.lines().anyMatch(l -> l.strip().startsWith("Depends:") && l.contains("iproute2")
                && l.contains("libssl3 | libssl3t64 | libssl1.1")), info);
        assertTrue(info.lines().anyMatch(l -> l.strip().startsWith("Recommends:") && l.contains("wireguard-tools")), info);
        for (String file : List.of(" ./usr/share/man/man8/platoon.8.gz", " ./usr/share/bash-completion/completions/platoon",
                " ./etc/logrotate.d/platoon")) {
            assertTrue(contents.contains(file), file + " missing:\n" + contents);
        }
        String conffiles = Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "dpkg-deb", "-I", deb.toString(), "conffiles")
                .orThrow().out();
        assertTrue(conffiles.lines().anyMatch("/etc/logrotate.d/platoon"::equals), "logrotate's file is a conffile: " + conffiles);

        Path scratch = Files.createDirectories(temp.resolve("deb"));
        Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "dpkg", "-x", deb.toString(), scratch.toString()).orThrow();
        assertKeyCommandsWork(scratch.resolve("opt/platoon/bin/platoon"));
        // The /usr/bin link is absolute (it points into the real /opt once installed): check its target only.
        assertEquals(Path.of("/opt/platoon/bin/platoon"), Files.readSymbolicLink(scratch.resolve("usr/bin/platoon")));

        String unit = Files.readString(scratch.resolve("lib/systemd/system/platoon@.service"));
        for (String line : List.of("ExecStart=/opt/platoon/bin/platoon up %i --foreground",
                "ExecReload=/bin/kill -HUP $MAINPID", "CapabilityBoundingSet=CAP_NET_ADMIN",
                "DeviceAllow=/dev/net/tun rw", "WantedBy=multi-user.target")) {
            assertTrue(unit.lines().anyMatch(line::equals), "unit has '" + line + "':\n" + unit);
        }
    }

    @Test
    void theTarballBringsAnInterfaceUpAndDownInANamespace() throws IOException, InterruptedException {
        Path dir = Files.createDirectories(temp.resolve("up"));
        Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "tar", "-C", dir.toString(), "-xzf", tarball.toString()).orThrow();
        Path platoon = dir.resolve("platoon/bin/platoon");
        String ifname = "ptpk" + Long.toHexString(System.nanoTime() & 0xffffff);
        Path conf = dir.resolve(ifname + ".conf");
        Files.writeString(conf, "[Interface]\nPrivateKey = " + genkey() + "\nAddress = 100.64.0.1/24\n"
                + "ListenPort = 51820\n\n[Peer]\nPublicKey = " + pubkey(genkey()) + "\nAllowedIPs = 100.64.0.2/32\n");
        Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-------"));
        var env = noJdkEnv("PLATOON_RUN_DIR", dir.resolve("run").toString(), "PLATOON_LOG_DIR", dir.resolve("log").toString());
        try (NetNs ns = NetNs.create("pk")) {
            try {
                // Detached, as a laptop user runs it: the parent starts the foreground child and waits for it.
                ns.run(RUN_TIMEOUT, env, platoon.toString(), "up", "--metrics", "127.0.0.1:9586", conf.toString())
                        .orThrow();
                String link = ns.exec("ip", "addr", "show", "dev", ifname);
                assertTrue(link.contains("inet 100.64.0.1/24") && link.contains(",UP,"), link);
                String show = ns.run(RUN_TIMEOUT, env, platoon.toString(), "show", ifname).orThrow().out();
                assertTrue(show.contains("listening port: 51820"), show);
                // The packaged runtime finds libcrypto and passes the --add-opens the JDK-stub engine needs: the
                // engine trial that follows "is up" times the native engine, and no engine is missing for want
                // of a flag or a library.
                Path logFile = dir.resolve("log").resolve(ifname + ".log");
                Pattern opensslTimed = Pattern.compile(
                        "ChaCha20-Poly1305 engine: .*the fastest verified.*openssl [0-9]+\\.[0-9]+ GB/s");
                Wait.within(RUN_TIMEOUT, () -> opensslTimed.matcher(Files.readString(logFile)).find());
                String log = Files.readString(logFile);
                assertTrue(log.contains("is up") && opensslTimed.matcher(log).find(), log);
                assertTrue(!log.contains("--add-opens") && !log.contains("no libcrypto"), log);
                // jdk.httpserver serves it; the JVM and process metrics need java.management and jdk.management
                // (Micrometer finds com.sun.management.OperatingSystemMXBean by reflection, which jdeps cannot see).
                String metrics = ns.run(RUN_TIMEOUT, env, "curl", "-sSf", "--max-time", "30", "--retry", "20",
                        "--retry-connrefused", "--retry-delay", "1", "http://127.0.0.1:9586/metrics").orThrow().out();
                for (String name : List.of("jvm_memory_used_bytes", "process_cpu_usage", "jvm_gc_")) {
                    assertTrue(metrics.contains(name), name + " missing from /metrics:\n" + metrics);
                }
                ns.run(RUN_TIMEOUT, env, platoon.toString(), "down", ifname).orThrow();
                String after = ns.exec("ip", "-o", "link");
                assertFalse(after.contains(ifname), after);
            } finally {
                stopLeftRunning(ifname, env);
            }
        }
    }

    /** Stops a platoon left running (by its pid file), before its namespace goes; quiet, idempotent. */
    private static void stopLeftRunning(String ifname, Map<String, String> env) {
        try {
            Path pidFile = Path.of(env.get("PLATOON_RUN_DIR"), ifname + ".pid");
            if (Files.isRegularFile(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(p -> {
                    p.destroy();
                    p.onExit().orTimeout(10, TimeUnit.SECONDS)
                            .exceptionally(t -> { p.destroyForcibly(); return p; }).join();
                });
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("PackagingIT: stopping platoon " + ifname + ": " + e);
        }
    }

    /** --version, genkey and pubkey (against Debian's wg) with no JDK 25 on PATH or in JAVA_HOME. */
    private void assertKeyCommandsWork(Path platoon) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(platoon), platoon + " is not executable");
        var env = noJdkEnv();
        String v = Proc.run(RUN_TIMEOUT, null, env, platoon.toString(), "--version").orThrow().out();
        assertEquals("platoon " + version, v.strip(), "--version names the packaged build");
        String key = Proc.run(RUN_TIMEOUT, null, env, platoon.toString(), "genkey").orThrow().out();
        assertTrue(KEY.matcher(key).matches(), "genkey printed '" + key + "'");
        String pub = Proc.run(RUN_TIMEOUT, key + "\n", env, platoon.toString(), "pubkey").orThrow().out();
        assertEquals(pubkey(key), pub, "platoon pubkey and wg pubkey disagree on " + platoon);
        assertStartUpCacheIsUsed(platoon);
    }

    /**
     * The package's start-up cache (packaging/aot-train.sh) serves this copy of the app, moved away from
     * where it was trained: platoon's own classes come from the cache ("shared objects file"), not the jar.
     * The JVM drops a cache that does not fit (another jar time, other options) without a word, so only a
     * class-load log shows it.
     */
    private void assertStartUpCacheIsUsed(Path platoon) throws IOException, InterruptedException {
        Path log = Files.createTempFile(temp, "class-load-", ".txt");
        var env = noJdkEnv("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info:file=" + log);
        Proc.run(RUN_TIMEOUT, null, env, platoon.toString(), "--version").orThrow();
        String main = Files.readAllLines(log).stream().filter(l -> l.contains(" dev.platoon.core.cli.Main "))
                .findFirst().orElse("(not loaded)");
        assertTrue(main.endsWith("source: shared objects file"), platoon + ": Main did not come from the start-up cache: " + main);
    }

    /** The runtime is a jlink image with platoon's modules, not a copy of a JDK. */
    private static void assertMinimalRuntime(Path runtime) throws IOException, InterruptedException {
        List<String> modules = Proc.run(RUN_TIMEOUT, null, noJdkEnv(), runtime.resolve("bin/java").toString(),
                "--list-modules").orThrow().out().lines().map(l -> l.replaceAll("@.*", "")).toList();
        for (String needed : List.of("java.base", "java.logging", "jdk.unsupported", "jdk.httpserver", "jdk.management")) {
            assertTrue(modules.contains(needed), needed + " missing: " + modules);
        }
        for (String unwanted : List.of("java.desktop", "jdk.compiler", "jdk.jlink")) {
            assertFalse(modules.contains(unwanted), unwanted + " linked in: " + modules);
        }
        assertFalse(Files.exists(runtime.resolve("bin/javac")));
        assertFalse(Files.exists(runtime.resolve("include")), "--no-header-files");
    }

    private static String genkey() throws IOException, InterruptedException {
        return Proc.run(RUN_TIMEOUT, null, noJdkEnv(), "wg", "genkey").orThrow().out();
    }

    private static String pubkey(String key) throws IOException, InterruptedException {
        return Proc.run(RUN_TIMEOUT, key + "\n", noJdkEnv(), "wg", "pubkey").orThrow().out();
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("packaging/build.sh")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("no packaging/build.sh above " + Path.of("").toAbsolutePath());
    }

    /**
     * An environment with no JDK 25 anywhere: PATH has only the system folders (where {@code java}, if
     * any, is an older JDK) and JAVA_HOME points nowhere; plus the given name/value pairs.
     */
    private static Map<String, String> noJdkEnv(String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        env.put("JAVA_HOME", "/nonexistent");
        env.put("LANG", "C.UTF-8");
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }
}
