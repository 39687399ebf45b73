package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code platoon genkey}, {@code pubkey} and {@code genpsk}, through {@link Main#run}. */
class KeyCommandsTest {
    // RFC 7748 section 6.1: Alice's private key and public key.
    static final String ALICE_PRIVATE = b64("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
    static final String ALICE_PUBLIC = b64("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");

    static String b64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    /** The one line of a successful command's output, checked to be a base64 key of 32 bytes. */
    static byte[] singleKey(CliRunner.Result r) {
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        assertEquals(1, r.outLines().size(), r.out());
        String line = r.outLines().getFirst();
        assertEquals(44, line.length(), line);
        assertTrue(line.matches("[A-Za-z0-9+/]{43}="), line);
        byte[] key = Base64.getDecoder().decode(line);
        assertEquals(32, key.length);
        return key;
    }

    @Test
    void genkeyPrintsAClampedKey() {
        for (int i = 0; i < 20; i++) {
            byte[] k = singleKey(CliRunner.run("", "genkey"));
            assertEquals(0, k[0] & 0x07, "low 3 bits cleared");
            assertEquals(0, k[31] & 0x80, "top bit cleared");
            assertEquals(0x40, k[31] & 0x40, "second-highest bit set");
        }
    }

    @Test
    void genkeyAndGenpskAreFreshEachTime() {
        assertNotEquals(CliRunner.run("", "genkey").out(), CliRunner.run("", "genkey").out());
        assertNotEquals(CliRunner.run("", "genpsk").out(), CliRunner.run("", "genpsk").out());
    }

    @Test
    void genpskPrints32RandomBytesUnclamped() {
        boolean sawUnclamped = false;
        for (int i = 0; i < 32 && !sawUnclamped; i++) {
            byte[] k = singleKey(CliRunner.run("", "genpsk"));
            sawUnclamped = (k[0] & 0x07) != 0 || (k[31] & 0xc0) != 0x40;
        }
        assertTrue(sawUnclamped, "a preshared key is not clamped (1 in 2^32 chance to fail)");
    }

    @Test
    void pubkeyMatchesRfc7748() {
        CliRunner.Result r = CliRunner.run(ALICE_PRIVATE + "\n", "pubkey");
        singleKey(r);
        assertEquals(ALICE_PUBLIC, r.outLines().getFirst());
    }

    @Test
    void pubkeyTakesSurroundingWhitespaceLikeWg() {
        assertEquals(ALICE_PUBLIC, CliRunner.run("  " + ALICE_PRIVATE + " \r\n", "pubkey").out().strip());
        assertEquals(ALICE_PUBLIC, CliRunner.run(ALICE_PRIVATE, "pubkey").out().strip());
    }

    @Test
    void pubkeyOfGenkeyRoundTrips() {
        String priv = CliRunner.run("", "genkey").out();
        CliRunner.Result r = CliRunner.run(priv, "pubkey");
        byte[] pub = singleKey(r);
        assertFalse(r.out().strip().equals(priv.strip()));
        assertEquals(32, pub.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",                                              // nothing
            "not base64 at all!!",                           // not base64
            "AAAA",                                          // 3 bytes
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",  // 31 bytes
            "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==", // 33 bytes
            "d3BtTmJFOG9IVFdyRjVRVFlqRUlDSm1Qb3dtN3R3dEg=\nAAAA", // two lines
    })
    void pubkeyRejectsBadInputWithOneLine(String input) {
        CliRunner.Result r = CliRunner.run(input, "pubkey");
        assertBadInput(r, input);
    }

    @Test
    void pubkeyRejectsTooLongInputWithOneLine() {
        String input = ALICE_PRIVATE + " ".repeat(2000);
        CliRunner.Result r = CliRunner.run(input, "pubkey");
        assertBadInput(r, input);
        assertTrue(r.err().contains("too long"), r.err());
    }

    @Test
    void pubkeyRejectsNonAsciiWithOneLine() {
        byte[] input = (ALICE_PRIVATE.substring(0, 43) + "\u00e9").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CliRunner.Result r = CliRunner.run(input, "pubkey");
        assertEquals(1, r.exitCode());
        assertEquals(1, r.errLines().size(), r.err());
        assertFalse(r.err().contains(ALICE_PRIVATE.substring(0, 20)), "no key material in: " + r.err());
    }

    static void assertBadInput(CliRunner.Result r, String input) {
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertEquals("", r.out());
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), "exactly one line: " + r.err());
        assertTrue(lines.getFirst().startsWith("platoon pubkey: "), lines.getFirst());
        assertFalse(lines.getFirst().contains("Exception"), lines.getFirst());
        String firstToken = input.strip().split("\\s+")[0];
        if (firstToken.length() >= 8) {
            assertFalse(lines.getFirst().contains(firstToken), "input echoed: " + lines.getFirst());
        }
    }
}
