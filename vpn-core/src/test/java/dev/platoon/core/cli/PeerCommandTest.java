package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import dev.platoon.config.ConfigParser;
import dev.platoon.config.PeerNames;
import dev.platoon.config.WgConfig;
import dev.platoon.crypto.Keys;

/** peer add/list/remove on a server file whose interface is not up: the file side, the client file, the QR. */
class PeerCommandTest {
    private static final String SERVER_PRIVATE = Keys.toBase64(Keys.generatePrivateKey());
    private static final String BOB = Keys.toBase64(Keys.publicKey(Keys.generatePrivateKey()));

    @TempDir
    Path dir;

    private Path server() throws Exception {
        Path file = dir.resolve("ptpeer0.conf"); // no such interface is up: file edits only
        Files.writeString(file, """
                [Interface]
                # the operator's comment stays
                Address = 100.64.0.1/24, fd00:64::1/64
                ListenPort = 51820
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 100.64.0.2/32, fd00:64::2/128
                """.formatted(SERVER_PRIVATE, BOB));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    @Test
    void addPrintsAClientFileAndItsQrAndAppendsANamedPeer() throws Exception {
        Path file = server();
        String before = Files.readString(file);
        CliRunner.Result r = CliRunner.run(new byte[0], "peer", "add", "alice phone", "--interface", file.toString(),
                "--endpoint", "vpn.example.com", "--dns", "100.64.0.1", "--qr");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("platoon: added peer alice phone (100.64.0.3/32, fd00:64::3/128, public key "), r.err());
        assertTrue(r.err().contains("(ptpeer0 is not up: the change applies when it comes up)"), r.err());
        assertFalse(r.out().contains(SERVER_PRIVATE) || r.err().contains(SERVER_PRIVATE), "server key printed");

        String client = r.out().substring(0, r.out().indexOf("\u001b["));
        WgConfig c = ConfigParser.parse(client, "client");
        assertEquals("[100.64.0.3/32, fd00:64::3/128]", c.iface().addresses().toString());
        assertEquals("vpn.example.com:51820", c.peers().getFirst().endpoint().orElseThrow().toString());
        assertEquals(Keys.toBase64(Keys.publicKey(Keys.fromBase64(SERVER_PRIVATE))),
                c.peers().getFirst().publicKey().toBase64());
        assertEquals("[0.0.0.0/0, ::/0]", c.peers().getFirst().allowedIps().toString());
        assertEquals(25, c.peers().getFirst().persistentKeepalive());
        assertEquals(client, decodeQr(r.out().substring(client.length())), "the QR holds the same file");
        Path clientFile = dir.resolve("alice.conf");
        Files.writeString(clientFile, client);
        CliRunner.Result qr = CliRunner.run(new byte[0], "peer", "qr", clientFile.toString());
        assertEquals(0, qr.exitCode(), qr.err());
        assertEquals(client, decodeQr(qr.out()), "peer qr FILE draws the same code");
        Path png = dir.resolve("alice.png");
        Files.writeString(png, "an older picture, readable by all");
        Files.setPosixFilePermissions(png, PosixFilePermissions.fromString("rw-r--r--"));
        CliRunner.Result qrPng = CliRunner.run(new byte[0], "peer", "qr", clientFile.toString(), "--png", png.toString());
        assertEquals(0, qrPng.exitCode(), qrPng.err());
        assertEquals("", qrPng.out(), "the key stays off the terminal");
        assertEquals(client, decodePng(png), "peer qr FILE --png draws the same code");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(png)));

        String after = Files.readString(file);
        assertTrue(after.startsWith(before + "\n[Peer]\n# friendly_name = alice phone\n"), after);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        WgConfig s = ConfigParser.parse(file);
        assertEquals(2, s.peers().size());
        String alice = s.peers().get(1).publicKey().toBase64();
        assertEquals(Keys.toBase64(Keys.publicKey(c.iface().privateKey().orElseThrow().bytes())), alice);
        assertEquals(c.peers().getFirst().presharedKey(), s.peers().get(1).presharedKey());
        assertEquals(Map.of(alice, "alice phone"), PeerNames.read(after));

        CliRunner.Result list = CliRunner.run(new byte[0], "peer", "list", "--interface", file.toString());
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(list.out().contains("alice phone") && list.out().contains(alice) && list.out().contains(BOB), list.out());

        CliRunner.Result again = CliRunner.run(new byte[0], "peer", "add", "alice phone", "--interface", file.toString(),
                "--endpoint", "vpn.example.com");
        assertEquals(1, again.exitCode());
        assertEquals(List.of("platoon: " + file + " already has a peer named 'alice phone'"), again.errLines());

        CliRunner.Result removed = CliRunner.run(new byte[0], "peer", "remove", "alice phone", "--interface", file.toString());
        assertEquals(0, removed.exitCode(), removed.err());
        assertEquals(before, Files.readString(file), "remove gives the file back as it was");
        CliRunner.Result byKey = CliRunner.run(new byte[0], "peer", "remove", BOB, "--interface", file.toString());
        assertEquals(0, byKey.exitCode(), byKey.err());
        assertEquals(0, ConfigParser.parse(file).peers().size());
    }

    @Test
    void addWritesThePngOnlyItsOwnerReads() throws Exception {
        Path file = server();
        Path png = dir.resolve("bob-laptop.png");
        CliRunner.Result r = CliRunner.run(new byte[0], "peer", "add", "bob laptop", "--interface", file.toString(),
                "--endpoint", "192.0.2.1", "--qr-png", png.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("platoon: the client's QR code is " + png + " (mode 0600)"), r.err());
        assertEquals(r.out(), decodePng(png), "the PNG holds the printed client file");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(png)));
        try (var leftovers = Files.list(dir)) {
            assertEquals(List.of(), leftovers.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList());
        }
    }

    @Test
    void badInputIsOneLineAndLeavesTheFileAsItWas() throws Exception {
        Path file = server();
        String before = Files.readString(file);
        String[][] cases = {
            {"--endpoint", "vpn.example.com", "--allowed-ips", "10.0.0.0/33"},
            {"--endpoint", "vpn.example.com", "--dns", "no spaces allowed"},
            {"--endpoint", "vpn.example.com", "--address", "100.64.0.2"},
            {"--endpoint", "vpn.example.com:99999"},
            {"--endpoint", "vpn.example.com", "--qr-png", dir.resolve("no/such/folder.png").toString()},
            {"--endpoint", "vpn.example.com", "--out", dir.toString()},
            {},
        };
        for (String[] extra : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("peer", "add", "carol", "--interface", file.toString()));
            args.addAll(List.of(extra));
            CliRunner.Result r = CliRunner.run(new byte[0], args.toArray(String[]::new));
            assertEquals(1, r.exitCode(), String.join(" ", extra) + ": " + r.err());
            assertEquals(1, r.errLines().size(), r.err());
            assertEquals(before, Files.readString(file), String.join(" ", extra));
        }
        CliRunner.Result bad = CliRunner.run(new byte[0], "peer", "add", "a#b", "--interface", file.toString(),
                "--endpoint", "h:1");
        assertTrue(bad.err().startsWith("platoon: peer name \"a#b\" must be"), bad.err());
        CliRunner.Result none = CliRunner.run(new byte[0], "peer", "remove", "nobody", "--interface", file.toString());
        assertEquals(List.of("platoon: " + file + " has no peer named or keyed 'nobody'"), none.errLines());
        assertEquals(2, CliRunner.run(new byte[0], "peer", "frobnicate", "--interface", file.toString()).exitCode());
    }

    @Test
    void addressesFollowTheSubnetAndRunOut() throws Exception {
        WgConfig full = ConfigParser.parse("""
                [Interface]
                Address = 100.64.0.1/30
                PrivateKey = %s
                [Peer]
                PublicKey = %s
                AllowedIPs = 100.64.0.2/32, 0.0.0.0/0
                """.formatted(SERVER_PRIVATE, BOB), "full.conf");
        var e = assertThrows(IllegalArgumentException.class, () -> PeerAddresses.next(full, "full.conf"));
        assertEquals("full.conf: no free address left in 100.64.0.0/30; give one with --address", e.getMessage());
        WgConfig v6 = ConfigParser.parse("""
                [Interface]
                Address = fd00:64::1/64
                PrivateKey = %s
                """.formatted(SERVER_PRIVATE), "v6.conf");
        assertEquals("[fd00:64::2/128]", PeerAddresses.next(v6, "v6.conf").toString());
    }

    /** Reads a PNG with the JDK's own decoder (ImageIO, not platoon's writer) and decodes its QR code. */
    static String decodePng(Path png) throws Exception {
        java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
        assertTrue(image != null, "not a PNG ImageIO reads: " + png);
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(image.getWidth(), image.getHeight(),
                pixels)));
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.CHARACTER_SET, "UTF-8",
                DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }

    /** Reads the half-block picture back into pixels (4 per module, a white border) and decodes it. */
    static String decodeQr(String picture) throws Exception {
        List<String> rows = picture.lines().map(l -> l.replaceAll("\u001b\\[[0-9;]*m", "")).filter(l -> !l.isEmpty()).toList();
        int w = rows.getFirst().length();
        int h = rows.size() * 2;
        int scale = 4;
        int border = 8 * scale;
        int pw = w * scale + 2 * border;
        int ph = h * scale + 2 * border;
        int[] pixels = new int[pw * ph];
        java.util.Arrays.fill(pixels, 0xffffff);
        for (int y = 0; y < h; y++) {
            String row = rows.get(y / 2);
            for (int x = 0; x < w; x++) {
                char ch = row.charAt(x);
                boolean light = y % 2 == 0 ? ch == '█' || ch == '▀' : ch == '█' || ch == '▄';
                for (int dy = 0; dy < scale && !light; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        pixels[(border + y * scale + dy) * pw + border + x * scale + dx] = 0;
                    }
                }
            }
        }
        var bitmap = new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pw, ph, pixels)));
        // PURE_BARCODE: the picture is the code alone, square to the axes, so its modules are read from the
        // grid instead of searched for (the search missed about one random code in 200).
        return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.CHARACTER_SET, "UTF-8",
                DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }
}
