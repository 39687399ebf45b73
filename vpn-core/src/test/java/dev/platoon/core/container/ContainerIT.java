package dev.platoon.core.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.platoon.crypto.Keys;
import dev.platoon.testkit.Proc;

/**
 * The server image (docker/Dockerfile) end to end with podman and no registry: a local Debian + jlink
 * base ({@link TestBaseImage}), the image built with {@code BASE=} that base and {@code JAR_FROM=package}
 * (the client package's jlink runtime and start-up cache, {@link ImageContext}; the server's JVM must map
 * that cache),
 * two containers with only {@code --cap-add NET_ADMIN --device /dev/net/tun} on a podman bridge of their
 * own, health, pings through the tunnel both ways and, through the first container's forwarding and
 * masquerade ({@code PLATOON_NAT=1}), to a third container that only the first can reach; then
 * {@code podman stop} (SIGTERM through tini) and a clean teardown. Everything it makes but the cached base is removed afterwards, also after a failure.
 *
 * <p>The outer network is 198.51.100.0/24 (TEST-NET-2), not the team's usual 192.0.2.0/24: the host's own
 * uplink sits in 192.0.2.0/24 on this kind of machine and podman refuses a subnet the host already uses.
 * The bridge is {@code --internal}: no gateway, no NAT, only container-to-container traffic.
 */
@Timeout(value = 25, unit = TimeUnit.MINUTES)
class ContainerIT {
    private static final Duration BUILD = Duration.ofMinutes(5);
    private static final Duration SHORT = Duration.ofSeconds(60);
    private static final Duration HEALTHY = Duration.ofSeconds(90);
    private static final Duration FIRST_PING = Duration.ofSeconds(30);
    private static final int STOP_SECONDS = 30;
    private static final int METRICS_PORT = 9586;
    private static final String SUBNET_PREFIX = "198.51.100.";
    /** Debian packages the test needs: podman runs containers only with runc and iptables here; the package, fakeroot. */
    private static final List<String> PACKAGES = List.of("podman", "runc", "iptables", "debootstrap", "fakeroot");
    private static final String TORN_DOWN = "teardown: wg0 is gone";

    @Test
    void twoContainersTunnelPingAndTearDownOnSigterm() throws Exception {
        String id = "pt-" + HexFormat.of().formatHex(SecureRandom.getSeed(3));
        Path work = Files.createTempDirectory("platoon-container-");
        Podman podman = Podman.withConfigIn(work);
        installMissingPackages(podman);
        Made made = new Made(podman, id);
        Thread hook = new Thread(made::remove, "container-it-cleanup");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            long t0 = System.nanoTime();
            String base = TestBaseImage.ensure(podman, work);
            long tBase = System.nanoTime();

            Set<String> before = imageIds(podman);
            Path context = ImageContext.make(podman, work);
            podman.podman(BUILD, "build", "--format", "docker", "--network", "none",
                    "--build-arg", "BASE=" + base, "--build-arg", "JAR_FROM=package",
                    "-f", "docker/Dockerfile", "-t", made.image, context.toString()).orThrow();
            made.intermediates.addAll(imageIds(podman));
            made.intermediates.removeAll(before);
            long tBuild = System.nanoTime();

            podman.podman(SHORT, "network", "create", "--driver", "bridge", "--internal", "--disable-dns",
                    "--subnet", SUBNET_PREFIX + "0/24", "--gateway", SUBNET_PREFIX + "254", made.network).orThrow();
            made.networkCreated = true;
            byte[] k1 = Keys.generatePrivateKey();
            byte[] k2 = Keys.generatePrivateKey();
            Path conf1 = writeConfig(work.resolve("c1"), k1, 1, Keys.publicKey(k2), 2, "");
            // c2 reaches c3 (198.51.100.3) through the tunnel: c1 forwards and masquerades it
            Path conf2 = writeConfig(work.resolve("c2"), k2, 2, Keys.publicKey(k1), 1, ", " + SUBNET_PREFIX + "3/32");
            String c1 = made.container(1);
            String c2 = made.container(2);
            start(podman, made, c1, 1, conf1, List.of("-e", "PLATOON_METRICS=0.0.0.0:" + METRICS_PORT,
                    "-e", "PLATOON_NAT=1", "--sysctl", "net.ipv4.ip_forward=1"));
            start(podman, made, c2, 2, conf2, List.of());
            String c3 = made.container(3);
            made.containers.add(c3);
            podman.podman(SHORT, "run", "-d", "--name", c3, "--network", made.network, "--ip", SUBNET_PREFIX + 3,
                    "--entrypoint", "sleep", made.image, "600").orThrow();

            awaitHealthy(podman, c1);
            awaitHealthy(podman, c2);
            long tUp = System.nanoTime();

            assertPings(podman, c1, "100.64.0.2", c2);
            assertPings(podman, c2, "100.64.0.1", c1);
            assertPings(podman, c2, SUBNET_PREFIX + 3, c1); // forwarded and masqueraded by c1
            assertEquals("tini", podman.podman(SHORT, "exec", c1, "cat", "/proc/1/comm").orThrow().out(), "PID 1");
            String show = podman.podman(SHORT, "exec", c1, "platoon", "show", "wg0").orThrow().stdout();
            assertTrue(Pattern.compile("latest handshake: [0-9]").matcher(show).find(),
                    "no handshake in 'platoon show wg0' of " + c1 + ":\n" + show);
            // The image has OpenSSL's libcrypto, so the native cipher engine is there to be chosen.
            String libs = podman.podman(SHORT, "exec", c1, "ldconfig", "-p").orThrow().stdout();
            assertTrue(libs.contains("libcrypto.so.3 "), "no libcrypto.so.3 in the image (ldconfig -p):\n" + libs);
            assertFalse(show.contains("no libcrypto"), "'platoon show wg0' of " + c1 + ":\n" + show);
            assertStartupCacheMapped(podman, c1);
            assertMetricsServed(podman, c2, SUBNET_PREFIX + 1);
            assertReloadOnHangup(podman, c1, "100.64.0.2");
            assertPeersMadeOnFirstStart(podman, made, work.resolve("c4"));
            long tPing = System.nanoTime();

            assertCleanStop(podman, c1);
            assertTrue(logs(podman, c1).contains("[#] nft delete table inet platoon-nat"), "NAT rules not removed: "
                    + Podman.tail(logs(podman, c1), 8));
            assertCleanStop(podman, c2);
            System.out.printf("[container] base %d s, image build %d s, up and healthy %d s, pings %d s,"
                    + " stop %d s%n", secs(tBase - t0), secs(tBuild - tBase), secs(tUp - tBuild),
                    secs(tPing - tUp), secs(System.nanoTime() - tPing));
        } finally {
            made.remove();
            Runtime.getRuntime().removeShutdownHook(hook);
            podman.run(SHORT, List.of("rm", "-rf", "--one-file-system", work.toString()));
        }
    }

    private static void start(Podman podman, Made made, String name, int host, Path conf, List<String> extra) {
        made.containers.add(name);
        List<String> args = new java.util.ArrayList<>(List.of("run", "-d", "--name", name, "--network", made.network,
                "--ip", SUBNET_PREFIX + host, "--cap-add", "NET_ADMIN", "--device", "/dev/net/tun",
                "-v", conf + ":/etc/platoon/wg0.conf:ro"));
        args.addAll(extra);
        args.add(made.image);
        podman.podman(SHORT, args.toArray(String[]::new)).orThrow();
    }

    /**
     * PEERS=2 with no server file: c4 makes it and two client files (named in its log, never their keys
     * or QR codes); c5 and c6 come up with them as they were written and ping c4 through the tunnel.
     */
    private static void assertPeersMadeOnFirstStart(Podman podman, Made made, Path dir) throws IOException {
        Files.createDirectories(dir);
        String c4 = made.container(4);
        made.containers.add(c4);
        podman.podman(SHORT, "run", "-d", "--name", c4, "--network", made.network, "--ip", SUBNET_PREFIX + 4,
                "--cap-add", "NET_ADMIN", "--device", "/dev/net/tun", "-v", dir + ":/etc/platoon",
                "-e", "PEERS=2", "-e", "SERVER_URL=" + SUBNET_PREFIX + 4, "-e", "PLATOON_ADDRESS=100.64.0.1/24",
                "-e", "PEER_ALLOWED_IPS=100.64.0.0/24", made.image).orThrow();
        awaitHealthy(podman, c4);
        String log = logs(podman, c4);
        // Both clients, each in a container of its own with its file as it was written, ping the server.
        for (int n = 1; n <= 2; n++) {
            Path client = dir.resolve("peers/peer" + n + ".conf");
            String key = Files.readString(client).lines().filter(l -> l.startsWith("PrivateKey")).findFirst().orElseThrow();
            assertTrue(log.contains("platoon: client peer" + n + " (/etc/platoon/peers/peer" + n + ".conf):")
                    && !log.contains("▄▄▄▄▄") && !log.contains(key.substring(key.indexOf('=') + 1).strip()),
                    "the client named, without its key or QR code, in the log of " + c4 + ": " + Podman.tail(log, 8));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(client)));
            assertTrue(Files.readString(client).contains("Address = 100.64.0." + (n + 1) + "/32"),
                    Files.readString(client));
            String container = made.container(4 + n);
            made.containers.add(container);
            podman.podman(SHORT, "run", "-d", "--name", container, "--network", made.network,
                    "--ip", SUBNET_PREFIX + (4 + n), "--cap-add", "NET_ADMIN", "--device", "/dev/net/tun",
                    "-v", client + ":/etc/platoon/wg0.conf:ro", made.image).orThrow();
            awaitHealthy(podman, container);
            assertPings(podman, container, "100.64.0.1", c4);
        }
    }

    /**
     * The server's JVM runs on the image's jlink runtime and has the start-up cache mapped (a cache the JVM
     * refused would be missing from its maps, not an error), and in a new JVM with AOTMode=on platoon's
     * own classes come from it.
     */
    private static void assertStartupCacheMapped(Podman podman, String name) {
        String maps = "for p in /proc/[0-9]*; do [ \"$(readlink $p/exe)\" = /opt/platoon/lib/runtime/bin/java ]"
                + " && grep -q /opt/platoon/lib/app/platoon.aot $p/maps && echo \"mapped by ${p#/proc/}\"; done; true";
        String seen = podman.podman(SHORT, "exec", name, "sh", "-c", maps).out();
        assertTrue(seen.startsWith("mapped by "), "no JVM of the jlink runtime has /opt/platoon/lib/app/platoon.aot"
                + " mapped in " + name + ": '" + seen + "'");
        Proc.Result on = podman.podman(SHORT, "exec", "-e", "PLATOON_JAVA_OPTS=-XX:AOTMode=on -Xlog:class+load=info",
                name, "platoon", "--version");
        assertTrue(on.ok() && on.stdout().contains("dev.platoon.core.cli.Main source: shared objects file"),
                "platoon's classes do not come from the image's start-up cache: " + Podman.tail(on.stdout()
                        .lines().filter(l -> !l.contains("[class,load]")).collect(java.util.stream.Collectors
                                .joining("\n")) + on.stderr(), 5));
    }

    /**
     * /metrics of the container started with PLATOON_METRICS=0.0.0.0:PORT, fetched from the other container
     * over the bridge (bash's /dev/tcp: the image has no HTTP client, and needs none).
     */
    private static void assertMetricsServed(Podman podman, String from, String address) {
        String get = "exec 3<>/dev/tcp/" + address + "/" + METRICS_PORT
                + " && printf 'GET /metrics HTTP/1.0\\r\\nHost: x\\r\\n\\r\\n' >&3 && cat <&3";
        Proc.Result r = podman.podman(SHORT, "exec", from, "timeout", "20", "bash", "-c", get);
        String status = r.stdout().lines().findFirst().orElse("");
        assertTrue(r.ok() && status.matches("HTTP/1\\.[01] 200.*"), "GET http://" + address + ":" + METRICS_PORT
                + "/metrics from " + from + ": exit " + r.exitCode() + ", " + status + " " + r.stderr().strip());
        assertTrue(r.stdout().contains("platoon_tun_frames_read"), "no platoon_tun_frames_read in /metrics:\n"
                + Podman.tail(r.stdout(), 10));
    }

    /**
     * Runs the image's HEALTHCHECK until it passes. podman runs health checks from systemd timers, and
     * there is no systemd here, so the test runs the check itself ({@code podman healthcheck run}).
     */
    private static void awaitHealthy(Podman podman, String name) {
        poll(HEALTHY, name + " healthy (HEALTHCHECK passes)", podman, name, () -> {
            assertTrue(running(podman, name), name + " exited before it was healthy: " + logs(podman, name));
            return podman.podman(SHORT, "healthcheck", "run", name).ok();
        });
        assertEquals("healthy", podman.podman(SHORT, "inspect", "--format", "{{.State.Health.Status}}", name)
                .orThrow().out(), "health status of " + name);
    }

    /** Pings until the tunnel answers (the first ping starts the handshake), then 3 of 3 must come back. */
    private static void assertPings(Podman podman, String from, String to, String peer) {
        poll(FIRST_PING, "a ping answer from " + to + " through the tunnel of " + from, podman, from + "/" + peer,
                () -> podman.podman(SHORT, "exec", from, "ping", "-c", "1", "-W", "1", to).ok());
        Proc.Result ping = podman.podman(SHORT, "exec", from, "ping", "-c", "3", "-W", "2", to);
        assertTrue(ping.ok() && ping.stdout().contains("3 received"), "ping " + from + " -> " + to + ": "
                + ping.stdout().strip() + " " + ping.stderr().strip());
        System.out.println("[container] " + from + " -> " + to + ": " + ping.stdout().lines()
                .filter(l -> l.startsWith("rtt")).findFirst().orElse("").strip());
    }

    /** docker/podman kill -s HUP reaches java through tini (and the entrypoint's shell with PLATOON_NAT): it re-reads the mounted file; the tunnel stays up. */
    private static void assertReloadOnHangup(Podman podman, String name, String peerTunnel) {
        podman.podman(SHORT, "kill", "--signal", "HUP", name).orThrow();
        poll(SHORT, name + " logging 'wg0: reloaded' after SIGHUP", podman, name,
                () -> logs(podman, name).contains("platoon: wg0: reloaded /etc/platoon/wg0.conf"));
        Proc.Result ping = podman.podman(SHORT, "exec", name, "ping", "-c", "2", "-W", "2", peerTunnel);
        assertTrue(ping.ok(), "ping after the reload: " + ping.stdout().strip());
    }

    /** SIGTERM via podman stop: java must tear down and exit by itself well before the kill. */
    private static void assertCleanStop(Podman podman, String name) {
        long t0 = System.nanoTime();
        podman.podman(Duration.ofSeconds(STOP_SECONDS + 30), "stop", "-t", String.valueOf(STOP_SECONDS), name)
                .orThrow();
        long seconds = secs(System.nanoTime() - t0);
        String exit = podman.podman(SHORT, "inspect", "--format", "{{.State.ExitCode}}", name).orThrow().out();
        String log = logs(podman, name);
        assertTrue(exit.equals("143") || exit.equals("0"), name + " exited with " + exit
                + " after SIGTERM (137 = killed after " + STOP_SECONDS + " s); log: " + Podman.tail(log, 8));
        assertTrue(seconds < STOP_SECONDS, name + " took " + seconds + " s to stop");
        // whole lines: the hook's own "[#] ..." echo line contains both texts
        assertTrue(log.lines().anyMatch(l -> l.strip().equals(TORN_DOWN)),
                name + " log lacks the line '" + TORN_DOWN + "' (PostDown): " + Podman.tail(log, 8));
        assertFalse(log.lines().anyMatch(l -> l.strip().equals("wg0 still there")),
                name + " still had wg0 at PostDown: " + Podman.tail(log, 8));
    }

    /** A wg-quick file; the PostDown hook reports whether the device really went away. */
    private static Path writeConfig(Path dir, byte[] privateKey, int self, byte[] peerPublic, int peer,
                                    String moreAllowed) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("wg0.conf");
        String text = """
                [Interface]
                PrivateKey = %s
                Address = 100.64.0.%d/24
                ListenPort = 51820
                PostDown = if ip link show %%i >/dev/null 2>&1; then echo "%%i still there"; else echo "teardown: %%i is gone"; fi

                [Peer]
                PublicKey = %s
                AllowedIPs = 100.64.0.%d/32%s
                Endpoint = %s%d:51820
                """.formatted(Keys.toBase64(privateKey), self, Keys.toBase64(peerPublic), peer, moreAllowed,
                SUBNET_PREFIX, peer);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static Set<String> imageIds(Podman podman) {
        return new HashSet<>(podman.podman(SHORT, "images", "-a", "-q", "--no-trunc").orThrow().stdout().lines()
                .map(String::strip).filter(s -> !s.isEmpty()).toList());
    }

    private static boolean running(Podman podman, String name) {
        return podman.podman(SHORT, "inspect", "--format", "{{.State.Running}}", name).out().equals("true");
    }

    private static String logs(Podman podman, String name) {
        Proc.Result r = podman.podman(SHORT, "logs", name);
        return r.stdout() + r.stderr();
    }

    /** Installs the packages that are missing (the launcher's list may predate this test); never skips. */
    private static void installMissingPackages(Podman podman) {
        List<String> missing = PACKAGES.stream().filter(p -> !podman.run(SHORT, List.of("dpkg-query", "-W",
                "-f=${Status}", p)).stdout().contains("install ok installed")).toList();
        if (missing.isEmpty()) {
            return;
        }
        System.out.println("[container] installing " + String.join(" ", missing));
        podman.run(Duration.ofMinutes(5), List.of("apt-get", "update", "-qq")).orThrow();
        List<String> install = new java.util.ArrayList<>(List.of("env", "DEBIAN_FRONTEND=noninteractive",
                "apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        install.addAll(missing);
        podman.run(Duration.ofMinutes(10), install).orThrow();
    }

    /** Polls every 200 ms; at the deadline fails naming what was awaited and, if given, the container's log. */
    private static void poll(Duration timeout, String what, Podman podman, String logsOf, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder why = new StringBuilder("timed out after " + timeout.toSeconds() + " s waiting for " + what);
                if (podman != null) {
                    for (String name : logsOf.split("/")) {
                        why.append("; log of ").append(name).append(": ").append(Podman.tail(logs(podman, name), 8));
                    }
                }
                fail(why.toString());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    private static long secs(long nanos) {
        return TimeUnit.NANOSECONDS.toSeconds(nanos);
    }

    /** What this run made, so that it is removed exactly once, also from the shutdown hook. */
    private static final class Made {
        final Podman podman;
        final String image;
        final String network;
        final String id;
        final List<String> containers = new java.util.concurrent.CopyOnWriteArrayList<>();
        final Set<String> intermediates = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile boolean networkCreated;
        private boolean removed;

        Made(Podman podman, String id) {
            this.podman = podman;
            this.id = id;
            this.image = "localhost/platoon-test:" + id;
            this.network = id + "-net";
        }

        String container(int n) {
            return id + "-c" + n;
        }

        synchronized void remove() {
            if (removed) {
                return;
            }
            removed = true;
            for (String c : containers) {
                podman.podman(SHORT, "rm", "-f", "-t", "5", c);
            }
            if (networkCreated) {
                podman.podman(SHORT, "network", "rm", "-f", network);
            }
            podman.podman(SHORT, "rmi", "-f", image);
            // the build's intermediate layers, newest first (children before parents); never the base
            for (int round = 0; round < 3 && !intermediates.isEmpty(); round++) {
                for (String img : List.copyOf(intermediates)) {
                    Proc.Result r = podman.podman(SHORT, "rmi", "-f", img);
                    if (r.ok() || r.stderr().contains("image not known")) {
                        intermediates.remove(img);
                    }
                }
            }
        }
    }
}
