package dev.platoon.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigParserTest {

    static final String FULL = """
            # wg0 — a realistic wg-quick file
            [Interface]
            PrivateKey = %s
            ListenPort = 51820
            FwMark = 0xca6c
            Address = 100.64.0.1/24, fd00:64::1/64
            DNS = 100.64.0.53, fd00:64::53, corp.example, example.com
            MTU = 1420
            Table = 1234
            PreUp = sysctl -w net.ipv4.ip_forward=1
            PostUp = iptables -A FORWARD -i %%i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE
            PreDown = logger "going down, bye"
            PostDown = iptables -D FORWARD -i %%i -j ACCEPT
            SaveConfig = false

            [Peer]  # the laptop
            PublicKey = %s
            PresharedKey = %s
            AllowedIPs = 100.64.0.2/32, fd00:64::2/128
            Endpoint = 192.0.2.2:51820
            PersistentKeepalive = 25

            [Peer]
            # the phone, roaming
            PublicKey = %s
            AllowedIPs = 100.64.0.3/32
            Endpoint = [fd00:64::3]:51821
            PersistentKeepalive = off

            [Peer]
            PublicKey = %s
            AllowedIPs = 0.0.0.0/0, ::/0
            Endpoint = vpn.example.net:443
            """.formatted(TestKeys.PRIVATE, TestKeys.PEER1, TestKeys.key(99), TestKeys.PEER2, TestKeys.PEER3);

    static InetAddress ip(String text) {
        return IpLiteral.parse(text);
    }

    @Test
    void readsARealisticFullFile() throws Exception {
        WgConfig c = ConfigParser.parse(FULL, "wg0.conf");
        InterfaceConfig i = c.iface();
        assertEquals(Optional.of(WgKey.fromBase64(TestKeys.PRIVATE)), i.privateKey());
        assertEquals(OptionalInt.of(51820), i.listenPort());
        assertEquals(0xca6c, i.fwMark());
        assertEquals(List.of(InterfaceAddress.parse("100.64.0.1/24"), InterfaceAddress.parse("fd00:64::1/64")),
                i.addresses());
        assertEquals(List.of(ip("100.64.0.53"), ip("fd00:64::53")), i.dns());
        assertEquals(List.of("corp.example", "example.com"), i.dnsSearch());
        assertEquals(OptionalInt.of(1420), i.mtu());
        assertEquals(Optional.of(new RouteTable("1234")), i.table());
        assertEquals(List.of("sysctl -w net.ipv4.ip_forward=1"), i.preUp());
        assertEquals(List.of("iptables -A FORWARD -i %i -j ACCEPT; iptables -t nat -A POSTROUTING -o eth0 -j MASQUERADE"),
                i.postUp());
        assertEquals(List.of("logger \"going down, bye\""), i.preDown(), "a hook is not a comma list");
        assertEquals(List.of("iptables -D FORWARD -i %i -j ACCEPT"), i.postDown());
        assertFalse(i.saveConfig());

        assertEquals(3, c.peers().size());
        PeerConfig laptop = c.peers().get(0);
        assertEquals(WgKey.fromBase64(TestKeys.PEER1), laptop.publicKey());
        assertEquals(Optional.of(WgKey.fromBase64(TestKeys.key(99))), laptop.presharedKey());
        assertEquals(List.of(IpPrefix.parse("100.64.0.2/32"), IpPrefix.parse("fd00:64::2/128")), laptop.allowedIps());
        assertEquals(Optional.of(new Endpoint("192.0.2.2", 51820)), laptop.endpoint());
        assertEquals(25, laptop.persistentKeepalive());

        PeerConfig phone = c.peers().get(1);
        assertEquals(Optional.of(new Endpoint("fd00:64::3", 51821)), phone.endpoint());
        assertEquals(ip("fd00:64::3"), phone.endpoint().orElseThrow().literalAddress().orElseThrow());
        assertEquals(0, phone.persistentKeepalive());
        assertEquals(Optional.empty(), phone.presharedKey());

        PeerConfig server = c.peers().get(2);
        assertEquals(Optional.of(new Endpoint("vpn.example.net", 443)), server.endpoint());
        assertTrue(server.endpoint().orElseThrow().isHostName(), "a host name stays unresolved");
        assertEquals(List.of(IpPrefix.parse("0.0.0.0/0"), IpPrefix.parse("::/0")), server.allowedIps());
    }

    @Test
    void keysAndSectionsAreCaseInsensitive() throws Exception {
        WgConfig c = ConfigParser.parse("""
                [INTERFACE]
                privatekey = %s
                LISTENPORT = 1
                fwmark = 7
                mtu = 1280
                [peer]
                PUBLICKEY = %s
                allowedips = 10.0.0.0/8
                EndPoint = 192.0.2.1:1
                persistentKEEPALIVE = 5
                """.formatted(TestKeys.PRIVATE, TestKeys.PEER1), "t.conf");
        assertEquals(OptionalInt.of(1), c.iface().listenPort());
        assertEquals(7, c.iface().fwMark());
        assertEquals(OptionalInt.of(1280), c.iface().mtu());
        assertEquals(5, c.peers().getFirst().persistentKeepalive());
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/8")), c.peers().getFirst().allowedIps());
    }

    @Test
    void commaListsAndRepeatedKeysAccumulate() throws Exception {
        WgConfig c = ConfigParser.parse("""
                [Interface]
                PrivateKey = %s
                Address = 10.0.0.1/24,10.0.1.1/24
                Address=fd00::1/64
                DNS = 1.1.1.1 ,  example.com
                DNS = 9.9.9.9
                PostUp = echo one
                PostUp = echo two
                [Peer]
                PublicKey = %s
                AllowedIPs = 10.0.0.0/24 , 10.0.1.0/24
                AllowedIPs = fd00::/64
                AllowedIPs =
                """.formatted(TestKeys.PRIVATE, TestKeys.PEER1), "t.conf");
        assertEquals(3, c.iface().addresses().size());
        assertEquals(List.of(ip("1.1.1.1"), ip("9.9.9.9")), c.iface().dns());
        assertEquals(List.of("example.com"), c.iface().dnsSearch());
        assertEquals(List.of("echo one", "echo two"), c.iface().postUp());
        assertEquals(List.of(IpPrefix.parse("10.0.0.0/24"), IpPrefix.parse("10.0.1.0/24"), IpPrefix.parse("fd00::/64")),
                c.peers().getFirst().allowedIps());
    }

    @Test
    void commentsBlankLinesAndWhitespaceAnywhere() throws Exception {
        WgConfig c = ConfigParser.parse("""
                # leading comment
                   [Interface]   # trailing on a header

                \tPrivateKey=%s#no space before the comment
                ListenPort   =   51820   # spaces around '='
                  # indented comment
                PostUp = echo hi # the comment is not part of the command
                [Peer]
                PublicKey = %s
                ##
                """.formatted(TestKeys.PRIVATE, TestKeys.PEER1).replace("\n", "\r\n"), "t.conf");
        assertEquals(OptionalInt.of(51820), c.iface().listenPort());
        assertEquals(List.of("echo hi"), c.iface().postUp());
        assertEquals(1, c.peers().size());
    }

    @Test
    void fwMarkAndTableForms() throws Exception {
        assertEquals(0, iface("FwMark = off").fwMark());
        assertEquals(51820, iface("FwMark = 51820").fwMark());
        assertEquals(0xffffffff, iface("FwMark = 0xffffffff").fwMark());
        assertEquals(0xffffffff, iface("FwMark = 4294967295").fwMark());
        assertTrue(iface("Table = off").table().orElseThrow().isOff());
        assertTrue(iface("Table = Auto").table().orElseThrow().isAuto());
        assertEquals(1234, iface("Table = 1234").table().orElseThrow().number().orElseThrow());
        assertEquals("vpn_table", iface("Table = vpn_table").table().orElseThrow().value());
        assertEquals(OptionalInt.of(0), iface("ListenPort = 0").listenPort());
        assertTrue(iface("SaveConfig = true").saveConfig());
    }

    @Test
    void endpointsKeepHostNamesAndNormaliseLiterals() throws Exception {
        assertEquals(new Endpoint("fd00:64::1", 51820), endpoint("[fd00:64::1]:51820"));
        assertEquals("[fd00:64::1]:51820", endpoint("[FD00:0064:0:0:0:0:0:1]:51820").toString());
        assertEquals(new Endpoint("192.0.2.1", 51820), endpoint("192.0.2.1:51820"));
        Endpoint named = endpoint("wg.example.org:51820");
        assertEquals("wg.example.org", named.host());
        assertTrue(named.isHostName());
        assertEquals(Optional.empty(), named.literalAddress());
        assertEquals("localhost:1", endpoint("localhost:1").toString());
    }

    @Test
    void wgModeAcceptsAPartialStrippedFile() throws Exception {
        WgConfig c = ConfigParser.parse("""
                [Interface]
                ListenPort = 51820
                [Peer]
                PublicKey = %s
                """.formatted(TestKeys.PEER1), "setconf", ParseMode.WG);
        assertEquals(Optional.empty(), c.iface().privateKey());
        assertEquals(1, c.peers().size());
    }

    @Test
    void parsesFromAPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("wg0.conf");
        Files.writeString(file, FULL);
        assertEquals(ConfigParser.parse(FULL, "x"), ConfigParser.parse(file));
    }

    @Test
    void toStringNeverShowsSecretKeys() throws Exception {
        WgConfig c = ConfigParser.parse(FULL, "wg0.conf");
        String text = c.toString() + c.iface() + c.peers() + c.iface().privateKey() + c.peers().getFirst().presharedKey();
        assertFalse(text.contains(TestKeys.PRIVATE), text);
        assertFalse(text.contains(TestKeys.key(99)), text);
        assertFalse(text.contains(TestKeys.PRIVATE.substring(0, 20)), text);
        assertTrue(text.contains(TestKeys.PEER1), "public keys may show: " + text);
    }

    @Test
    void keyBytesAreDefensiveCopies() {
        WgKey k = WgKey.fromBase64(TestKeys.PEER1);
        byte[] b = k.bytes();
        b[0] ^= 1;
        assertEquals(TestKeys.PEER1, k.toBase64());
        byte[] in = k.bytes();
        WgKey k2 = WgKey.of(in);
        in[0] ^= 1;
        assertEquals(k, k2);
    }

    private static InterfaceConfig iface(String line) throws ConfigException {
        return ConfigParser.parse("[Interface]\nPrivateKey = " + TestKeys.PRIVATE + "\n" + line + "\n", "t").iface();
    }

    private static Endpoint endpoint(String text) throws ConfigException {
        return ConfigParser.parse("[Interface]\nPrivateKey = " + TestKeys.PRIVATE + "\n[Peer]\nPublicKey = "
                + TestKeys.PEER1 + "\nEndpoint = " + text + "\n", "t").peers().getFirst().endpoint().orElseThrow();
    }
}
