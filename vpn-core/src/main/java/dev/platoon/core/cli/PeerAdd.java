package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.ConfigException;
import dev.platoon.config.ConfigParser;
import dev.platoon.config.ConfigWriter;
import dev.platoon.config.Endpoint;
import dev.platoon.config.IpLiteral;
import dev.platoon.config.PeerNames;
import dev.platoon.config.PeerSections;
import dev.platoon.config.WgConfig;
import dev.platoon.config.IpPrefix;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;
import dev.platoon.core.uapi.UapiSetRequest;
import dev.platoon.crypto.Keys;

/**
 * {@code platoon peer add NAME}: everything is checked and made (keys, address, both files' text)
 * before anything is written, so a bad option leaves the server file as it was. The server's private
 * key is only read to derive its public key for the client's file; it is never printed.
 */
final class PeerAdd {
    static final String FULL_TUNNEL = "0.0.0.0/0, ::/0";
    static final int DEFAULT_KEEPALIVE = 25;

    private PeerAdd() {
    }

    static int run(ParsedArgs args, Path file, String iface, PrintWriter out, PrintWriter err) throws Exception {
        String name = args.param(1);
        PeerNames.check(name);
        var read = PeerCommand.read(file, err);
        if (read.isEmpty()) {
            return 1;
        }
        String text = read.get().getKey();
        WgConfig server = read.get().getValue();
        if (PeerNames.read(text).containsValue(name)) {
            err.println("platoon: " + file + " already has a peer named '" + name + "'");
            return 1;
        }
        String endpoint = endpoint(args.text("--endpoint") != null ? args.text("--endpoint")
                : System.getenv("PLATOON_ENDPOINT"), server);
        List<IpPrefix> addresses = args.text("--address") != null ? PeerAddresses.given(server, args.text("--address"))
                : PeerAddresses.next(server, file.toString());
        String allowed = list("--allowed-ips", args.text("--allowed-ips") == null ? FULL_TUNNEL : args.text("--allowed-ips"),
                s -> IpPrefix.parse(s).toString());
        String dns = args.text("--dns") == null ? null : list("--dns", args.text("--dns"), PeerAdd::dnsEntry);
        int keepalive = args.integer("--keepalive", DEFAULT_KEEPALIVE);
        byte[] serverPublic = serverPublicKey(server, iface, file);
        checkTarget("--out", args.text("--out"));
        checkTarget("--qr-png", args.text("--qr-png"));

        byte[] clientPrivate = Keys.generatePrivateKey();
        byte[] psk = Keys.generatePresharedKey();
        try {
            String publicKey = Keys.toBase64(Keys.publicKey(clientPrivate));
            String ips = addresses.stream().map(IpPrefix::toString).collect(Collectors.joining(", "));
            String section = "[Peer]\n" + PeerNames.comment(name) + "\nPublicKey = " + publicKey
                    + "\nPresharedKey = " + Keys.toBase64(psk) + "\nAllowedIPs = " + ips + "\n";
            String client = "[Interface]\n"
                    + "PrivateKey = " + Keys.toBase64(clientPrivate) + "\n"
                    + "Address = " + ips + "\n"
                    + (dns == null ? "" : "DNS = " + dns + "\n")
                    + "\n[Peer]\n"
                    + "PublicKey = " + Keys.toBase64(serverPublic) + "\n"
                    + "PresharedKey = " + Keys.toBase64(psk) + "\n"
                    + "AllowedIPs = " + allowed + "\n"
                    + "Endpoint = " + endpoint + "\n"
                    + (keepalive == 0 ? "" : "PersistentKeepalive = " + keepalive + "\n");
            ConfigParser.parse(client, "the client's file"); // the options made a file wg-quick reads
            List<UapiSetRequest.AllowedIpChange> changes = new ArrayList<>();
            for (IpPrefix c : addresses) {
                changes.add(new UapiSetRequest.AllowedIpChange(c, false));
            }
            UapiSetRequest.PeerChange change = new UapiSetRequest.PeerChange(Keys.publicKey(clientPrivate), false,
                    false, psk.clone(), null, OptionalInt.empty(), false, changes);
            String where;
            try {
                where = PeerCommand.commit(file, iface, text, PeerSections.append(text, section), change);
            } catch (UapiException e) {
                err.println("platoon: " + iface + " refused the new peer (" + e.getMessage() + "); " + file
                        + " is unchanged");
                return 1;
            }
            err.println("platoon: added peer " + name + " (" + ips + ", public key " + publicKey + ") to " + where);
            String outFile = args.text("--out");
            if (outFile != null) {
                ConfigWriter.writeText(client, Path.of(outFile));
                err.println("platoon: the client's file is " + outFile + " (mode 0600)");
            } else {
                out.print(client);
            }
            if (args.flag("--qr")) {
                printQr(QrText.render(client), out);
            }
            if (args.text("--qr-png") != null) {
                QrPng.write(client, Path.of(args.text("--qr-png")));
                err.println("platoon: the client's QR code is " + args.text("--qr-png") + " (mode 0600)");
            }
            out.flush();
            return 0;
        } catch (ConfigException e) {
            err.println("platoon: the client's file would not parse: " + e.getMessage());
            return 1;
        } finally {
            Arrays.fill(clientPrivate, (byte) 0);
            Arrays.fill(psk, (byte) 0);
        }
    }

    /**
     * The half blocks in UTF-8 even where standard output's charset cannot say them (LANG unset, as in
     * most containers, gives US-ASCII and a QR code of question marks): the bytes go out as they are.
     */
    static void printQr(String qr, PrintWriter out) {
        if (System.out.charset().newEncoder().canEncode(qr)) {
            out.print(qr);
            return;
        }
        out.flush();
        byte[] utf8 = qr.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        System.out.write(utf8, 0, utf8.length);
        System.out.flush();
    }

    /**
     * A file the client's key will be written to must go into a folder that exists, and must not be a
     * folder: checked before the peer is added, so a typo does not leave a peer whose file went nowhere.
     */
    static void checkTarget(String option, String value) {
        if (value == null) {
            return;
        }
        Path target = Path.of(value).toAbsolutePath();
        if (java.nio.file.Files.isDirectory(target)) {
            throw new IllegalArgumentException(option + " " + value + " is a folder: give a file name");
        }
        if (!java.nio.file.Files.isDirectory(target.getParent())) {
            throw new IllegalArgumentException(option + " " + value + ": no folder " + target.getParent());
        }
    }

    /** {@code HOST[:PORT]} with the server's ListenPort when no port is given. */
    static String endpoint(String given, WgConfig server) {
        if (given == null || given.isBlank()) {
            throw new IllegalArgumentException("peer add needs --endpoint HOST[:PORT] (or PLATOON_ENDPOINT):"
                    + " where clients reach this server");
        }
        String text = given.strip();
        boolean bareV6 = text.indexOf(':') != text.lastIndexOf(':') && !text.startsWith("[");
        boolean hasPort = !bareV6 && (text.startsWith("[") ? text.contains("]:") : text.contains(":"));
        if (!hasPort) {
            int port = server.iface().listenPort().orElse(0);
            if (port == 0) {
                throw new IllegalArgumentException("--endpoint " + text + " has no port and the server file no"
                        + " ListenPort: give HOST:PORT");
            }
            text = (bareV6 ? "[" + text + "]" : text) + ":" + port;
        }
        try {
            return Endpoint.parse(text).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--endpoint: " + e.getMessage());
        }
    }

    /** The server's public key: from the file's PrivateKey, else from the running interface. */
    private static byte[] serverPublicKey(WgConfig server, String iface, Path file) {
        if (server.iface().privateKey().isPresent()) {
            return Keys.publicKey(server.iface().privateKey().get().bytes());
        }
        try (UapiClient client = UapiClient.connect(iface)) {
            byte[] key = client.get().privateKey();
            if (key != null) {
                return Keys.publicKey(key);
            }
        } catch (IOException | UapiException e) {
            // fall through to the one-line error
        }
        throw new IllegalArgumentException(file + " has no PrivateKey and " + iface
                + " is not up with one: the client's file needs the server's public key");
    }

    private static String dnsEntry(String s) {
        if (IpLiteral.parse(s) != null || s.matches("[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?")) {
            return s;
        }
        throw new IllegalArgumentException("'" + s + "' is neither an address nor a search domain");
    }

    private static String list(String option, String value, java.util.function.UnaryOperator<String> check) {
        List<String> out = new ArrayList<>();
        for (String part : value.split(",")) {
            try {
                out.add(check.apply(part.strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }
        return String.join(", ", out);
    }
}
