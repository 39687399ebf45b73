package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.ConfigException;
import dev.platoon.config.ConfigParser;
import dev.platoon.config.ConfigWriter;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.PeerNames;
import dev.platoon.config.PeerSections;
import dev.platoon.config.WgConfig;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;
import dev.platoon.core.uapi.UapiSetRequest;
import dev.platoon.core.uapi.UapiSnapshot;

/**
 * {@code platoon peer add|remove|list}: onboarding clients on a server interface. The file is the
 * truth: an edit is written over it atomically (mode 0600) and then applied to the running interface
 * through its control socket as one peer change, so the other peers' sessions are not touched. When the
 * running interface refuses the change the file is put back, so the two never disagree. Edits of one
 * interface are serialised by a lock in the run folder.
 */
final class PeerCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("peer",
                    "The clients of a server interface: add (keys, tunnel address, QR code), remove, list.")
            .details("'peer add NAME' makes the client's keys and a preshared key, takes the next free tunnel"
                            + " address from the interface's Address subnets, appends the [Peer] to the file (named"
                            + " by a '# friendly_name = NAME' comment), applies it to the running interface and"
                            + " prints the client's wg-quick file.",
                    "'peer remove NAME|PUBLIC_KEY' takes it out of the file and the running interface;"
                            + " 'peer list' shows every peer with its name, addresses and latest handshake;"
                            + " 'peer qr FILE' prints a client's file as a QR code again (--png: as a picture).")
            .param("ACTION", true, "add, remove, list or qr")
            .param("NAME", false, "The client's name (add), its name or public key (remove), a client file (qr).")
            .option(OptionSpec.text("--interface", "NAME|CONFIG",
                    "The server interface: a NAME in /etc/platoon or /etc/wireguard, or a file (default wg0)."))
            .option(OptionSpec.text("--endpoint", "HOST[:PORT]",
                    "Where clients reach the server (default $PLATOON_ENDPOINT; PORT defaults to ListenPort)."))
            .option(OptionSpec.text("--address", "ADDR[,ADDR]",
                    "The client's tunnel addresses instead of the next free ones."))
            .option(OptionSpec.text("--dns", "ADDR[,ADDR]", "DNS servers for the client's file."))
            .option(OptionSpec.text("--allowed-ips", "CIDR[,CIDR]",
                    "What the client sends through the tunnel (default 0.0.0.0/0, ::/0: everything)."))
            .option(OptionSpec.number("--keepalive", "SECONDS", 0, 65535,
                    "The client's PersistentKeepalive (default 25, for clients behind NAT; 0 = off)."))
            .option(OptionSpec.flag("--qr", "Also print the client's file as a QR code for the phone apps."))
            .option(OptionSpec.text("--qr-png", "FILE",
                    "Also write the client's file as a QR code to FILE, a PNG (mode 0600: it holds the key)."))
            .option(OptionSpec.text("--png", "FILE",
                    "peer qr: write the QR code to FILE, a PNG (mode 0600), instead of the terminal."))
            .option(OptionSpec.text("--out", "FILE",
                    "Write the client's file there (mode 0600) instead of printing it."));

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception {
        String action = args.param(0);
        if (action.equals("qr")) {
            if (args.param(1) == null) {
                throw new UsageException(SPEC, "peer qr needs a client FILE");
            }
            return qr(args.param(1), args.text("--png"), out, err);
        }
        Path file = InterfaceFiles.resolveConfig(args.text("--interface") == null ? "wg0" : args.text("--interface"));
        String iface = InterfaceFiles.interfaceName(file);
        switch (action) {
            case "add", "remove" -> {
                if (args.param(1) == null) {
                    throw new UsageException(SPEC, "peer " + action + " needs a NAME");
                }
                try (FileChannel lock = lock(iface)) {
                    return action.equals("add") ? PeerAdd.run(args, file, iface, out, err)
                            : remove(args.param(1), file, iface, err);
                }
            }
            case "list" -> {
                return list(file, iface, out, err);
            }
            default -> throw new UsageException(SPEC, "unknown action '" + action + "' (add, remove, list or qr)");
        }
    }

    /** The file's text and what wg-quick reads in it; errors are printed and give empty. */
    static Optional<Map.Entry<String, WgConfig>> read(Path file, PrintWriter err) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        try {
            return Optional.of(Map.entry(text, ConfigParser.parse(text, file.toString())));
        } catch (ConfigException e) {
            ConfigFiles.printErrors(e, err);
            return Optional.empty();
        }
    }

    /**
     * Writes {@code edited} over the file, then applies {@code change} to the running interface; when the
     * interface refuses, the old text goes back. Returns a few words on where the change took effect.
     */
    static String commit(Path file, String iface, String old, String edited, UapiSetRequest.PeerChange change)
            throws IOException, UapiException {
        try {
            ConfigParser.parse(edited, file.toString()); // an edit never leaves a file wg-quick refuses
        } catch (ConfigException e) {
            throw new IllegalStateException("the edited file would not parse: " + e.getMessage(), e);
        }
        ConfigWriter.writeText(edited, file);
        UapiClient client;
        try {
            client = UapiClient.connect(iface);
        } catch (IOException notUp) {
            return file + " (" + iface + " is not up: the change applies when it comes up)";
        }
        try (client) {
            client.set(new UapiSetRequest(null, java.util.OptionalInt.empty(), java.util.OptionalLong.empty(), false,
                    List.of(change)));
        } catch (IOException | UapiException e) {
            ConfigWriter.writeText(old, file);
            throw e;
        }
        return file + " and the running " + iface;
    }

    private static int remove(String who, Path file, String iface, PrintWriter err) throws Exception {
        var read = read(file, err);
        if (read.isEmpty()) {
            return 1;
        }
        String text = read.get().getKey();
        Map<String, String> names = PeerNames.read(text);
        String key = names.entrySet().stream().filter(e -> e.getValue().equals(who)).map(Map.Entry::getKey)
                .findFirst().orElse(who);
        Optional<PeerConfig> peer = read.get().getValue().peers().stream()
                .filter(p -> p.publicKey().toBase64().equals(key)).findFirst();
        Optional<String> edited = PeerSections.remove(text, key);
        if (peer.isEmpty() || edited.isEmpty()) {
            err.println("platoon: " + file + " has no peer named or keyed '" + who + "'");
            return 1;
        }
        String where;
        try {
            where = commit(file, iface, text, edited.get(),
                    UapiSetRequest.PeerChange.removal(peer.get().publicKey().bytes()));
        } catch (UapiException e) {
            err.println("platoon: " + iface + " refused to remove the peer (" + e.getMessage() + "); " + file
                    + " is unchanged");
            return 1;
        }
        err.println("platoon: removed peer " + names.getOrDefault(key, key) + " from " + where);
        return 0;
    }

    private static int list(Path file, String iface, PrintWriter out, PrintWriter err) throws IOException {
        var read = read(file, err);
        if (read.isEmpty()) {
            return 1;
        }
        Map<String, String> names = PeerNames.read(read.get().getKey());
        Map<String, UapiSnapshot.Peer> live = new HashMap<>();
        boolean up = false;
        try (UapiClient client = UapiClient.connect(iface)) {
            for (UapiSnapshot.Peer p : client.get().peers()) {
                live.put(java.util.Base64.getEncoder().encodeToString(p.publicKey()), p);
            }
            up = true;
        } catch (IOException | UapiException e) {
            // not up: the file alone
        }
        out.printf("%-16s %-44s %-32s %s%n", "NAME", "PUBLIC KEY", "ALLOWED IPS",
                up ? "LATEST HANDSHAKE, TRANSFER" : "(" + iface + " is not up)");
        long now = Instant.now().getEpochSecond();
        for (PeerConfig p : read.get().getValue().peers()) {
            String key = p.publicKey().toBase64();
            String ips = p.allowedIps().stream().map(IpPrefix::toString).collect(Collectors.joining(", "));
            UapiSnapshot.Peer l = live.get(key);
            String state = !up ? "" : l == null ? "not running"
                    : (l.lastHandshakeTimeSec() == 0 ? "never" : (now - l.lastHandshakeTimeSec()) + " s ago")
                    + ", " + l.rxBytes() + " B received, " + l.txBytes() + " B sent";
            out.printf("%-16s %-44s %-32s %s%n", names.getOrDefault(key, "-"), key, ips, state);
        }
        return 0;
    }

    /**
     * The QR code of a client's file, which must be one wg-quick reads; its keys go to the terminal, or to
     * a PNG only its owner can read.
     */
    private static int qr(String path, String png, PrintWriter out, PrintWriter err) throws IOException {
        Path client = Path.of(path);
        if (png != null) {
            PeerAdd.checkTarget("--png", png);
        }
        var read = read(client, err);
        if (read.isEmpty()) {
            return 1;
        }
        if (png != null) {
            QrPng.write(read.get().getKey(), Path.of(png));
            err.println("platoon: the QR code of " + path + " is " + png + " (mode 0600)");
        } else {
            PeerAdd.printQr(QrText.render(read.get().getKey()), out);
        }
        return 0;
    }

    /** An exclusive lock on {@code /run/platoon/NAME.peers.lock}, waited for. */
    private static FileChannel lock(String iface) throws IOException {
        Path dir = InterfaceFiles.system().runDir();
        Files.createDirectories(dir);
        FileChannel ch = FileChannel.open(dir.resolve(iface + ".peers.lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            ch.lock();
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return ch;
    }
}
