package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** parse → write → parse is the identity, for a fixed file and for generated ones. */
class RoundTripTest {

    @Test
    void realisticFileRoundTrips() throws Exception {
        WgConfig c = ConfigParser.parse(ConfigParserTest.FULL, "wg0.conf");
        String written = ConfigWriter.write(c);
        WgConfig again = ConfigParser.parse(written, "written");
        assertEquals(c, again);
        assertEquals(written, ConfigWriter.write(again), "writing is stable");
    }

    @Test
    void writesCanonicalKeysOneLineEachLikeShowconf() throws Exception {
        WgConfig c = ConfigParser.parse("""
                [interface]
                privatekey = %s
                address = 10.0.0.1/24
                address = fd00:0064:0000::1/64
                dns = 10.0.0.53, search.example
                listenport = 51820
                fwmark = 1234
                postup = echo a, b
                [peer]
                publickey = %s
                allowedips = 10.0.0.7/24, FD00:64::/64
                endpoint = [FD00:64::2]:51820
                persistentkeepalive = 25
                """.formatted(TestKeys.PRIVATE, TestKeys.PEER1), "t");
        assertEquals("""
                [Interface]
                Address = 10.0.0.1/24, fd00:64::1/64
                DNS = 10.0.0.53, search.example
                PostUp = echo a, b
                ListenPort = 51820
                FwMark = 0x4d2
                PrivateKey = %s

                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.0/24, fd00:64::/64
                Endpoint = [fd00:64::2]:51820
                PersistentKeepalive = 25
                """.formatted(TestKeys.PRIVATE, TestKeys.PEER1), ConfigWriter.write(c));
    }

    @Test
    void strippedViewHasOnlyWgKeys() throws Exception {
        WgConfig c = ConfigParser.parse(ConfigParserTest.FULL, "wg0.conf");
        String stripped = ConfigWriter.writeStripped(c);
        for (String quickKey : List.of("Address", "DNS", "MTU", "Table", "PreUp", "PostUp", "PreDown", "PostDown",
                "SaveConfig")) {
            assertFalse(stripped.contains(quickKey + " ="), quickKey + " in:\n" + stripped);
        }
        WgConfig back = ConfigParser.parse(stripped, "stripped", ParseMode.WG);
        assertEquals(c.stripped(), back);
        assertEquals(c.peers(), back.peers());
        assertEquals(c.iface().privateKey(), back.iface().privateKey());
        assertEquals(c.iface().listenPort(), back.iface().listenPort());
        assertEquals(c.iface().fwMark(), back.iface().fwMark());
    }

    @Test
    void writeFileIsOwnerOnly(@TempDir Path dir) throws Exception {
        WgConfig c = ConfigParser.parse(ConfigParserTest.FULL, "wg0.conf");
        Path file = dir.resolve("wg0.conf");
        ConfigWriter.writeFile(c, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(c, ConfigParser.parse(file));
        assertEquals(Optional.empty(), KeyFilePermissions.check(file));
        try (var listing = Files.list(dir)) {
            assertEquals(1, listing.count(), "no temporary file left behind");
        }
    }

    @RepeatedTest(200)
    void generatedConfigsRoundTrip(RepetitionInfo info) throws Exception {
        Random rnd = new Random(0x91a7_0000L + info.getCurrentRepetition());
        Generated g = generate(rnd);
        String canonical = ConfigWriter.write(g.config);
        assertEquals(g.config, ConfigParser.parse(canonical, "canonical"), canonical);
        assertEquals(g.config, ConfigParser.parse(g.messy, "messy"), g.messy);
        assertEquals(g.config.stripped(), ConfigParser.parse(ConfigWriter.writeStripped(g.config), "s", ParseMode.WG));
        assertEquals(canonical, ConfigWriter.write(ConfigParser.parse(g.messy, "messy")));
    }

    // ---- generator: a random config, and a text of it written the way people do ----

    record Generated(WgConfig config, String messy) {}

    static Generated generate(Random rnd) {
        Messy iface = new Messy(rnd);
        String priv = key(rnd);
        iface.scalar("PrivateKey", priv);
        OptionalInt listenPort = OptionalInt.empty();
        if (rnd.nextBoolean()) {
            int p = rnd.nextInt(65536);
            listenPort = OptionalInt.of(p);
            iface.scalar("ListenPort", Integer.toString(p));
        }
        int fwMark = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt();
        if (fwMark != 0 || rnd.nextBoolean()) {
            iface.scalar("FwMark", fwMark == 0 ? pick(rnd, "off", "0", "0x0")
                    : rnd.nextBoolean() ? Integer.toUnsignedString(fwMark) : "0x" + Integer.toHexString(fwMark));
        }
        List<InterfaceAddress> addresses = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            InetAddress a = address(rnd);
            int prefix = rnd.nextInt(IpLiteral.maxPrefix(a) + 1);
            addresses.add(new InterfaceAddress(a, prefix));
            iface.item("Address", messyIp(rnd, a) + "/" + prefix);
        }
        List<InetAddress> dns = new ArrayList<>();
        List<String> search = new ArrayList<>();
        for (int i = rnd.nextInt(4); i > 0; i--) {
            if (rnd.nextBoolean()) {
                InetAddress a = address(rnd);
                dns.add(a);
                iface.item("DNS", messyIp(rnd, a));
            } else {
                String d = hostName(rnd);
                search.add(d);
                iface.item("DNS", d);
            }
        }
        OptionalInt mtu = OptionalInt.empty();
        if (rnd.nextBoolean()) {
            mtu = OptionalInt.of(68 + rnd.nextInt(65536 - 68));
            iface.scalar("MTU", Integer.toString(mtu.getAsInt()));
        }
        Optional<RouteTable> table = Optional.empty();
        if (rnd.nextBoolean()) {
            String t = switch (rnd.nextInt(4)) {
                case 0 -> "off";
                case 1 -> "auto";
                case 2 -> Long.toString(rnd.nextLong(1L << 32));
                default -> "tbl_" + rnd.nextInt(1000);
            };
            table = Optional.of(new RouteTable(t));
            iface.scalar("Table", (t.equals("off") || t.equals("auto")) && rnd.nextBoolean() ? t.toUpperCase(Locale.ROOT) : t);
        }
        List<List<String>> hooks = new ArrayList<>();
        for (String hook : List.of("PreUp", "PostUp", "PreDown", "PostDown")) {
            List<String> commands = new ArrayList<>();
            for (int i = rnd.nextInt(3); i > 0; i--) {
                String cmd = command(rnd);
                commands.add(cmd);
                iface.repeated(hook, cmd);
            }
            hooks.add(commands);
        }
        boolean save = rnd.nextInt(4) == 0;
        if (save || rnd.nextBoolean()) {
            iface.scalar("SaveConfig", save ? pick(rnd, "true", "True", "TRUE") : "false");
        }
        InterfaceConfig ic = new InterfaceConfig(Optional.of(WgKey.fromBase64(priv)), listenPort, fwMark, addresses,
                dns, search, mtu, table, hooks.get(0), hooks.get(1), hooks.get(2), hooks.get(3), save);

        StringBuilder text = new StringBuilder();
        if (rnd.nextBoolean()) {
            text.append("# generated\n\n");
        }
        text.append(pick(rnd, "[Interface]", "[interface]", " [INTERFACE] # iface")).append('\n');
        text.append(iface.render());

        List<PeerConfig> peers = new ArrayList<>();
        for (int n = rnd.nextInt(5); n > 0; n--) {
            Messy m = new Messy(rnd);
            String pub = key(rnd);
            m.scalar("PublicKey", pub);
            Optional<WgKey> psk = Optional.empty();
            if (rnd.nextBoolean()) {
                String k = key(rnd);
                psk = Optional.of(WgKey.fromBase64(k));
                m.scalar("PresharedKey", k);
            }
            List<IpPrefix> allowed = new ArrayList<>();
            for (int i = rnd.nextInt(5); i > 0; i--) {
                InetAddress a = address(rnd);
                int prefix = rnd.nextInt(IpLiteral.maxPrefix(a) + 1);
                allowed.add(IpPrefix.of(a, prefix)); // normalised; the text keeps the host bits
                m.item("AllowedIPs", (rnd.nextInt(4) == 0 && prefix == IpLiteral.maxPrefix(a))
                        ? messyIp(rnd, a) : messyIp(rnd, a) + "/" + prefix);
            }
            Optional<Endpoint> endpoint = Optional.empty();
            if (rnd.nextBoolean()) {
                int port = 1 + rnd.nextInt(65535);
                Endpoint e;
                String t;
                switch (rnd.nextInt(3)) {
                    case 0 -> {
                        InetAddress a = IpLiteral.of(bytes(rnd, 4));
                        e = new Endpoint(IpLiteral.format(a), port);
                        t = messyIp(rnd, a) + ":" + port;
                    }
                    case 1 -> {
                        InetAddress a = IpLiteral.of(bytes(rnd, 16));
                        e = new Endpoint(IpLiteral.format(a), port);
                        t = "[" + messyIp(rnd, a) + "]:" + port;
                    }
                    default -> {
                        String h = hostName(rnd);
                        e = new Endpoint(h, port);
                        t = h + ":" + port;
                    }
                }
                endpoint = Optional.of(e);
                m.scalar("Endpoint", t);
            }
            int keepalive = rnd.nextBoolean() ? 0 : rnd.nextInt(65536);
            if (keepalive != 0 || rnd.nextBoolean()) {
                m.scalar("PersistentKeepalive", keepalive == 0 ? pick(rnd, "off", "0", "Off") : Integer.toString(keepalive));
            }
            peers.add(new PeerConfig(WgKey.fromBase64(pub), psk, allowed, endpoint, keepalive));
            text.append(rnd.nextBoolean() ? "\n" : "").append(pick(rnd, "[Peer]", "[peer]", "[Peer] # next")).append('\n');
            text.append(m.render());
        }
        return new Generated(new WgConfig(ic, peers), text.toString());
    }

    /**
     * One section's lines, written loosely: random key case, spacing and comments, lists split over
     * repeated keys, keys in random order (the order within one list kept).
     */
    static final class Messy {
        private final Random rnd;
        private final Map<String, Deque<String>> lines = new LinkedHashMap<>();
        private final Map<String, List<String>> items = new LinkedHashMap<>();

        Messy(Random rnd) {
            this.rnd = rnd;
        }

        void scalar(String key, String value) {
            lines.computeIfAbsent(key, k -> new ArrayDeque<>()).add(line(key, value));
        }

        void repeated(String key, String value) {
            scalar(key, value);
        }

        void item(String key, String value) {
            items.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }

        String render() {
            items.forEach((key, values) -> {
                int i = 0;
                while (i < values.size()) {
                    int n = 1 + rnd.nextInt(values.size() - i);
                    String sep = pick(rnd, ", ", ",", " , ", ",\t");
                    scalar(key, String.join(sep, values.subList(i, i + n)));
                    i += n;
                }
            });
            StringBuilder out = new StringBuilder();
            List<Deque<String>> queues = new ArrayList<>(lines.values());
            while (!queues.isEmpty()) {
                int q = rnd.nextInt(queues.size());
                out.append(queues.get(q).poll());
                if (queues.get(q).isEmpty()) {
                    queues.remove(q);
                }
                if (rnd.nextInt(6) == 0) {
                    out.append(pick(rnd, "\n", "# a comment line\n", "   # indented, = with equals\n"));
                }
            }
            return out.toString();
        }

        private String line(String key, String value) {
            String name = switch (rnd.nextInt(4)) {
                case 0 -> key.toLowerCase(Locale.ROOT);
                case 1 -> key.toUpperCase(Locale.ROOT);
                default -> key;
            };
            return pick(rnd, "", "  ", "\t") + name + pick(rnd, " = ", "=", "   =  ", "\t=\t") + value
                    + pick(rnd, "", "", " ", "  # trailing comment", "#x") + "\n";
        }
    }

    static String pick(Random rnd, String... options) {
        return options[rnd.nextInt(options.length)];
    }

    static byte[] bytes(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    static String key(Random rnd) {
        return Base64.getEncoder().encodeToString(bytes(rnd, 32));
    }

    static InetAddress address(Random rnd) {
        byte[] b = bytes(rnd, rnd.nextBoolean() ? 4 : 16);
        if (b.length == 16 && rnd.nextBoolean()) {
            // Runs of zeros, so that "::" compression is exercised.
            int from = rnd.nextInt(16);
            for (int i = from; i < Math.min(16, from + rnd.nextInt(12)); i++) {
                b[i] = 0;
            }
        }
        return IpLiteral.of(b);
    }

    /** An address as a person might write it: IPv6 sometimes expanded, upper case, leading zeros. */
    static String messyIp(Random rnd, InetAddress a) {
        String canonical = IpLiteral.format(a);
        if (canonical.indexOf(':') < 0 || rnd.nextBoolean()) {
            return canonical;
        }
        byte[] b = a.getAddress();
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            sb.append(i == 0 ? "" : ":").append(String.format(rnd.nextBoolean() ? "%04X" : "%x",
                    ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff)));
        }
        return sb.toString();
    }

    static String hostName(Random rnd) {
        StringBuilder sb = new StringBuilder();
        for (int labels = 1 + rnd.nextInt(3); labels > 0; labels--) {
            sb.append(sb.isEmpty() ? "" : ".").append((char) ('a' + rnd.nextInt(26)));
            for (int i = rnd.nextInt(8); i > 0; i--) {
                sb.append("abcdefghijklmnopqrstuvwxyz0123456789-".charAt(rnd.nextInt(37)));
            }
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }

    /** A shell command: anything on one line but '#', with no blanks at the edges. */
    static String command(Random rnd) {
        String alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 %=,;:\"'-/.|&$[]";
        StringBuilder sb = new StringBuilder("cmd");
        for (int i = rnd.nextInt(40); i > 0; i--) {
            sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
        }
        return sb.append('x').toString();
    }

    @Test
    void generatorMakesVariedConfigs() {
        Random rnd = new Random(1);
        int hostNames = 0;
        int v6 = 0;
        for (int i = 0; i < 50; i++) {
            WgConfig c = generate(rnd).config;
            for (PeerConfig p : c.peers()) {
                hostNames += p.endpoint().filter(Endpoint::isHostName).isPresent() ? 1 : 0;
                v6 += (int) p.allowedIps().stream().filter(x -> !x.isIpv4()).count();
            }
        }
        assertTrue(hostNames > 5 && v6 > 20, hostNames + " " + v6);
    }
}
