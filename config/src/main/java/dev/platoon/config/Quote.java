package dev.platoon.config;

/** Quoting of user text inside one-line error messages. */
final class Quote {
    private static final int MAX = 64;

    private Quote() {}

    /** {@code "text"}, cut to 64 characters and with control characters escaped, so a message stays one line. */
    static String of(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            if (i == MAX) {
                sb.append("...");
                break;
            }
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
