package dev.platoon.config;

/** Quoting of user text inside one-line error messages. */
final class Quote {
    private static final int MAX = 64;

    private Quote() {}

    /**
     * {@code "text"}, cut to 64 characters and with control characters and line separators escaped,
     * so a message stays one line.
     */
    static String of(String text) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), MAX) + 8).append('"');
        for (int i = 0; i < text.length(); i++) {
            if (i == MAX) {
                sb.append("...");
                break;
            }
            char c = text.charAt(i);
            if (Character.isISOControl(c)) { // C0, DEL and C1, which holds NEL (U+0085)
                sb.append(String.format("\\x%02x", (int) c));
            } else if (c == '\u2028' || c == '\u2029') { // line and paragraph separators
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
