package dev.platoon.config;

/** Number parsing for configuration values, without Long.parseLong's signs and non-ASCII digits. */
final class Numbers {
    private Numbers() {}

    /** Plain ASCII decimal (at most 10 digits), or -1 when {@code text} is not one. */
    static long parseDecimal(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** {@code 0x}-prefixed hexadecimal (at most 8 digits) or decimal, or -1 when neither. */
    static long parseDecimalOrHex(String text) {
        if (text.length() > 2 && (text.startsWith("0x") || text.startsWith("0X"))) {
            if (text.length() > 10) {
                return -1;
            }
            long value = 0;
            for (int i = 2; i < text.length(); i++) {
                int d = Character.digit(text.charAt(i), 16);
                if (d < 0 || text.charAt(i) > 'f') {
                    return -1;
                }
                value = (value << 4) | d;
            }
            return value;
        }
        return parseDecimal(text);
    }
}
