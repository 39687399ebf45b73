package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Interop with a real wireguard-go (Debian's), both roles: handshake and transport data in each
 * direction, checked by the kernel answering pings through wireguard-go's tun. Everything happens in
 * a private network namespace made here (its own loopback carries the UDP; the tun lives inside it)
 * and removed in finally and by a shutdown hook. Needs root; installs wireguard-go and
 * wireguard-tools with apt-get when they are missing.
 */
class WireGuardGoInteropIT {
    private static final long DEADLINE_MS = 40_000;

    @Test
    void handshakeAndTransportWithWireGuardGoInBothRoles() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        ensureInstalled();
        String tag = Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        String ns = "pt-" + tag + "-a";
        String dev = "wgpt" + tag;
        List<Process> started = new ArrayList<>();
        Thread cleanup = new Thread(() -> cleanup(ns, started));
        Runtime.getRuntime().addShutdownHook(cleanup);
        Path keyFile = Files.createTempFile("pt-wg", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            run("ip", "netns", "add", ns);
            inNs(ns, "ip", "link", "set", "lo", "up");
            Process wg = new ProcessBuilder("ip", "netns", "exec", ns, "wireguard-go", "-f", dev)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            started.add(wg);
            long deadline = System.currentTimeMillis() + 10_000;
            while (exec(List.of("ip", "netns", "exec", ns, "ip", "link", "show", dev)) != 0) {
                assertTrue(wg.isAlive(), "wireguard-go exited");
                assertTrue(System.currentTimeMillis() < deadline, "wireguard-go made no interface");
                Thread.sleep(50);
            }
            byte[] theirPrivate = Keys.generatePrivateKey();
            byte[] ourPrivate = Keys.generatePrivateKey();
            Files.writeString(keyFile, Keys.toBase64(theirPrivate) + "\n");
            int theirPort = ThreadLocalRandom.current().nextInt(20000, 40000);
            int ourPort = theirPort + 1;
            inNs(ns, "wg", "set", dev, "private-key", keyFile.toString(), "listen-port", String.valueOf(theirPort),
                    "peer", Keys.toBase64(Keys.publicKey(ourPrivate)), "allowed-ips", "100.64.0.2/32",
                    "endpoint", "127.0.0.1:" + ourPort);
            inNs(ns, "ip", "addr", "add", "100.64.0.1/24", "dev", dev);
            inNs(ns, "ip", "link", "set", dev, "up");

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process peer = new ProcessBuilder("ip", "netns", "exec", ns, java, "-cp", System.getProperty("java.class.path"),
                    InteropPeer.class.getName(), Keys.toBase64(ourPrivate), Keys.toBase64(Keys.publicKey(theirPrivate)),
                    String.valueOf(theirPort), String.valueOf(ourPort)).redirectErrorStream(true).start();
            started.add(peer);
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) {
                        lines.add(l);
                    }
                } catch (IOException ignored) {
                    // process ended
                }
            });
            String first = lines.poll(30, TimeUnit.SECONDS);
            assertEquals("READY", first, "interop peer did not start");
            // wireguard-go initiates to us because of this ping; the reply comes back through us.
            int ping = exec(List.of("ip", "netns", "exec", ns, "ping", "-c", "1", "-W", "10", "100.64.0.2"));
            assertTrue(peer.waitFor(DEADLINE_MS, TimeUnit.MILLISECONDS), "interop peer did not finish");
            reader.join(5_000);
            List<String> out = new ArrayList<>(lines);
            String transcript = String.join("\n", out);
            assertEquals(0, peer.exitValue(), transcript);
            assertTrue(out.contains("OK responder handshake"), transcript);
            assertTrue(out.contains("OK responder transport (echo request opened, reply sealed)"), transcript);
            assertTrue(out.contains("OK initiator handshake"), transcript);
            assertTrue(out.contains("OK initiator transport (echo reply opened)"), transcript);
            assertEquals(0, ping, "ping through wireguard-go to platoon got no reply\n" + transcript);
        } finally {
            Files.deleteIfExists(keyFile);
            cleanup(ns, started);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private static void cleanup(String ns, List<Process> started) {
        for (Process p : started) {
            p.destroy();
            try {
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            exec(List.of("ip", "netns", "del", ns));
        } catch (Exception ignored) {
            // best effort in a shutdown hook
        }
    }

    private static void ensureInstalled() throws Exception {
        if (exec(List.of("sh", "-c", "command -v wireguard-go && command -v wg && command -v ping")) != 0) {
            exec(List.of("apt-get", "install", "-y", "-q", "wireguard-go", "wireguard-tools", "iputils-ping"));
        }
        assertEquals(0, exec(List.of("sh", "-c", "command -v wireguard-go && command -v wg && command -v ping")),
                "wireguard-go, wg and ping are needed (apt-get install wireguard-go wireguard-tools iputils-ping)");
    }

    private static void inNs(String ns, String... cmd) throws Exception {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        full.addAll(List.of(cmd));
        run(full.toArray(String[]::new));
    }

    private static void run(String... cmd) throws Exception {
        int rc = exec(List.of(cmd));
        if (rc != 0) {
            fail(String.join(" ", cmd) + " exited " + rc);
        }
    }

    private static int exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }
}
