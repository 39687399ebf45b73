package dev.platoon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parsers for single values. Each throws IllegalArgumentException with a message that quotes the
 * value (never a key's text) and says what was expected; the parser adds file, line and key name.
 */
final class Values {
    private Values() {}

    /** Splits a comma list, trimming entries; empty entries are skipped or an error. */
    static List<String> list(String value, boolean allowEmptyEntries) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            String entry = part.strip();
            if (entry.isEmpty()) {
                if (!allowEmptyEntries && !value.isBlank()) {
                    throw new IllegalArgumentException("empty entry in list " + Quote.of(value));
                }
                continue;
            }
            out.add(entry);
        }
        return out;
    }

    static WgKey key(String value) {
        return WgKey.fromBase64(value);
    }

    static int port(String value) {
        long n = Numbers.parseDecimal(value);
        if (n < 0 || n > 65535) {
            throw new IllegalArgumentException(Quote.of(value) + " is not a valid port (0..65535)");
        }
        return (int) n;
    }

    static int fwMark(String value) {
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        long n = Numbers.parseDecimalOrHex(value);
        if (n < 0 || n > 0xffff_ffffL) {
            throw new IllegalArgumentException(Quote.of(value)
                    + " is not a valid fwmark (off, or a 32-bit number in decimal or 0x hex)");
        }
        return (int) n;
    }

    static int mtu(String value) {
        long n = Numbers.parseDecimal(value);
        if (n < InterfaceConfig.MIN_MTU || n > InterfaceConfig.MAX_MTU) {
            throw new IllegalArgumentException(Quote.of(value) + " is not a valid MTU ("
                    + InterfaceConfig.MIN_MTU + ".." + InterfaceConfig.MAX_MTU + ")");
        }
        return (int) n;
    }

    static int keepalive(String value) {
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        long n = Numbers.parseDecimal(value);
        if (n < 0 || n > PeerConfig.MAX_KEEPALIVE) {
            throw new IllegalArgumentException(Quote.of(value)
                    + " is not a valid keepalive (off, or 0.." + PeerConfig.MAX_KEEPALIVE + " seconds)");
        }
        return (int) n;
    }

    static boolean bool(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(Quote.of(value) + " is not true or false");
        };
    }

    /** The non-empty text of a hook command (commas are part of the command, not a list). */
    static String command(String value) {
        if (value.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return value;
    }
}
