package dev.platoon.config;

import java.util.Locale;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * wg-quick's {@code Table}: {@code off} (add no routes), {@code auto} (the default: main table, or a
 * table of its own for a default route), a table number, or a table name from rt_tables.
 */
public record RouteTable(String value) {
    public static final RouteTable OFF = new RouteTable("off");
    public static final RouteTable AUTO = new RouteTable("auto");

    public RouteTable {
        Objects.requireNonNull(value, "value");
        String lower = value.toLowerCase(Locale.ROOT);
        if (lower.equals("off") || lower.equals("auto")) {
            value = lower;
        } else if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            long n = Numbers.parseDecimal(value);
            if (n < 0 || n > 0xffff_ffffL) {
                throw new IllegalArgumentException(Quote.of(value) + " is not a valid table (number out of range 0..4294967295)");
            }
            value = Long.toString(n);
        } else if (!isName(value)) {
            throw new IllegalArgumentException(Quote.of(value) + " is not a valid table (off, auto, a number or a name)");
        }
    }

    public static RouteTable parse(String text) {
        return new RouteTable(text);
    }

    public boolean isOff() {
        return value.equals("off");
    }

    public boolean isAuto() {
        return value.equals("auto");
    }

    /** The table number, when the value is one. */
    public OptionalLong number() {
        long n = Numbers.parseDecimal(value);
        return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
    }

    @Override
    public String toString() {
        return value;
    }

    private static boolean isName(String s) {
        if (s.isEmpty() || s.length() > 64) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '_' || c == '.';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
