package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our genkey/pubkey/genpsk against Debian's {@code wg} (wireguard-tools): keys made by either are
 * accepted by the other, and both compute the same public key. Fails (does not skip) without {@code wg}.
 */
class WgToolCompatIT {
    static final int ROUNDS = 20;
    static final Path WG = Path.of("/usr/bin/wg");

    record Proc(int exitCode, String out, String err) {}

    @BeforeAll
    static void wgIsInstalled() {
        assertTrue(Files.isExecutable(WG), WG + " is missing: install wireguard-tools (./platoon test does)");
    }

    /** Runs {@code wg args...} with {@code stdin}, bounded to 10 seconds. */
    static Proc wg(String stdin, String... args) throws IOException, InterruptedException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = WG.toString();
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd).start();
        try {
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.US_ASCII));
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                fail("wg " + String.join(" ", args) + " did not finish in 10 s");
            }
            return new Proc(p.exitValue(), new String(out.join(), StandardCharsets.US_ASCII),
                    new String(err.join(), StandardCharsets.US_ASCII));
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream s) {
        return CompletableFuture.supplyAsync(() -> {
            try (s) {
                return s.readNBytes(1 << 16);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String ok(Proc p) {
        assertEquals(0, p.exitCode(), "wg failed: " + p.err());
        String line = p.out().strip();
        assertEquals(44, line.length(), p.out());
        return line;
    }

    static String ours(String stdin, String command) {
        CliRunner.Result r = CliRunner.run(stdin, command);
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        return r.out().strip();
    }

    @Test
    void wgGenkeyThenPubkeyAgreesWithOurs() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String priv = ok(wg("", "genkey"));
            String theirs = ok(wg(priv + "\n", "pubkey"));
            assertEquals(theirs, ours(priv + "\n", "pubkey"), "public key of a wg genkey key");
        }
    }

    @Test
    void ourGenkeyIsAcceptedByWgWithTheSamePublicKey() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            String priv = ours("", "genkey");
            String theirs = ok(wg(priv + "\n", "pubkey"));
            assertEquals(theirs, ours(priv + "\n", "pubkey"));
            assertNotEquals(priv, theirs);
        }
    }

    @Test
    void pskFromEitherToolIsAKeyToTheOther() throws Exception {
        for (int i = 0; i < ROUNDS; i++) {
            // wg reads every key (private, public, preshared) with one base64 decoder; wg pubkey is a
            // way to run it without a device. Our psk must decode there, and wg's psk here.
            String psk = ours("", "genpsk");
            assertEquals(32, Base64.getDecoder().decode(psk).length);
            String theirs = ok(wg(psk + "\n", "pubkey"));
            assertEquals(theirs, ours(psk + "\n", "pubkey"));

            String wgPsk = ok(wg("", "genpsk"));
            assertEquals(ok(wg(wgPsk + "\n", "pubkey")), ours(wgPsk + "\n", "pubkey"));
        }
    }

    @Test
    void bothRefuseTheSameBadKey() throws Exception {
        for (String bad : new String[] {"AAAA", "not base64!!", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="}) {
            assertNotEquals(0, wg(bad + "\n", "pubkey").exitCode(), "wg accepted " + bad);
            assertEquals(1, CliRunner.run(bad + "\n", "pubkey").exitCode(), "we accepted " + bad);
        }
    }
}
