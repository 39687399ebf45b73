package dev.platoon.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes a configuration in the form {@code wg-quick save} keeps and {@code wg showconf} prints:
 * canonical key names, one key per line, lists joined with ", ", hooks one line each. Defaults
 * (no ListenPort, FwMark off, keepalive off, ...) are left out. Parsing the output gives an equal
 * {@link WgConfig}.
 */
public final class ConfigWriter {
    private ConfigWriter() {}

    /** The text of a whole configuration. Contains the private key: treat it as a secret. */
    public static String write(WgConfig config) {
        StringBuilder out = new StringBuilder(256 + 200 * config.peers().size());
        InterfaceConfig i = config.iface();
        out.append("[Interface]\n");
        list(out, "Address", i.addresses().stream().map(InterfaceAddress::toString));
        list(out, "DNS", Stream.concat(i.dns().stream().map(IpLiteral::format), i.dnsSearch().stream()));
        i.mtu().ifPresent(m -> line(out, "MTU", Integer.toString(m)));
        i.table().ifPresent(t -> line(out, "Table", t.value()));
        hooks(out, "PreUp", i.preUp());
        hooks(out, "PostUp", i.postUp());
        hooks(out, "PreDown", i.preDown());
        hooks(out, "PostDown", i.postDown());
        if (i.saveConfig()) {
            line(out, "SaveConfig", "true");
        }
        i.listenPort().ifPresent(p -> line(out, "ListenPort", Integer.toString(p)));
        if (i.fwMark() != 0) {
            line(out, "FwMark", "0x" + Integer.toHexString(i.fwMark()));
        }
        i.privateKey().ifPresent(k -> line(out, "PrivateKey", k.toBase64()));
        for (PeerConfig p : config.peers()) {
            out.append("\n[Peer]\n");
            line(out, "PublicKey", p.publicKey().toBase64());
            p.presharedKey().ifPresent(k -> line(out, "PresharedKey", k.toBase64()));
            list(out, "AllowedIPs", p.allowedIps().stream().map(IpPrefix::toString));
            p.endpoint().ifPresent(e -> line(out, "Endpoint", e.toString()));
            if (p.persistentKeepalive() != 0) {
                line(out, "PersistentKeepalive", Integer.toString(p.persistentKeepalive()));
            }
        }
        return out.toString();
    }

    /** Only the wg(8) keys, like {@code wg-quick strip}: input for {@code wg setconf}/{@code syncconf}. */
    public static String writeStripped(WgConfig config) {
        return write(config.stripped());
    }

    /**
     * Writes {@code config} to {@code file} readable by its owner only (it holds a private key): a
     * temporary file made with mode 0600 in the same folder, then renamed over {@code file}.
     */
    public static void writeFile(WgConfig config, Path file) throws IOException {
        writeText(write(config), file);
    }

    /**
     * Writes {@code text} over {@code file} the same way: mode 0600, a temporary file in the same folder
     * renamed over it, so a reader sees the old file or the new one, never a part.
     */
    public static void writeText(String text, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(key).append(" = ").append(value).append('\n');
    }

    private static void list(StringBuilder out, String key, Stream<String> values) {
        String joined = values.collect(Collectors.joining(", "));
        if (!joined.isEmpty()) {
            line(out, key, joined);
        }
    }

    private static void hooks(StringBuilder out, String key, List<String> commands) {
        for (String command : commands) {
            line(out, key, command);
        }
    }
}
