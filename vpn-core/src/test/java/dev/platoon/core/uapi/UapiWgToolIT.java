package dev.platoon.core.uapi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.platoon.config.IpPrefix;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives a {@link UapiServer} for an in-memory {@link FakeUapiDevice} with the real {@code wg}
 * (Debian wireguard-tools). Only a unix socket in /var/run/wireguard is involved — no interface, no
 * traffic — so it runs in the root namespace. Fails (does not skip) when {@code wg} is missing.
 */
class UapiWgToolIT {
    private static final Path WG = Path.of("/usr/bin/wg");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long HANDSHAKE_SEC = System.currentTimeMillis() / 1000 - 30;

    private final byte[] privateKey = random32();
    private final byte[] peerA = random32();
    private final byte[] peerB = random32();
    private final byte[] psk = random32();
    private String name;
    private Path socket;
    private FakeUapiDevice device;
    private UapiServer server;
    private Path tmp;
    private Thread cleanup;

    @BeforeAll
    static void wgIsInstalled() {
        assertTrue(Files.isExecutable(WG), "wg (Debian package wireguard-tools) is required at " + WG);
    }

    @BeforeEach
    void start() throws Exception {
        name = "ptu" + HexFormat.of().toHexDigits((short) RANDOM.nextInt());
        socket = UapiServer.socketPath(UapiServer.DEFAULT_DIRECTORY, name);
        tmp = Files.createTempDirectory("ptu-keys");
        Path socketToDelete = socket;
        Path tmpToDelete = tmp;
        cleanup = new Thread(() -> deleteQuietly(socketToDelete, tmpToDelete));
        Runtime.getRuntime().addShutdownHook(cleanup);
        device = new FakeUapiDevice();
        device.setInterface(privateKey, 51820, 0);
        FakeUapiDevice.FakePeer a = device.addPeer(peerA);
        a.presharedKey = psk;
        a.endpoint = UapiValues.parseEndpoint("192.0.2.2:51820");
        a.keepalive = 25;
        a.handshakeSec = HANDSHAKE_SEC;
        a.handshakeNsec = 5;
        a.rxBytes = 2048;
        a.txBytes = 3L << 20;
        a.allowedIps.add(IpPrefix.parse("100.64.0.2/32"));
        a.allowedIps.add(IpPrefix.parse("fd00:64::2/128"));
        device.addPeer(peerB).allowedIps.add(IpPrefix.parse("100.64.0.3/32"));
        server = UapiServer.start(name, device);
    }

    @AfterEach
    void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            deleteQuietly(socket, tmp);
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    @Test
    void socketIsPrivateAndRemovedOnClose() throws Exception {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)));
        assertEquals(List.of(), leftovers(), "no temporary socket names left behind");
        assertTrue(UapiClient.interfaces(UapiServer.DEFAULT_DIRECTORY).contains(name));
        server.close();
        assertFalse(Files.exists(socket));
        assertFalse(UapiClient.interfaces(UapiServer.DEFAULT_DIRECTORY).contains(name));
    }

    @Test
    void wgShowListsPeersWithHandshakeAndTransfer() throws Exception {
        String out = wg("show", name);
        assertTrue(out.contains("interface: " + name), out);
        assertTrue(out.contains("public key: " + wgPubkey(privateKey)), out);
        assertTrue(out.contains("private key: (hidden)"), out);
        assertTrue(out.contains("listening port: 51820"), out);
        assertTrue(out.contains("peer: " + b64(peerA)), out);
        assertTrue(out.contains("preshared key: (hidden)"), out);
        assertTrue(out.contains("endpoint: 192.0.2.2:51820"), out);
        assertTrue(out.contains("allowed ips: 100.64.0.2/32, fd00:64::2/128"), out);
        assertTrue(out.contains("latest handshake: "), out);
        assertTrue(out.contains("seconds ago"), out);
        assertTrue(out.contains("transfer: 2.00 KiB received, 3.00 MiB sent"), out);
        assertTrue(out.contains("persistent keepalive: every 25 seconds"), out);
        assertTrue(out.contains("peer: " + b64(peerB)), out);
        assertTrue(out.contains("allowed ips: 100.64.0.3/32"), out);
    }

    @Test
    void wgShowDumpHasExactValues() throws Exception {
        List<String> lines = Arrays.asList(wg("show", name, "dump").split("\n"));
        assertEquals(3, lines.size(), lines.toString());
        assertEquals(String.join("\t", b64(privateKey), wgPubkey(privateKey), "51820", "off"), lines.get(0));
        assertTrue(lines.contains(String.join("\t", b64(peerA), b64(psk), "192.0.2.2:51820",
                "100.64.0.2/32,fd00:64::2/128", Long.toString(HANDSHAKE_SEC), "2048", Long.toString(3L << 20), "25")),
                lines.toString());
        assertTrue(lines.contains(String.join("\t", b64(peerB), "(none)", "(none)", "100.64.0.3/32", "0", "0", "0",
                "off")), lines.toString());
    }

    @Test
    void wgShowconfPrintsTheConfig() throws Exception {
        String conf = wg("showconf", name);
        assertTrue(conf.contains("[Interface]\nListenPort = 51820\nPrivateKey = " + b64(privateKey) + "\n"), conf);
        assertTrue(conf.contains("[Peer]\nPublicKey = " + b64(peerA) + "\nPresharedKey = " + b64(psk)
                + "\nAllowedIPs = 100.64.0.2/32, fd00:64::2/128\nEndpoint = 192.0.2.2:51820\nPersistentKeepalive = 25\n"),
                conf);
        assertTrue(conf.contains("[Peer]\nPublicKey = " + b64(peerB) + "\nAllowedIPs = 100.64.0.3/32\n"), conf);
    }

    @Test
    void wgSetPeerChangesTheDevice() throws Exception {
        wg("set", name, "peer", b64(peerB), "allowed-ips", "100.64.0.9/32", "endpoint", "192.0.2.9:51820",
                "persistent-keepalive", "25");
        FakeUapiDevice.FakePeer b = device.peer(peerB);
        assertEquals("[100.64.0.9/32]", b.allowedIps.toString());
        assertEquals("192.0.2.9:51820", UapiValues.formatEndpoint(b.endpoint));
        assertEquals(25, b.keepalive);
        byte[] newPeer = random32();
        wg("set", name, "peer", b64(newPeer), "allowed-ips", "100.64.0.10/32,fd00:64::10/128", "endpoint",
                "[2001:db8::10]:51830");
        FakeUapiDevice.FakePeer n = device.peer(newPeer);
        assertEquals("[100.64.0.10/32, fd00:64::10/128]", n.allowedIps.toString());
        assertEquals("[2001:db8::10]:51830", UapiValues.formatEndpoint(n.endpoint));
        assertEquals(3, device.peerCount());

        wg("set", name, "peer", b64(peerA), "remove");
        assertNull(device.peer(peerA));
        assertEquals(2, device.peerCount());
    }

    @Test
    void wgSetInterfaceKeysPortAndPresharedKey() throws Exception {
        byte[] newPrivate = random32();
        Path keyFile = keyFile("private", newPrivate);
        wg("set", name, "private-key", keyFile.toString(), "listen-port", "51821");
        assertArrayEquals(newPrivate, device.privateKey());
        assertEquals(51821, device.listenPort());
        byte[] newPsk = random32();
        wg("set", name, "peer", b64(peerB), "preshared-key", keyFile("psk", newPsk).toString());
        assertArrayEquals(newPsk, device.peer(peerB).presharedKey);
        wg("set", name, "fwmark", "0x1234");
        assertEquals(0x1234, device.fwmark());
        assertTrue(wg("show", name).contains("fwmark: 0x1234"));
    }

    @Test
    void wgReportsTheDevicesErrno() throws Exception {
        device.markPortBusy(51999);
        Result r = run(WG.toString(), "set", name, "listen-port", "51999");
        assertNotEquals(0, r.exit);
        assertTrue(r.err.contains("Address already in use"), r.err);
        assertEquals(51820, device.listenPort());
    }

    @Test
    void wgSyncconfConverges() throws Exception {
        byte[] peerC = random32();
        String conf = "[Interface]\nPrivateKey = " + b64(privateKey) + "\nListenPort = 51822\n\n"
                + "[Peer]\nPublicKey = " + b64(peerB) + "\nAllowedIPs = 100.64.0.30/32\nEndpoint = 192.0.2.30:51820\n\n"
                + "[Peer]\nPublicKey = " + b64(peerC) + "\nPresharedKey = " + b64(psk)
                + "\nAllowedIPs = 100.64.0.31/32, fd00:64::31/128\nPersistentKeepalive = 15\n";
        Path file = tmp.resolve("sync.conf");
        Files.writeString(file, conf);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        wg("syncconf", name, file.toString());
        assertEquals(51822, device.listenPort());
        assertEquals(2, device.peerCount());
        assertNull(device.peer(peerA));
        assertEquals("[100.64.0.30/32]", device.peer(peerB).allowedIps.toString());
        assertEquals("192.0.2.30:51820", UapiValues.formatEndpoint(device.peer(peerB).endpoint));
        FakeUapiDevice.FakePeer c = device.peer(peerC);
        assertArrayEquals(psk, c.presharedKey);
        assertEquals(15, c.keepalive);
        assertEquals("[100.64.0.31/32, fd00:64::31/128]", c.allowedIps.toString());
        // converged: a second run changes nothing, and showconf matches the file's content
        String before = UapiText.formatGet(device.snapshot());
        wg("syncconf", name, file.toString());
        assertEquals(before, UapiText.formatGet(device.snapshot()));
    }

    @Test
    void malformedRawRequestsGetAnErrnoAndTheServerStaysUp() throws Exception {
        int applied = device.appliedCount();
        try (UapiClient c = UapiClient.connect(socket, Duration.ofSeconds(5))) {
            assertEquals(List.of("errno=-22"), c.exchange("set=1\nlisten_port=1\nbogus_key=1\n\n"));
            assertEquals(List.of("errno=-71"), c.exchange("set=1\nno equals sign\n\n"));
            assertEquals(List.of("errno=-22"), c.exchange("set=1\npublic_key=" + "0".repeat(64)
                    + "\nendpoint=192.0.2.1\n\n"));
            assertEquals(51820, c.get().listenPort(), "same connection still usable");
        }
        try (UapiClient c = UapiClient.connect(socket, Duration.ofSeconds(5))) {
            assertEquals(List.of("errno=-22"), c.exchange("hello=1\n\n"));
            assertThrows(IOException.class, () -> c.exchange("get=1\n\n"), "closed after an unknown operation");
        }
        try (UapiClient c = UapiClient.connect(socket, Duration.ofSeconds(5))) {
            assertEquals(List.of("errno=-5"), c.exchange("set=1\nallowed_ip=" + "9".repeat(5000) + "\n\n"));
        }
        assertEquals(applied, device.appliedCount(), "nothing applied");
        assertTrue(wg("show", name).contains("listening port: 51820"), "server still answers wg");
    }

    @Test
    void clientGetAndSetRoundTrip() throws Exception {
        try (UapiClient c = UapiClient.connect(socket, Duration.ofSeconds(5))) {
            UapiSnapshot s = c.get();
            assertEquals(UapiText.formatGet(device.snapshot()), UapiText.formatGet(s));
            c.set(UapiSetParser.parse(List.of("public_key=" + UapiValues.keyToHex(peerB), "remove=true")));
            assertNull(device.peer(peerB));
            UapiException e = assertThrows(UapiException.class, () -> {
                device.markPortBusy(40000);
                c.set(UapiSetParser.parse(List.of("listen_port=40000")));
            });
            assertEquals(UapiErrno.PORT_IN_USE, e.errno());
        }
    }

    @Test
    void liveSocketIsInUseAndStaleOneIsReplaced() throws Exception {
        IOException e = assertThrows(IOException.class, () -> UapiServer.start(name, new FakeUapiDevice()));
        assertEquals("interface " + name + " is already in use", e.getMessage());
        assertTrue(wg("show", name).contains("listening port: 51820"), "the first server is untouched");
        server.close();
        server = null;
        // leave a stale socket behind, as a killed process would
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        FakeUapiDevice second = new FakeUapiDevice();
        second.setInterface(null, 40001, 0);
        server = UapiServer.start(name, second);
        assertTrue(wg("show", name).contains("listening port: 40001"));
    }

    // --- helpers -------------------------------------------------------------------------------

    private record Result(int exit, String out, String err) {
    }

    private static Result run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        // outputs are small; read them fully after exit with a bounded wait
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("timed out: " + String.join(" ", cmd));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out, err);
    }

    private static String wg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(WG.toString());
        cmd.addAll(List.of(args));
        Result r = run(cmd.toArray(String[]::new));
        assertEquals(0, r.exit, "wg " + String.join(" ", args) + " failed: " + r.err + r.out);
        return r.out;
    }

    private String wgPubkey(byte[] priv) throws Exception {
        Process p = new ProcessBuilder(WG.toString(), "pubkey").start();
        p.getOutputStream().write((b64(priv) + "\n").getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
    }

    private Path keyFile(String label, byte[] key) throws IOException {
        Path f = tmp.resolve(label + ".key");
        Files.writeString(f, b64(key) + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private List<String> leftovers() throws IOException {
        try (var files = Files.list(UapiServer.DEFAULT_DIRECTORY)) {
            return files.map(p -> p.getFileName().toString()).filter(f -> f.startsWith("." + name)).toList();
        }
    }

    private static byte[] random32() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    private static String b64(byte[] key) {
        return Base64.getEncoder().encodeToString(key);
    }

    private static void deleteQuietly(Path socket, Path dir) {
        try {
            Files.deleteIfExists(socket);
            if (dir != null && Files.isDirectory(dir)) {
                try (var files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        Files.deleteIfExists(f);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException ignored) {
            // best effort on the way out
        }
    }
}
