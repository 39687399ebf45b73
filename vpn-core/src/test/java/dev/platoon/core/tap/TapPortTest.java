package dev.platoon.core.tap;

import static dev.platoon.core.tap.TapFrames.L3;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.platoon.core.datapath.SuiteFrames;
import dev.platoon.core.drop.Drop;
import dev.platoon.core.transport.TunFrameSink;
import dev.platoon.testkit.Wait;
import dev.platoon.tun.ArpPacket;
import dev.platoon.tun.EthernetHeader;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.NeighbourMessage;
import dev.platoon.tun.VirtioNetHdr;
import io.netty.channel.IoEventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.local.LocalIoHandler;

/** One tap port without a loop: frames in by hand, what it writes and hands on is inspected. */
class TapPortTest {
    static final long HOST = 0x5254_0000_0001L;
    static final long OTHER = 0x5254_0000_0099L;
    static final long TAP = TapSettings.stableMac("tap-test");
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    /** Answers for the tunnel's 100.64.0.2 and fd00:64::2 only. */
    private final NeighbourTargets targets = (b, off, v6) -> {
        byte[] a = new byte[v6 ? 16 : 4];
        b.get(off, a);
        return Arrays.equals(a, TapFrames.address(v6 ? "fd00:64::2" : "100.64.0.2"));
    };
    private final TapSettings settings = new TapSettings(TAP, targets, now::get, 300_000_000_000L, 16);
    private final TapCounters counters = new TapCounters();
    private final NeighbourTable v4 = new NeighbourTable(16, settings.ageingNanos(), counters);
    private final NeighbourTable v6 = new NeighbourTable(16, settings.ageingNanos(), counters);
    private final FakeTapQueue tap = new FakeTapQueue();
    private final List<byte[]> handedOn = new ArrayList<>();
    private final TapPort port = new TapPort(tap, settings, v4, v6, counters);

    TapPortTest() {
        v4.onAnswer(port::answerArrived); // as Tap wires its ports
        v6.onAnswer(port::answerArrived);
        port.start(null, new TunFrameSink() {
            @Override
            public void frame(java.nio.ByteBuffer buf, int offset, int length) {
                assertTrue(offset >= 32 + EthernetHeader.LENGTH, "headroom");
                byte[] f = new byte[length];
                buf.get(offset, f);
                handedOn.add(f);
            }

            @Override
            public void batchEnd() {
            }
        });
    }

    /** Hands a frame to the port as a tap read would: at 32 bytes of headroom in a direct buffer. */
    private void read(byte[] frame) {
        ByteBuffer b = ByteBuffer.allocateDirect(32 + frame.length + 32).put(32, frame);
        port.frame(b, 32, frame.length);
    }

    private boolean write(byte[] tunFrame) {
        ByteBuffer b = ByteBuffer.allocateDirect(tunFrame.length + 64).put(16, tunFrame);
        return port.writeFrame(b, 16, tunFrame.length);
    }

    private static byte[] udp(String src, String dst) throws Exception {
        return SuiteFrames.udp(InetAddress.getByName(src), InetAddress.getByName(dst), 5000, 6000, new byte[100]);
    }

    @Test
    void arpRequestForATunnelAddressIsAnsweredWithTheTapMac() {
        read(TapFrames.arp(EthernetHeader.BROADCAST, HOST, ArpPacket.OP_REQUEST, HOST, "100.64.0.1", 0, "100.64.0.2"));
        byte[] reply = tap.only();
        assertEquals(HOST, TapFrames.ethernet(reply).destination());
        assertEquals(TAP, TapFrames.ethernet(reply).source());
        ArpPacket arp = TapFrames.arp(reply);
        assertEquals(ArpPacket.OP_REPLY, arp.operation());
        assertEquals(TAP, arp.senderMac());
        assertEquals(TapFrames.ip4("100.64.0.2"), arp.senderIp());
        assertEquals(HOST, arp.targetMac());
        assertEquals(TapFrames.ip4("100.64.0.1"), arp.targetIp());
        assertEquals(1, counters.arpAnswered.sum());
        assertEquals(1, counters.neighboursLearned.sum(), "the asker is learned");
    }

    @Test
    void neighbourSolicitationIsAnsweredWithAnAdvertisementOfTheTapMac() {
        read(TapFrames.neighbour(0x3333_ff00_0002L, HOST, NeighbourMessage.TYPE_SOLICITATION, 0, "fd00:64::1",
                "ff02::1:ff00:2", "fd00:64::2", HOST, 255));
        ByteBuffer na = ByteBuffer.wrap(tap.only());
        assertEquals(HOST, new EthernetHeader().wrap(na, TapFrames.ETH).destination());
        Ipv6Header ip = new Ipv6Header().wrap(na, L3);
        assertArrayEquals(TapFrames.address("fd00:64::2"), bytes(na, ip.sourceOffset(), 16));
        assertArrayEquals(TapFrames.address("fd00:64::1"), bytes(na, ip.destinationOffset(), 16));
        assertEquals(255, ip.hopLimit());
        NeighbourMessage nd = new NeighbourMessage().wrap(na, L3 + Ipv6Header.LENGTH);
        assertEquals(NeighbourMessage.TYPE_ADVERTISEMENT, nd.type());
        assertEquals(NeighbourMessage.FLAG_SOLICITED | NeighbourMessage.FLAG_OVERRIDE, nd.flags());
        assertArrayEquals(TapFrames.address("fd00:64::2"), bytes(na, nd.targetOffset(), 16));
        assertEquals(TAP, nd.macOption(NeighbourMessage.OPTION_TARGET_MAC, na.limit()));
        assertTrue(nd.checksumValid(ip, ip.payloadLength()), "ICMPv6 checksum");
        assertEquals(1, counters.ndAnswered.sum());
    }

    @Test
    void addressesNeitherInTheTunnelNorOursAndProbesAreNotAnswered() {
        read(TapFrames.arp(EthernetHeader.BROADCAST, HOST, ArpPacket.OP_REQUEST, HOST, "100.64.0.1", 0, "100.64.0.7"));
        read(TapFrames.arp(EthernetHeader.BROADCAST, HOST, ArpPacket.OP_REQUEST, HOST, "0.0.0.0", 0, "100.64.0.2"));
        read(TapFrames.neighbour(0x3333_ff00_0002L, HOST, NeighbourMessage.TYPE_SOLICITATION, 0, "::",
                "ff02::1:ff00:2", "fd00:64::2", NeighbourMessage.NO_MAC, 255));
        assertEquals(List.of(), tap.written);
        assertEquals(3, counters.drops(Drop.TAP_NEIGHBOUR_NOT_OURS));
    }

    @Test
    void gratuitousArpAndMacChangesAreFollowed() throws Exception {
        read(TapFrames.arp(EthernetHeader.BROADCAST, HOST, ArpPacket.OP_REQUEST, HOST, "100.64.0.1", 0, "100.64.0.1"));
        assertTrue(write(udp("100.64.0.2", "100.64.0.1")));
        assertEquals(HOST, TapFrames.ethernet(tap.only()).destination());
        long moved = 0x5254_0000_0042L;
        read(TapFrames.arp(EthernetHeader.BROADCAST, moved, ArpPacket.OP_REPLY, moved, "100.64.0.1", 0, "100.64.0.1"));
        assertTrue(write(udp("100.64.0.2", "100.64.0.1")));
        assertEquals(moved, TapFrames.ethernet(tap.only()).destination());
        assertEquals(1, counters.macChanges.sum());
        assertEquals(2, counters.neighbourUpdates.sum());
    }

    @Test
    void nonIpOtherHostsAndUnansweredGroupFramesAreCounted() throws Exception {
        byte[] lldp = TapFrames.wrap(0x0180_c200_000eL, HOST, udp("100.64.0.1", "100.64.0.2"));
        TapFrames.ethernet(lldp).etherType(0x88cc);
        read(lldp);
        read(TapFrames.wrap(OTHER, HOST, udp("100.64.0.1", "100.64.0.2")));
        read(TapFrames.wrap(EthernetHeader.BROADCAST, HOST, udp("100.64.0.1", "255.255.255.255")));
        read(TapFrames.wrap(0x3333_0000_0002L, HOST, udp("fe80::1", "ff02::2")));
        assertEquals(List.of(), handedOn);
        assertEquals(List.of(), tap.written);
        assertEquals(1, counters.drops(Drop.TAP_NOT_IP));
        assertEquals(1, counters.drops(Drop.TAP_OTHER_HOST));
        assertEquals(2, counters.drops(Drop.TAP_GROUP_NOT_ANSWERED));
    }

    @Test
    void anUnknownDestinationIsAskedForOnceAndItsPacketsWaitForTheAnswer() throws Exception {
        assertTrue(write(udp("100.64.0.2", "100.64.0.9")));
        assertTrue(write(udp("100.64.0.2", "100.64.0.9")));
        byte[] ask = tap.only();
        assertEquals(EthernetHeader.BROADCAST, TapFrames.ethernet(ask).destination());
        ArpPacket arp = TapFrames.arp(ask);
        assertEquals(ArpPacket.OP_REQUEST, arp.operation());
        assertEquals(TapFrames.ip4("100.64.0.2"), arp.senderIp());
        assertEquals(TapFrames.ip4("100.64.0.9"), arp.targetIp());
        assertEquals(2, counters.held.sum());
        read(TapFrames.arp(TAP, HOST, ArpPacket.OP_REPLY, HOST, "100.64.0.9", TAP, "100.64.0.2"));
        assertEquals(2, tap.written.size(), "both held packets go once the answer is in");
        for (byte[] f : tap.written) {
            assertEquals(HOST, TapFrames.ethernet(f).destination());
            assertArrayEquals(udp("100.64.0.2", "100.64.0.9"), TapFrames.unwrap(f));
        }
        assertEquals(0, counters.drops(Drop.TAP_NO_NEIGHBOUR));
    }

    @Test
    void heldPacketsExpireOnTheirOwnWhenNothingElseIsWritten() throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        try {
            IoEventLoop loop = (IoEventLoop) group.next();
            TapPort onLoop = new TapPort(new FakeTapQueue(), settings, v4, v6, counters);
            onLoop.start(loop, new TunFrameSink() {
                @Override
                public void frame(ByteBuffer buf, int offset, int length) {
                }

                @Override
                public void batchEnd() {
                }
            }); // the fake queue reads nothing: the port only needs its loop
            byte[] frame = udp("100.64.0.2", "100.64.0.9");
            ByteBuffer b = ByteBuffer.allocateDirect(frame.length + 64).put(16, frame);
            assertTrue(loop.submit(() -> onLoop.writeFrame(b, 16, frame.length)).get(), "held");
            now.addAndGet(NeighbourTable.PROBE_INTERVAL_NANOS); // no answer within the hold time
            Wait.until(Duration.ofSeconds(10), "the held packet dropped as tap_no_neighbour",
                    () -> counters.drops(Drop.TAP_NO_NEIGHBOUR) == 1);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void heldPacketsExpireAfterASecondAndOverflowIsCounted() throws Exception {
        for (int i = 0; i < HeldFrames.MAX; i++) {
            assertTrue(write(udp("100.64.0.2", "100.64.0.9")));
        }
        assertFalse(write(udp("100.64.0.2", "100.64.0.9")), "no slot free");
        assertEquals(1, counters.drops(Drop.TAP_NO_NEIGHBOUR));
        now.addAndGet(NeighbourTable.PROBE_INTERVAL_NANOS);
        assertTrue(write(udp("100.64.0.2", "100.64.0.9")), "the expired ones make room");
        assertEquals(1 + HeldFrames.MAX, counters.drops(Drop.TAP_NO_NEIGHBOUR));
        assertEquals(2, tap.written.size(), "one ARP per second");
    }

    @Test
    void anUnknownIpv6DestinationIsSolicitedAtItsSolicitedNodeAddress() throws Exception {
        assertTrue(write(udp("fd00:64::2", "fd00:64::1:abcd")));
        ByteBuffer ns = ByteBuffer.wrap(tap.only());
        assertEquals(0x3333_ff01_abcdL, new EthernetHeader().wrap(ns, TapFrames.ETH).destination());
        Ipv6Header ip = new Ipv6Header().wrap(ns, L3);
        assertArrayEquals(TapFrames.address("ff02::1:ff01:abcd"), bytes(ns, ip.destinationOffset(), 16));
        NeighbourMessage nd = new NeighbourMessage().wrap(ns, L3 + Ipv6Header.LENGTH);
        assertEquals(NeighbourMessage.TYPE_SOLICITATION, nd.type());
        assertEquals(TAP, nd.macOption(NeighbourMessage.OPTION_SOURCE_MAC, ns.limit()));
        assertTrue(nd.checksumValid(ip, ip.payloadLength()));
        read(TapFrames.neighbour(TAP, HOST, NeighbourMessage.TYPE_ADVERTISEMENT, NeighbourMessage.FLAG_SOLICITED,
                "fd00:64::1:abcd", "fd00:64::2", "fd00:64::1:abcd", HOST, 255));
        assertEquals(HOST, TapFrames.ethernet(tap.only()).destination(), "the held packet");
    }

    @Test
    void entriesAgeOutAndAreRefreshedBeforeThey() throws Exception {
        read(TapFrames.wrap(TAP, HOST, udp("100.64.0.1", "100.64.0.2")));
        now.addAndGet(settings.ageingNanos() / 2 + 1);
        assertTrue(write(udp("100.64.0.2", "100.64.0.1")));
        assertEquals(2, tap.written.size(), "a unicast ARP to refresh, then the packet");
        assertEquals(HOST, TapFrames.ethernet(tap.written.getFirst()).destination());
        assertEquals(EthernetHeader.ETHERTYPE_ARP, TapFrames.ethernet(tap.written.getFirst()).etherType());
        tap.written.clear();
        now.addAndGet(settings.ageingNanos());
        assertTrue(write(udp("100.64.0.2", "100.64.0.1")));
        assertEquals(EthernetHeader.BROADCAST, TapFrames.ethernet(tap.only()).destination(), "aged out: asked anew");
        assertEquals(1, counters.held.sum());
    }

    @Test
    void malformedFramesAreDroppedWithAReason() throws Exception {
        read(new byte[20]);
        byte[] arp = TapFrames.arp(EthernetHeader.BROADCAST, HOST, ArpPacket.OP_REQUEST, HOST, "100.64.0.1", 0, "100.64.0.2");
        read(Arrays.copyOf(arp, arp.length - 4));
        read(TapFrames.neighbour(0x3333_ff00_0002L, HOST, NeighbourMessage.TYPE_SOLICITATION, 0, "fd00:64::1",
                "ff02::1:ff00:2", "fd00:64::2", HOST, 64));
        byte[] badChecksum = TapFrames.neighbour(0x3333_ff00_0002L, HOST, NeighbourMessage.TYPE_SOLICITATION, 0,
                "fd00:64::1", "ff02::1:ff00:2", "fd00:64::2", HOST, 255);
        badChecksum[badChecksum.length - 1] ^= 1;
        read(badChecksum);
        byte[] v6InV4 = TapFrames.wrap(TAP, HOST, udp("fd00:64::1", "fd00:64::2"));
        TapFrames.ethernet(v6InV4).etherType(EthernetHeader.ETHERTYPE_IPV4);
        read(v6InV4);
        read(TapFrames.wrap(TAP, 0x0100_5e00_0001L, udp("100.64.0.1", "100.64.0.2")));
        byte[] csumInEthernet = TapFrames.wrap(TAP, HOST, udp("100.64.0.1", "100.64.0.2"));
        new VirtioNetHdr().wrap(ByteBuffer.wrap(csumInEthernet), 0).flags(VirtioNetHdr.F_NEEDS_CSUM).csumStart(6);
        read(csumInEthernet);
        assertEquals(List.of(), handedOn);
        assertEquals(List.of(), tap.written);
        assertEquals(1, counters.drops(Drop.TAP_SHORT_FRAME));
        assertEquals(1, counters.drops(Drop.TAP_BAD_ARP));
        assertEquals(2, counters.drops(Drop.TAP_BAD_ND));
        assertEquals(2, counters.drops(Drop.TAP_BAD_ETHERNET));
        assertEquals(1, counters.drops(Drop.TAP_BAD_VNET_OFFSETS));
    }

    @Test
    void aTrainFromTheTapReachesTheDataPathWithItsHeaderMovedAndItsSegmentsKept() throws Exception {
        byte[] payload = new byte[5 * 1400 + 77];
        new java.util.Random(1).nextBytes(payload);
        byte[] train = SuiteFrames.tcpTrain(InetAddress.getByName("100.64.0.1"), InetAddress.getByName("100.64.0.2"),
                40000, 443, 7, payload, 1400);
        read(TapFrames.wrap(TAP, HOST, train));
        assertEquals(1, handedOn.size());
        assertArrayEquals(train, handedOn.getFirst(), "virtio header + IP, byte for byte as a tun gives it");
        VirtioNetHdr v = new VirtioNetHdr().wrap(ByteBuffer.wrap(handedOn.getFirst()), 0);
        assertEquals(VirtioNetHdr.GSO_TCPV4, v.gsoType());
        assertEquals(1400, v.gsoSize());
        assertEquals(20, v.csumStart());
        assertEquals(40, v.hdrLen());
        assertEquals(6, SuiteFrames.packets(handedOn.getFirst()).size());
        assertTrue(v4.usable(v4.find(ByteBuffer.wrap(TapFrames.address("100.64.0.1")), 0, false), now.get()),
                "the source was learned");
    }

    @Test
    void aTrainToTheTapGetsItsEthernetHeaderAndKeepsItsSegments() throws Exception {
        read(TapFrames.arp(EthernetHeader.BROADCAST, HOST, ArpPacket.OP_REQUEST, HOST, "100.64.0.1",
                0, "100.64.0.1"));
        read(TapFrames.neighbour(TAP, HOST, NeighbourMessage.TYPE_ADVERTISEMENT, 0, "fd00:64::1", "ff02::1",
                "fd00:64::1", HOST, 255));
        for (String[] ends : new String[][] {{"100.64.0.2", "100.64.0.1"}, {"fd00:64::2", "fd00:64::1"}}) {
            byte[] payload = new byte[9 * 1300 + 5];
            byte[] train = SuiteFrames.tcpTrain(InetAddress.getByName(ends[0]), InetAddress.getByName(ends[1]), 443,
                    40000, 99, payload, 1300);
            assertTrue(write(train));
            byte[] out = tap.only();
            assertArrayEquals(TapFrames.wrap(HOST, TAP, train), out, "Ethernet header in, csum_start and hdr_len +14");
            VirtioNetHdr v = new VirtioNetHdr().wrap(ByteBuffer.wrap(out), 0);
            assertEquals(1300, v.gsoSize());
            assertEquals(10, SuiteFrames.packets(TapFrames.unwrap(out)).size());
        }
    }

    private static byte[] bytes(ByteBuffer b, int at, int n) {
        byte[] a = new byte[n];
        b.get(at, a);
        return a;
    }
}
