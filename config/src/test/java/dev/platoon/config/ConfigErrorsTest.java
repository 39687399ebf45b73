package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every error names file:line and what is wrong, in one line, and yields no configuration. */
class ConfigErrorsTest {
    static final String P = TestKeys.PRIVATE;
    static final String K1 = TestKeys.PEER1;

    /** Lines 1-2 are a valid [Interface]; {@code tail} starts at line 3. */
    static String withInterface(String tail) {
        return "[Interface]\nPrivateKey = " + P + "\n" + tail;
    }

    /** Lines 1-2 [Interface], 3 [Peer], 4 PublicKey; {@code tail} starts at line 5. */
    static String withPeer(String tail) {
        return withInterface("[Peer]\nPublicKey = " + K1 + "\n" + tail);
    }

    static String error(String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(text, "wg0.conf"));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        assertFalse(e.getMessage().contains(P), "no private key in: " + e.getMessage());
        assertEquals(e.getMessage(), e.errors().getFirst().toString());
        return e.getMessage();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            AllowedIPs = 10.0.0.0/33       | wg0.conf:5: AllowedIPs: "10.0.0.0/33" is not a valid CIDR (prefix > 32)
            AllowedIPs = fd00::/129        | wg0.conf:5: AllowedIPs: "fd00::/129" is not a valid CIDR (prefix > 128)
            AllowedIPs = 10.0.0.0/x        | wg0.conf:5: AllowedIPs: "10.0.0.0/x" is not a valid CIDR (bad prefix)
            AllowedIPs = 10.0.0/24         | wg0.conf:5: AllowedIPs: "10.0.0/24" is not a valid CIDR (bad address)
            AllowedIPs = example.com/32    | wg0.conf:5: AllowedIPs: "example.com/32" is not a valid CIDR (bad address)
            AllowedIPs = 10.0.0.0/8,       | wg0.conf:5: AllowedIPs: empty entry in list "10.0.0.0/8,"
            Endpoint = 192.0.2.1:0         | wg0.conf:5: Endpoint: "192.0.2.1:0" is not a valid endpoint (port out of range 1..65535)
            Endpoint = 192.0.2.1:65536     | wg0.conf:5: Endpoint: "192.0.2.1:65536" is not a valid endpoint (port out of range 1..65535)
            Endpoint = 192.0.2.1           | wg0.conf:5: Endpoint: "192.0.2.1" is not a valid endpoint (missing :port)
            Endpoint = 192.0.2.1:http      | wg0.conf:5: Endpoint: "192.0.2.1:http" is not a valid endpoint (port is not a number)
            Endpoint = fd00::1:51820       | wg0.conf:5: Endpoint: "fd00::1:51820" is not a valid endpoint (write an IPv6 address as [address]:port)
            Endpoint = [fd00::g]:51820     | wg0.conf:5: Endpoint: "[fd00::g]:51820" is not a valid endpoint (bad IPv6 address)
            Endpoint = [fd00::1]51820      | wg0.conf:5: Endpoint: "[fd00::1]51820" is not a valid endpoint (expected [address]:port)
            Endpoint = 192.0.2.300:1       | wg0.conf:5: Endpoint: "192.0.2.300:1" is not a valid endpoint (bad IPv4 address)
            Endpoint = bad_host!:1         | wg0.conf:5: Endpoint: "bad_host!:1" is not a valid endpoint (bad host name)
            PersistentKeepalive = 65536    | wg0.conf:5: PersistentKeepalive: "65536" is not a valid keepalive (off, or 0..65535 seconds)
            PersistentKeepalive = -1       | wg0.conf:5: PersistentKeepalive: "-1" is not a valid keepalive (off, or 0..65535 seconds)
            PersistentKeepalive = always   | wg0.conf:5: PersistentKeepalive: "always" is not a valid keepalive (off, or 0..65535 seconds)
            PersistentKeepalive =          | wg0.conf:5: PersistentKeepalive: empty value
            PresharedKey = ab!c            | wg0.conf:5: PresharedKey: not valid base64 (a key is 44 base64 characters)
            PresharedKey = AAAA            | wg0.conf:5: PresharedKey: key is 3 bytes, expected 32 (44 base64 characters)
            ListenPort = 1                 | wg0.conf:5: ListenPort belongs in [Interface], not [Peer]
            Foo = bar                      | wg0.conf:5: unknown key "Foo" in [Peer]
            PublicKey = TrMvSoP4jYQlY6RIzBgbssQqY3vxI2Pi+y71lOWWXX0= | wg0.conf:5: PublicKey is given twice in [Peer] (first on line 4)
            Endpoint = 192.0.2.1:1 ## x    | -
            """)
    void peerErrors(String line, String expected) throws Exception {
        if (expected.equals("-")) {
            ConfigParser.parse(withPeer(line + "\n"), "wg0.conf"); // a control: no error
            return;
        }
        assertEquals(expected, error(withPeer(line + "\n")));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ListenPort = 65536            | wg0.conf:3: ListenPort: "65536" is not a valid port (0..65535)
            ListenPort = -5               | wg0.conf:3: ListenPort: "-5" is not a valid port (0..65535)
            ListenPort = 51820 51821      | wg0.conf:3: ListenPort: "51820 51821" is not a valid port (0..65535)
            MTU = 67                      | wg0.conf:3: MTU: "67" is not a valid MTU (68..65535)
            MTU = 65536                   | wg0.conf:3: MTU: "65536" is not a valid MTU (68..65535)
            MTU = big                     | wg0.conf:3: MTU: "big" is not a valid MTU (68..65535)
            FwMark = 0x100000000          | wg0.conf:3: FwMark: "0x100000000" is not a valid fwmark (off, or a 32-bit number in decimal or 0x hex)
            FwMark = 4294967296           | wg0.conf:3: FwMark: "4294967296" is not a valid fwmark (off, or a 32-bit number in decimal or 0x hex)
            FwMark = 0xzz                 | wg0.conf:3: FwMark: "0xzz" is not a valid fwmark (off, or a 32-bit number in decimal or 0x hex)
            Table = 4294967296            | wg0.conf:3: Table: "4294967296" is not a valid table (number out of range 0..4294967295)
            Table = my table              | wg0.conf:3: Table: "my table" is not a valid table (off, auto, a number or a name)
            Address = 10.0.0.300/24       | wg0.conf:3: Address: "10.0.0.300/24" is not a valid IP address
            Address = 10.0.0.1/40         | wg0.conf:3: Address: "10.0.0.1/40" is not a valid address/prefix (prefix > 32)
            Address = host.example/24     | wg0.conf:3: Address: "host.example/24" is not a valid IP address
            DNS = 10.0.0.256              | wg0.conf:3: DNS: "10.0.0.256" is not a valid IP address
            DNS = fd00::zz                | wg0.conf:3: DNS: "fd00::zz" is not a valid IP address
            DNS = bad domain!             | wg0.conf:3: DNS: "bad domain!" is neither an IP address nor a search domain
            SaveConfig = yes              | wg0.conf:3: SaveConfig: "yes" is not true or false
            PostUp =                      | wg0.conf:3: PostUp: empty command
            PrivateKey = %s               | wg0.conf:3: PrivateKey is given twice in [Interface] (first on line 2)
            PublicKey = %s                | wg0.conf:3: PublicKey belongs in [Peer], not [Interface]
            Frobnicate = 1                | wg0.conf:3: unknown key "Frobnicate" in [Interface]
            just some words               | wg0.conf:3: expected "Key = value" or a [Section] header
            [Peers]                       | wg0.conf:3: unknown section "[Peers]" (expected [Interface] or [Peer])
            [Peer                         | wg0.conf:3: section header "[Peer" has no closing ']'
            [Interface]                   | wg0.conf:3: [Interface] is repeated (first on line 1)
            [Peer]                        | wg0.conf:3: [Peer] has no PublicKey
            """)
    void interfaceErrors(String line, String expected) {
        assertEquals(expected, error(withInterface(line.formatted(P) + "\n")));
    }

    @Test
    void badPrivateKeysAreNeverEchoed() {
        String bad = P.substring(0, 40) + "!!!=";
        String m = error("[Interface]\nPrivateKey = " + bad + "\n");
        assertEquals("wg0.conf:2: PrivateKey: not valid base64 (a key is 44 base64 characters)", m);
        assertFalse(m.contains(P.substring(0, 40)));

        String shortKey = Base64.getEncoder().encodeToString(new byte[31]);
        assertEquals("wg0.conf:2: PrivateKey: key is 31 bytes, expected 32 (44 base64 characters)",
                error("[Interface]\nPrivateKey = " + shortKey + "\n"));
        String longKey = Base64.getEncoder().encodeToString(new byte[33]);
        assertEquals("wg0.conf:2: PrivateKey: key is 33 bytes, expected 32 (44 base64 characters)",
                error("[Interface]\nPrivateKey = " + longKey + "\n"));
        // Non-canonical: the low bits of the 43rd character must be zero, as wg(8) insists.
        String nonCanonical = P.substring(0, 42) + "n=";
        assertEquals("wg0.conf:2: PrivateKey: not a canonical base64 key",
                error("[Interface]\nPrivateKey = " + nonCanonical + "\n"));

        // A key pasted on a line of its own splits at its trailing '=': the "name" is not shown.
        assertEquals("wg0.conf:3: unknown key (name not shown) in [Interface]", error(withInterface(P + "\n")));
        assertEquals("wg0.conf:3: expected \"Key = value\" or a [Section] header",
                error(withInterface(P.substring(0, 43) + "\n")));
    }

    @Test
    void structuralErrors() {
        assertEquals("wg0.conf:1: \"PrivateKey\" is outside any section (expected [Interface] or [Peer] first)",
                error("PrivateKey = " + P + "\n[Interface]\nPrivateKey = " + P + "\n"));
        assertEquals("wg0.conf:1: no [Interface] section", error(""));
        assertEquals("wg0.conf:2: no [Interface] section", error("# only a peer\n[Peer]\nPublicKey = " + K1 + "\n"));
        assertEquals("wg0.conf:5: [Peer] has no PublicKey",
                error(withPeer("[Peer]\nAllowedIPs = 10.0.0.0/8\n")));
        assertEquals("wg0.conf:8: PublicKey: duplicate peer " + K1 + " (same key as on line 4)",
                error(withPeer("AllowedIPs = 10.0.0.0/24\n\n[Peer]\npublickey = " + K1 + "\n")));
    }

    @Test
    void wgModeRefusesWgQuickKeys() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(
                "[Interface]\nListenPort = 1\nAddress = 10.0.0.1/24\n", "wg0.conf", ParseMode.WG));
        assertEquals("wg0.conf:3: Address is a wg-quick key, not valid in a wg(8) file", e.getMessage());
    }

    @Test
    void allErrorsAreCollectedInLineOrderAndTheFirstStandsAlone() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse("""
                [Interface]
                ListenPort = 99999
                [Peer]
                AllowedIPs = 10.0.0.0/33
                [Bogus]
                Whatever = 1
                [Peer]
                PublicKey = %s
                Endpoint = nowhere
                """.formatted(K1), "wg0.conf"));
        assertEquals("""
                wg0.conf:2: ListenPort: "99999" is not a valid port (0..65535)
                wg0.conf:3: [Peer] has no PublicKey
                wg0.conf:4: AllowedIPs: "10.0.0.0/33" is not a valid CIDR (prefix > 32)
                wg0.conf:5: unknown section "[Bogus]" (expected [Interface] or [Peer])
                wg0.conf:9: Endpoint: "nowhere" is not a valid endpoint (missing :port)""", e.allMessages());
        assertEquals("wg0.conf:2: ListenPort: \"99999\" is not a valid port (0..65535)", e.getMessage());
        assertEquals(5, e.errors().size());
        assertEquals(9, e.errors().getLast().line());
    }

    @Test
    void controlCharactersAndLongValuesStayOnOneLine() {
        String m = error(withInterface("MTU = 1\u001b[2J" + "9".repeat(100) + "\n"));
        assertTrue(m.startsWith("wg0.conf:3: MTU: \"1\\x1b[2J999"), m);
        assertTrue(m.contains("...\""), m);
    }

    @Test
    void unreadableFileIsOneLine(@TempDir Path dir) {
        Path missing = dir.resolve("wg9.conf");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigParser.parse(missing));
        assertEquals(missing + ": cannot read: no such file", e.getMessage());
    }
}
