package dev.platoon.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import dev.platoon.testkit.NetNs;
import dev.platoon.testkit.Proc;
import dev.platoon.testkit.Wait;

/**
 * Interop with a real wireguard-go (Debian's), both roles: handshake and transport data in each
 * direction, checked by the kernel answering pings through wireguard-go's tun. Everything happens in
 * a private network namespace made here (its own loopback carries the UDP; the tun lives inside it).
 * Needs root; installs wireguard-go and wireguard-tools with apt-get when they are missing.
 */
class WireGuardGoInteropIT {
    private static final long DEADLINE_MS = 40_000;
    private static final Duration INSTALL = Duration.ofMinutes(5);
    private static final String TOOLS = "command -v wireguard-go && command -v wg && command -v ping";

    @Test
    void handshakeAndTransportWithWireGuardGoInBothRoles() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root for network namespaces");
        ensureInstalled();
        String dev = "wgpt" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        List<Process> started = new ArrayList<>();
        Path keyFile = Files.createTempFile("pt-wg", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (NetNs ns = NetNs.create("wggo")) {
            try {
                Process wg = ns.builder("wireguard-go", "-f", dev).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                started.add(wg);
                Wait.until(Duration.ofSeconds(10), "wireguard-go's interface " + dev, () -> {
                    assertTrue(wg.isAlive(), "wireguard-go exited");
                    return ns.run(Duration.ofSeconds(10), "ip", "link", "show", dev).ok();
                });
                byte[] theirPrivate = Keys.generatePrivateKey();
                byte[] ourPrivate = Keys.generatePrivateKey();
                Files.writeString(keyFile, Keys.toBase64(theirPrivate) + "\n");
                int theirPort = ThreadLocalRandom.current().nextInt(20000, 40000);
                int ourPort = theirPort + 1;
                ns.exec("wg", "set", dev, "private-key", keyFile.toString(), "listen-port", String.valueOf(theirPort),
                        "peer", Keys.toBase64(Keys.publicKey(ourPrivate)), "allowed-ips", "100.64.0.2/32",
                        "endpoint", "127.0.0.1:" + ourPort);
                ns.exec("ip", "addr", "add", "100.64.0.1/24", "dev", dev);
                ns.exec("ip", "link", "set", dev, "up");

                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                Process peer = ns.builder(java, "-cp", System.getProperty("java.class.path"),
                        InteropPeer.class.getName(), Keys.toBase64(ourPrivate),
                        Keys.toBase64(Keys.publicKey(theirPrivate)), String.valueOf(theirPort), String.valueOf(ourPort)).redirectErrorStream(true).start();
                started.add(peer);
                BlockingQueue<String> lines = new LinkedBlockingQueue<>();
                Thread reader = Thread.ofVirtual().start(() -> {
                    try (BufferedReader r = new BufferedReader(
                            new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
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
                int ping = ns.run(Duration.ofSeconds(60), "ping", "-c", "1", "-W", "10", "100.64.0.2").exitCode();
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
                for (Process p : started) {
                    Proc.kill(p);   // before the namespace goes
                }
            }
        } finally {
            Files.deleteIfExists(keyFile);
        }
    }

    private static void ensureInstalled() {
        if (!Proc.run(INSTALL, "sh", "-c", TOOLS).ok()) {
            Proc.run(INSTALL, "apt-get", "install", "-y", "-q", "wireguard-go", "wireguard-tools", "iputils-ping");
        }
        assertTrue(Proc.run(INSTALL, "sh", "-c", TOOLS).ok(),
                "wireguard-go, wg and ping are needed (apt-get install wireguard-go wireguard-tools iputils-ping)");
    }
}
