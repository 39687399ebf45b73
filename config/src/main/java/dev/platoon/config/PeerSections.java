package dev.platoon.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Edits the {@code [Peer]} sections of a configuration's text in place, keeping everything else as the
 * operator wrote it (comments, order, spacing): append one section, or cut out the one with a given
 * public key. The caller parses the result before writing it, so an edit never leaves a file wg-quick
 * would refuse.
 */
public final class PeerSections {
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[([^]]*)]");
    private static final Pattern PUBLIC_KEY = Pattern.compile("^\\s*PublicKey\\s*=\\s*([^#\\s]*)", Pattern.CASE_INSENSITIVE);

    private PeerSections() {
    }

    /** {@code text} with {@code section} (starting with its {@code [Peer]} line) after one blank line. */
    public static String append(String text, String section) {
        StringBuilder out = new StringBuilder(text.length() + section.length() + 2).append(text);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            out.append('\n');
        }
        if (!text.isEmpty() && !text.endsWith("\n\n")) {
            out.append('\n');
        }
        out.append(section);
        if (!section.endsWith("\n")) {
            out.append('\n');
        }
        return out.toString();
    }

    /**
     * {@code text} without the {@code [Peer]} section whose PublicKey is {@code base64Key} (from its header
     * to the next header, with the blank lines before that header), or empty when there is none.
     */
    public static Optional<String> remove(String text, String base64Key) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        int start = -1;
        boolean match = false;
        for (int i = 0; i <= lines.size(); i++) {
            Matcher h = i < lines.size() ? HEADER.matcher(lines.get(i)) : null;
            if (i == lines.size() || h.find()) {
                if (match) {
                    int end = i; // exclusive; a section's own trailing blank lines go with it
                    if (end == lines.size()) { // the last section: the blank lines before it too
                        while (start > 0 && lines.get(start - 1).isBlank()) {
                            start--;
                        }
                    }
                    List<String> kept = new ArrayList<>(lines.subList(0, start));
                    kept.addAll(lines.subList(end, lines.size()));
                    String out = String.join("\n", kept);
                    return Optional.of(text.endsWith("\n") && !out.isEmpty() && !out.endsWith("\n") ? out + "\n" : out);
                }
                start = i;
                match = false;
                if (h != null && !h.group(1).strip().equalsIgnoreCase("Peer")) {
                    start = -1;
                }
                continue;
            }
            Matcher k = PUBLIC_KEY.matcher(lines.get(i));
            if (start >= 0 && k.find() && k.group(1).equals(base64Key)) {
                match = true;
            }
        }
        return Optional.empty();
    }
}
