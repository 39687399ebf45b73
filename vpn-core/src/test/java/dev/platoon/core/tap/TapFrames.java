package dev.platoon.core.tap;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

import dev.platoon.tun.ArpPacket;
import dev.platoon.tun.EthernetHeader;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.NeighbourMessage;
import dev.platoon.tun.VirtioNetHdr;

/**
 * Tap frames (virtio_net_hdr + Ethernet) as a host behind the tap sends them, built with the main
 * code's flyweights: IP frames wrapped from tun frames and back, ARP, neighbour solicitations and
 * advertisements.
 */
public final class TapFrames {
    public static final int ETH = VirtioNetHdr.SIZE;
    public static final int L3 = ETH + EthernetHeader.LENGTH;

    private TapFrames() {
    }

    /** A tun frame (virtio header + IP) as the same packet on a tap: Ethernet header in, offsets +14. */
    public static byte[] wrap(long destination, long source, byte[] tunFrame) {
        ByteBuffer b = ByteBuffer.allocate(tunFrame.length + EthernetHeader.LENGTH);
        b.put(L3, tunFrame, ETH, tunFrame.length - ETH);
        b.put(0, tunFrame, 0, ETH);
        VirtioNetHdr v = new VirtioNetHdr().wrap(b, 0);
        shift(v, EthernetHeader.LENGTH);
        int type = (tunFrame[ETH] >> 4 & 0xf) == 6 ? EthernetHeader.ETHERTYPE_IPV6 : EthernetHeader.ETHERTYPE_IPV4;
        new EthernetHeader().wrap(b, ETH).destination(destination).source(source).etherType(type);
        return b.array();
    }

    /** The tun frame inside a tap frame carrying IP: the inverse of {@link #wrap}. */
    public static byte[] unwrap(byte[] tapFrame) {
        ByteBuffer b = ByteBuffer.allocate(tapFrame.length - EthernetHeader.LENGTH);
        b.put(0, tapFrame, 0, ETH);
        b.put(ETH, tapFrame, L3, tapFrame.length - L3);
        shift(new VirtioNetHdr().wrap(b, 0), -EthernetHeader.LENGTH);
        return b.array();
    }

    private static void shift(VirtioNetHdr v, int by) {
        if (v.hdrLen() != 0) {
            v.hdrLen(v.hdrLen() + by);
        }
        if ((v.flags() & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
            v.csumStart(v.csumStart() + by);
        }
    }

    public static long mac(ByteBuffer frame, int at) {
        return EthernetHeader.mac(frame, at);
    }

    public static EthernetHeader ethernet(byte[] frame) {
        return new EthernetHeader().wrap(ByteBuffer.wrap(frame), ETH);
    }

    public static ArpPacket arp(byte[] frame) {
        return new ArpPacket().wrap(ByteBuffer.wrap(frame), L3);
    }

    /** An ARP packet in a frame from {@code ethSource} to {@code ethDestination}. */
    public static byte[] arp(long ethDestination, long ethSource, int op, long senderMac, String senderIp,
                             long targetMac, String targetIp) {
        ByteBuffer b = ByteBuffer.allocate(L3 + ArpPacket.LENGTH);
        new EthernetHeader().wrap(b, ETH).destination(ethDestination).source(ethSource)
                .etherType(EthernetHeader.ETHERTYPE_ARP);
        new ArpPacket().wrap(b, L3).set(op, senderMac, ip4(senderIp), targetMac, ip4(targetIp));
        return b.array();
    }

    /**
     * A neighbour solicitation or advertisement ({@code type}) from {@code source} to {@code destination}
     * for {@code target}, with a link-layer option for {@code optionMac} unless it is
     * {@link NeighbourMessage#NO_MAC}; {@code hopLimit} should be 255.
     */
    public static byte[] neighbour(long ethDestination, long ethSource, int type, int flags, String source,
                                   String destination, String target, long optionMac, int hopLimit) {
        int ndLength = NeighbourMessage.LENGTH + (optionMac == NeighbourMessage.NO_MAC ? 0 : NeighbourMessage.MAC_OPTION_LENGTH);
        ByteBuffer b = ByteBuffer.allocate(L3 + Ipv6Header.LENGTH + ndLength);
        new EthernetHeader().wrap(b, ETH).destination(ethDestination).source(ethSource)
                .etherType(EthernetHeader.ETHERTYPE_IPV6);
        Ipv6Header ip = new Ipv6Header().wrap(b, L3).set(ndLength, NeighbourMessage.NEXT_HEADER_ICMPV6, hopLimit);
        b.put(ip.sourceOffset(), address(source)).put(ip.destinationOffset(), address(destination));
        NeighbourMessage nd = new NeighbourMessage().wrap(b, L3 + Ipv6Header.LENGTH);
        nd.set(type, flags, type == NeighbourMessage.TYPE_SOLICITATION
                ? NeighbourMessage.OPTION_SOURCE_MAC : NeighbourMessage.OPTION_TARGET_MAC, optionMac);
        b.put(nd.targetOffset(), address(target));
        nd.checksum(ip, ndLength);
        return b.array();
    }

    public static int ip4(String address) {
        return ByteBuffer.wrap(address(address)).getInt();
    }

    public static byte[] address(String literal) {
        try {
            return InetAddress.getByName(literal).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
