package dev.platoon.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Friendly names of peers, kept in a comment that wg-quick and wg ignore: a line
 * {@code # friendly_name = alice} inside a {@code [Peer]} section, the convention of
 * prometheus_wireguard_exporter ({@code -n FILE}), so the same file names peers for both.
 */
public final class PeerNames {
    /** The comment's key. */
    public static final String KEY = "friendly_name";
    /** What a name may hold: one line, no '#', no '=' and no quotes, so it survives every reader. */
    private static final Pattern VALID = Pattern.compile("[\\p{L}\\p{N} ._@+:()-]{1,64}");
    private static final Pattern COMMENT = Pattern.compile("^\\s*#\\s*" + KEY + "\\s*=\\s*(.*?)\\s*$");
    private static final Pattern PUBLIC_KEY = Pattern.compile("^\\s*PublicKey\\s*=\\s*([^#\\s]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern HEADER = Pattern.compile("^\\s*\\[([^]]*)]");

    private PeerNames() {
    }

    /** The comment line for {@code name} (checked with {@link #check}). */
    public static String comment(String name) {
        check(name);
        return "# " + KEY + " = " + name;
    }

    /** Throws IllegalArgumentException with one line when {@code name} cannot be a peer's name. */
    public static void check(String name) {
        if (name == null || !VALID.matcher(name).matches() || !name.strip().equals(name)) {
            throw new IllegalArgumentException("peer name " + Quote.of(String.valueOf(name))
                    + " must be 1-64 letters, digits, spaces or . _ @ + : ( ) - (no leading or trailing space)");
        }
    }

    /**
     * Every named peer of a configuration's text: base64 public key to name, in file order. A peer
     * without the comment, or a section without a PublicKey, has none. Never fails: a line it does not
     * understand is left to the parser that reads the file for real.
     */
    public static Map<String, String> read(String text) {
        Map<String, String> names = new LinkedHashMap<>();
        boolean inPeer = false;
        String name = null;
        String key = null;
        for (String line : text.split("\r?\n|\r", -1)) {
            Matcher h = HEADER.matcher(line);
            if (h.find()) {
                put(names, inPeer, key, name);
                inPeer = h.group(1).strip().equalsIgnoreCase("Peer");
                name = null;
                key = null;
                continue;
            }
            Matcher c = COMMENT.matcher(line);
            if (c.matches() && name == null && !c.group(1).isEmpty()) {
                name = c.group(1);
                continue;
            }
            Matcher k = PUBLIC_KEY.matcher(line);
            if (k.find() && key == null) {
                key = k.group(1);
            }
        }
        put(names, inPeer, key, name);
        return names;
    }

    private static void put(Map<String, String> names, boolean inPeer, String key, String name) {
        if (inPeer && key != null && name != null && !key.isEmpty()) {
            names.putIfAbsent(key, name);
        }
    }
}
