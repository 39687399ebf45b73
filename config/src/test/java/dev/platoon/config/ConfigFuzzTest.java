package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzz target for the configuration parser. The input's first byte picks the mode
 * (wg-quick or wg(8)); the rest is the file, decoded as UTF-8 like a file read from disk.
 *
 * <p>Oracles beyond "no exception": the parser throws only {@link ConfigException}, whose errors
 * are each one line naming the file and a line in it, and never contain the private key; and what it accepts
 * round-trips: parse, write, parse gives an equal configuration, and writing that again gives the
 * same text. Seeds and every crasher are under {@code ConfigFuzzTestInputs/configText}.
 */
class ConfigFuzzTest {
    private static final String NAME = "fuzz.conf";

    @FuzzTest(maxDuration = "10s")
    void configText(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ParseMode mode = (input[0] & 1) == 0 ? ParseMode.WG_QUICK : ParseMode.WG;
        String text = new String(input, 1, input.length - 1, StandardCharsets.UTF_8);
        WgConfig config;
        try {
            config = ConfigParser.parse(text, NAME, mode);
        } catch (ConfigException e) {
            checkRefusal(e, text);
            return;
        }
        String written = ConfigWriter.write(config);
        WgConfig again;
        try {
            again = ConfigParser.parse(written, "written", mode);
        } catch (ConfigException e) {
            throw new AssertionError("the writer's output does not parse: " + e.getMessage() + "\n" + written, e);
        }
        assertEquals(config, again, "parse, write, parse gives the same configuration");
        assertEquals(written, ConfigWriter.write(again), "writing is stable");
    }

    private static void checkRefusal(ConfigException e, String text) {
        String message = e.getMessage();
        assertFalse(e.errors().isEmpty());
        assertEquals(e.errors().getFirst().toString(), message);
        assertTrue(e.errors().size() <= ConfigParser.MAX_ERRORS + 1, "errors are bounded");
        String key = privateKey(text);
        String[] lines = text.split("\r?\n|\r", -1);
        for (ConfigError error : e.errors()) {
            assertEquals(NAME, error.source());
            assertTrue(error.line() >= 1 && error.line() <= lines.length, () -> "line inside the file: " + error);
            assertTrue(oneLine(error.message()), () -> "not one line: " + error);
            if (key != null && secretPlace(lines[error.line() - 1], key)) {
                assertFalse(error.message().contains(key), () -> "the private key is echoed: " + error);
            }
        }
    }

    /**
     * True when {@code key} stands on this line where the parser promises not to echo it: as the
     * value of a PrivateKey or PresharedKey, in a section header, in a key name, or on a line with
     * no '=' (a pasted key). A key typed into another key's value is echoed with that value.
     */
    private static boolean secretPlace(String line, String key) {
        int eq = line.indexOf('=');
        String name = (eq < 0 ? line : line.substring(0, eq)).strip();
        return name.contains(key) || name.startsWith("[") || name.equalsIgnoreCase("PrivateKey")
                || name.equalsIgnoreCase("PresharedKey");
    }

    /** Non-empty, and nothing a terminal or a log takes for a line break. */
    private static boolean oneLine(String m) {
        return !m.isBlank() && m.chars().noneMatch(c -> c == '\n' || c == '\r' || c == 0x85 || c == 0x2028 || c == 0x2029);
    }

    /** The value of the first {@code PrivateKey =} line when it looks like a key (44 base64 characters). */
    private static String privateKey(String text) {
        for (String line : text.split("\r?\n|\r")) {
            int eq = line.indexOf('=');
            if (eq > 0 && line.substring(0, eq).strip().equalsIgnoreCase("PrivateKey")) {
                String v = line.substring(eq + 1).strip();
                int hash = v.indexOf('#');
                v = (hash >= 0 ? v.substring(0, hash) : v).strip();
                return v.length() == 44 && v.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                        || (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '=') ? v : null;
            }
        }
        return null;
    }
}
