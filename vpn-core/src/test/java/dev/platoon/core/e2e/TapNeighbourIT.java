package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/**
 * A tap-mode platoon's neighbours, on the kernel: side a runs with {@code --tap} on bridge br0 with
 * a "VM" namespace behind it, side b is a tun-mode platoon routing the VM's whole subnet to a. A
 * {@link BridgeProbe} on the same bridge is one more host, which asks, listens and sends frames no
 * VM's kernel would. ARP and ND are answered with platoon's MAC, a MAC change is followed from the
 * gratuitous ARP and unsolicited advertisement alone, and whatever is not for the tunnel (other
 * EtherTypes, malformed ARP, ND and IP, destinations nobody answers for) is counted by reason while
 * the tunnel keeps working.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TapNeighbourIT {
    private static final Duration SOON = Duration.ofSeconds(10);
    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final int ETHERTYPE_IPV4 = 0x0800, ETHERTYPE_ARP = 0x0806, ETHERTYPE_IPV6 = 0x86dd;
    /** IEEE 802's local experimental EtherType: no IP stack knows it. */
    private static final int ETHERTYPE_EXPERIMENTAL = 0x88b5;
    private static final int ARP_REQUEST = 1, ARP_REPLY = 2;
    private static final int PROBE_V4 = ipv4(100, 64, 0, 9);

    private TunnelBed bed;
    private Side tap;
    private Side peer;
    private BridgeProbe probe;
    private byte[] platoonMac;

    @BeforeAll
    void up() throws Exception {
        bed = TunnelBed.create("pt-tapnb");
        try {
            tap = bed.tapAtA();
            peer = bed.b;
            bed.writeConfig(peer, false, List.of(), "100.64.0.0/24, fd00:64::/64"); // the VM's whole subnet
            E2e.startPlatoon(bed, peer, List.of());
            E2e.startPlatoon(bed, tap, true, List.of());
            E2e.assertPing(bed, tap, false, E2e.FIRST_PING);
            probe = BridgeProbe.open(tap.namespace, "ptprobe", NamespacePair.BRIDGE);
            // A kernel with br_netfilter hands bridged IP to iptables, validating IP headers on the way and
            // dropping the malformed ones this test sends; VM hosts usually turn that off (per namespace).
            for (String family : List.of("iptables", "ip6tables")) {
                bed.net.exec(tap.namespace, SOON, "sh", "-c", "f=/proc/sys/net/bridge/bridge-nf-call-" + family
                        + "; [ ! -e $f ] || echo 0 > $f").orThrow();
            }
            String mac = E2e.status(tap).tapMac();
            assertNotNull(mac, "platoon show names the tap's MAC");
            platoonMac = HexFormat.ofDelimiter(":").parseHex(mac);
        } catch (Throwable t) {
            down();
            throw t;
        }
    }

    @AfterAll
    void down() {
        if (probe != null) {
            probe.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void arpAndNeighbourSolicitationsAreAnsweredWithPlatoonsMac() throws Exception {
        E2e.assertPing(bed, tap, false, E2e.PING);
        E2e.assertPing(bed, tap, true, E2e.PING);
        String table = bed.net.exec(tap.vm, SOON, "ip", "neigh", "show", "dev", "eth0").stdout();
        String mac = HexFormat.ofDelimiter(":").formatHex(platoonMac);
        for (String address : List.of(peer.tunnel4, peer.tunnel6)) {
            assertTrue(table.lines().anyMatch(l -> l.startsWith(address + " ") && l.contains("lladdr " + mac)),
                    "the VM's entry for " + address + " is platoon's MAC " + mac + ":\n" + table);
        }

        probe.send(BROADCAST, ETHERTYPE_ARP, arp(ARP_REQUEST, 1, BridgeProbe.MAC, PROBE_V4, new byte[6],
                ipv4(100, 64, 0, 2)));
        byte[] reply = probe.await(SOON, f -> isArp(f, ARP_REPLY) && intAt(f, 28) == ipv4(100, 64, 0, 2));
        assertNotNull(reply, "an ARP reply for 100.64.0.2 to the probe");
        assertArrayEquals(BridgeProbe.MAC, Arrays.copyOfRange(reply, 0, 6), "the reply goes to the asker");
        assertArrayEquals(platoonMac, Arrays.copyOfRange(reply, 22, 28), "the reply names platoon's MAC");
        assertArrayEquals(platoonMac, Arrays.copyOfRange(reply, 6, 12), "from platoon's MAC");

        long notOurs = E2e.status(tap).drop("tap_neighbour_not_ours");
        probe.send(BROADCAST, ETHERTYPE_ARP, arp(ARP_REQUEST, 1, BridgeProbe.MAC, PROBE_V4, new byte[6],
                ipv4(100, 64, 0, 77)));
        E2e.awaitStatus(tap, SOON, "an ARP request for an address not in the tunnel counted",
                s -> s.drop("tap_neighbour_not_ours") > notOurs);
        assertFalse(probe.await(Duration.ofMillis(500), f -> isArp(f, ARP_REPLY)
                && intAt(f, 28) == ipv4(100, 64, 0, 77)) != null, "no answer for 100.64.0.77");
    }

    @Test
    void aMacChangeIsFollowedFromItsAnnouncementsAlone() throws Exception {
        for (String sysctl : List.of("net.ipv4.conf.eth0.arp_notify=1", "net.ipv6.conf.eth0.ndisc_notify=1")) {
            bed.net.exec(tap.vm, SOON, "sysctl", "-qw", sysctl).orThrow();
        }
        E2e.assertPing(bed, tap, false, E2e.PING); // platoon knows the VM's addresses at its MAC
        E2e.assertPing(bed, tap, true, E2e.PING);
        long changes = E2e.status(tap).macChanges();
        String mac = String.format("02:00:5e:10:0a:%02x", ThreadLocalRandom.current().nextInt(0x10, 0xff));
        // The kernel announces the new MAC with a gratuitous ARP and an unsolicited neighbour advertisement.
        bed.net.exec(tap.vm, SOON, "ip", "link", "set", "dev", "eth0", "address", mac).orThrow();
        E2e.awaitStatus(tap, SOON, "the VM's new MAC learned for both its addresses",
                s -> s.macChanges() >= changes + 2);
        // Frames for the VM now go to its new MAC; at the old one its kernel would not take them.
        E2e.assertPing(bed, peer, false, E2e.PING);
        E2e.assertPing(bed, peer, true, E2e.PING);
    }

    @Test
    void framesThatAreNotForTheTunnelAreCountedByReason() throws Exception {
        PlatoonStatus before = E2e.status(tap);
        probe.send(platoonMac, ETHERTYPE_EXPERIMENTAL, new byte[46]);
        probe.send(platoonMac, ETHERTYPE_ARP, arp(ARP_REQUEST, 6, BridgeProbe.MAC, PROBE_V4, new byte[6],
                ipv4(100, 64, 0, 2))); // hardware type 6 (IEEE 802), not Ethernet
        byte[] ipv6InIpv4 = new byte[40];
        ipv6InIpv4[0] = 0x60;
        probe.send(platoonMac, ETHERTYPE_IPV4, ipv6InIpv4);
        probe.send(platoonMac, ETHERTYPE_IPV6, solicitation(64)); // hop limit 64: not from this link
        PlatoonStatus after = E2e.awaitStatus(tap, SOON, "each frame counted by its reason",
                s -> s.drop("tap_not_ip") > before.drop("tap_not_ip")
                        && s.drop("tap_bad_arp") > before.drop("tap_bad_arp")
                        && s.drop("tap_bad_ethernet") > before.drop("tap_bad_ethernet")
                        && s.drop("tap_bad_nd") > before.drop("tap_bad_nd"));
        assertTrue(after.text().contains("drops: "), after.text());
        E2e.assertPing(bed, tap, false, E2e.PING);
        E2e.assertPing(bed, tap, true, E2e.PING);
        assertTrue(tap.process.isAlive() && peer.process.isAlive(), "both platoons still running");
    }

    @Test
    void anUnknownDestinationIsProbedForThenDroppedWithAReason() throws Exception {
        for (String nobody : List.of("100.64.0.50", "fd00:64::50")) {
            PlatoonStatus before = E2e.status(tap);
            bed.net.exec(peer.namespace, SOON, "ping", nobody.contains(":") ? "-6" : "-4", "-c", "1", "-W", "1",
                    nobody);
            if (!nobody.contains(":")) {
                byte[] request = probe.await(SOON, f -> isArp(f, ARP_REQUEST) && intAt(f, 38) == ipv4(100, 64, 0, 50));
                assertNotNull(request, "platoon's ARP request for " + nobody + " flooded by the bridge");
                assertArrayEquals(platoonMac, Arrays.copyOfRange(request, 22, 28), "asked by platoon");
            }
            E2e.awaitStatus(tap, SOON, "a probe for " + nobody + ", then its packet dropped as tap_no_neighbour",
                    s -> s.probesSent() > before.probesSent()
                            && s.drop("tap_no_neighbour") > before.drop("tap_no_neighbour"));
        }
    }

    private static boolean isArp(byte[] f, int op) {
        return f.length >= 42 && (f[12] & 0xff) == 0x08 && f[13] == 0x06 && f[21] == op;
    }

    private static int intAt(byte[] f, int at) {
        return f.length >= at + 4 ? ByteBuffer.wrap(f, at, 4).getInt() : -1;
    }

    private static int ipv4(int a, int b, int c, int d) {
        return a << 24 | b << 16 | c << 8 | d;
    }

    /** An ARP packet (28 bytes) for IPv4 over hardware type {@code hardware}. */
    private static byte[] arp(int op, int hardware, byte[] senderMac, int senderIp, byte[] targetMac, int targetIp) {
        return ByteBuffer.allocate(28).putShort((short) hardware).putShort((short) ETHERTYPE_IPV4)
                .put((byte) 6).put((byte) 4).putShort((short) op).put(senderMac).putInt(senderIp)
                .put(targetMac).putInt(targetIp).array();
    }

    /** A neighbour solicitation from fd00:64::9 for fd00:64::2 with the given hop limit (a valid one has 255). */
    private static byte[] solicitation(int hopLimit) {
        byte[] source = {(byte) 0xfd, 0, 0, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9};
        byte[] target = source.clone();
        target[15] = 2;
        ByteBuffer b = ByteBuffer.allocate(40 + 32);
        b.putInt(0x60000000).putShort((short) 32).put((byte) 58).put((byte) hopLimit).put(source).put(target);
        b.put((byte) 135).put((byte) 0).putShort((short) 0).putInt(0).put(target);
        b.put((byte) 1).put((byte) 1).put(BridgeProbe.MAC);
        return b.array();
    }
}
