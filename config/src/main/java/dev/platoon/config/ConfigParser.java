package dev.platoon.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads wg-quick and wg(8) configuration files.
 *
 * <p>The syntax is the union both tools accept: {@code [Interface]} and {@code [Peer]} sections,
 * {@code Key = value} lines with case-insensitive keys, {@code #} comments to the end of any line,
 * comma lists, and list keys that may repeat. Every problem is reported as {@code file:line: what};
 * a file with any problem gives no configuration.
 */
public final class ConfigParser {
    /** Larger than any sane configuration (thousands of peers); a bound so a wrong path cannot eat the heap. */
    static final long MAX_FILE_BYTES = 16 << 20;
    /** Stop collecting after this many errors: the first one is what the user fixes. */
    static final int MAX_ERRORS = 50;

    private enum Section { NONE, INTERFACE, PEER, IGNORED }

    private final String source;
    private final ParseMode mode;
    private final List<ConfigError> errors = new ArrayList<>();
    private InterfaceBuilder iface;
    private final List<PeerBuilder> peers = new ArrayList<>();
    private Section section = Section.NONE;
    /** Line where each single-valued key of the current section was first given. */
    private final Map<ConfigKey, Integer> firstLine = new EnumMap<>(ConfigKey.class);

    private ConfigParser(String source, ParseMode mode) {
        this.source = source;
        this.mode = mode;
    }

    /** Reads a wg-quick file; errors name the file as given in {@code file}. */
    public static WgConfig parse(Path file) throws ConfigException {
        return parse(file, ParseMode.WG_QUICK);
    }

    public static WgConfig parse(Path file, ParseMode mode) throws ConfigException {
        String name = file.toString();
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new ConfigException(new ConfigError(name, 0, "cannot read: " + describe(e)));
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(new ConfigError(name, 0, "larger than " + (MAX_FILE_BYTES >> 20)
                    + " MiB, not a configuration file"));
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        java.util.Arrays.fill(bytes, (byte) 0); // it held the private key
        return parse(text, name, mode);
    }

    /** Reads wg-quick text; {@code displayName} stands for the file in error messages. */
    public static WgConfig parse(String text, String displayName) throws ConfigException {
        return parse(text, displayName, ParseMode.WG_QUICK);
    }

    public static WgConfig parse(String text, String displayName, ParseMode mode) throws ConfigException {
        Objects.requireNonNull(text, "text");
        ConfigParser parser = new ConfigParser(Objects.requireNonNull(displayName, "displayName"),
                Objects.requireNonNull(mode, "mode"));
        return parser.run(text);
    }

    private WgConfig run(String text) throws ConfigException {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        int lineNo = 0;
        for (String raw : text.split("\r?\n|\r", -1)) {
            lineNo++;
            if (errors.size() >= MAX_ERRORS) {
                break;
            }
            line(raw, lineNo);
        }
        finish();
        if (!errors.isEmpty()) {
            errors.sort(Comparator.comparingInt(ConfigError::line)); // stable: same line keeps order
            throw new ConfigException(errors);
        }
        return new WgConfig(iface.build(), peers.stream().map(PeerBuilder::build).toList());
    }

    private void line(String raw, int lineNo) {
        int hash = raw.indexOf('#');
        String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
        if (line.isEmpty()) {
            return;
        }
        if (line.startsWith("[")) {
            header(line, lineNo);
            return;
        }
        int eq = line.indexOf('=');
        if (eq < 0) {
            // Not echoed: a stray line may well be a pasted key.
            error(lineNo, "expected \"Key = value\" or a [Section] header");
            return;
        }
        String name = line.substring(0, eq).strip();
        String value = line.substring(eq + 1).strip();
        keyValue(name, value, lineNo);
    }

    private void header(String line, int lineNo) {
        firstLine.clear();
        if (!line.endsWith("]")) {
            error(lineNo, "section header " + showableHeader(line) + " has no closing ']'");
            section = Section.IGNORED;
            return;
        }
        String name = line.substring(1, line.length() - 1).strip();
        if (name.equalsIgnoreCase("Interface")) {
            if (iface != null) {
                error(lineNo, "[Interface] is repeated (first on line " + iface.headerLine + ")");
                section = Section.IGNORED;
                return;
            }
            iface = new InterfaceBuilder(lineNo);
            section = Section.INTERFACE;
        } else if (name.equalsIgnoreCase("Peer")) {
            peers.add(new PeerBuilder(lineNo));
            section = Section.PEER;
        } else {
            error(lineNo, "unknown section " + showableHeader(line) + " (expected [Interface] or [Peer])");
            section = Section.IGNORED;
        }
    }

    private void keyValue(String name, String value, int lineNo) {
        ConfigKey key = ConfigKey.lookup(name);
        String shown = showableName(name);
        if (section == Section.IGNORED) {
            return; // the section header already has an error; its keys would only add noise
        }
        if (section == Section.NONE) {
            error(lineNo, shown + " is outside any section (expected [Interface] or [Peer] first)");
            return;
        }
        String here = section == Section.INTERFACE ? "[Interface]" : "[Peer]";
        if (key == null) {
            error(lineNo, "unknown key " + shown + " in " + here);
            return;
        }
        if (key.iface != (section == Section.INTERFACE)) {
            error(lineNo, key.canonical + " belongs in " + (key.iface ? "[Interface]" : "[Peer]") + ", not " + here);
            return;
        }
        if (key.wgQuickOnly && mode == ParseMode.WG) {
            error(lineNo, key.canonical + " is a wg-quick key, not valid in a wg(8) file");
            return;
        }
        if (!key.repeatable) {
            Integer first = firstLine.putIfAbsent(key, lineNo);
            if (first != null) {
                error(lineNo, key.canonical + " is given twice in " + here + " (first on line " + first + ")");
                return;
            }
            if (value.isEmpty()) {
                error(lineNo, key.canonical + ": empty value");
                return;
            }
        }
        try {
            if (section == Section.INTERFACE) {
                iface.apply(key, value);
            } else {
                peers.getLast().apply(key, value, lineNo);
            }
        } catch (IllegalArgumentException e) {
            error(lineNo, key.canonical + ": " + e.getMessage());
        }
    }

    /** The checks that need the whole file. */
    private void finish() {
        if (iface == null) {
            error(peers.isEmpty() ? 1 : peers.getFirst().headerLine, "no [Interface] section");
        }
        Map<WgKey, Integer> seen = new HashMap<>();
        for (PeerBuilder peer : peers) {
            if (peer.publicKeyLine == 0) {
                error(peer.headerLine, "[Peer] has no PublicKey");
                continue;
            }
            WgKey key = peer.publicKey();
            if (key == null) {
                continue; // a bad PublicKey already has its error
            }
            Integer first = seen.putIfAbsent(key, peer.publicKeyLine);
            if (first != null) {
                error(peer.publicKeyLine, "PublicKey: duplicate peer " + key.toBase64()
                        + " (same key as on line " + first + ")");
            }
        }
    }

    private void error(int lineNo, String message) {
        errors.add(new ConfigError(source, lineNo, message));
    }

    /**
     * A key name safe to echo: short and word-like. Anything else is not shown, because a line such as
     * "yAnz5TF+lXXJ...=" (a pasted private key) also splits at its '='.
     */
    private static String showableName(String name) {
        if (!name.isEmpty() && name.length() <= 32 && name.chars().allMatch(
                c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
            return "\"" + name + "\"";
        }
        return "(name not shown)";
    }

    /**
     * A section header safe to echo: a short word-like name in brackets. Anything else is not
     * shown, because a broken header line ("[Interface PrivateKey = yAnz...=") may hold a key.
     */
    private static String showableHeader(String line) {
        String name = line.substring(1, line.endsWith("]") ? line.length() - 1 : line.length()).strip();
        if (name.length() <= 32 && name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ' ')) {
            return Quote.of(line);
        }
        return "(name not shown)";
    }

    private static String describe(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return switch (e) {
            case java.nio.file.NoSuchFileException x -> "no such file";
            case java.nio.file.AccessDeniedException x -> "permission denied";
            default -> e.getMessage() == null ? kind : e.getMessage().lines().findFirst().orElse(kind);
        };
    }
}
