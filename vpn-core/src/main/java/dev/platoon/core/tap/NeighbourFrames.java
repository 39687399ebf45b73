package dev.platoon.core.tap;

import java.nio.ByteBuffer;

import dev.platoon.tun.ArpPacket;
import dev.platoon.tun.EthernetHeader;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.NeighbourMessage;
import dev.platoon.tun.VirtioNetHdr;

/**
 * Builds the frames the tap sends on its own — ARP replies and requests, neighbour advertisements and
 * solicitations — into one reusable direct buffer per queue: virtio_net_hdr (zero: a complete
 * packet), Ethernet header, ARP or IPv6 + ICMPv6. Each method returns the frame's length; the frame
 * is valid until the next call.
 */
final class NeighbourFrames {
    static final int ETH = VirtioNetHdr.SIZE;
    static final int L3 = ETH + EthernetHeader.LENGTH;
    private static final int ND_LENGTH = NeighbourMessage.LENGTH + NeighbourMessage.MAC_OPTION_LENGTH;

    private final ByteBuffer frame = ByteBuffer.allocateDirect(L3 + Ipv6Header.LENGTH + ND_LENGTH);
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private final EthernetHeader eth = new EthernetHeader();
    private final ArpPacket arp = new ArpPacket();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final NeighbourMessage nd = new NeighbourMessage();
    private final long mac;

    NeighbourFrames(long mac) {
        this.mac = mac;
    }

    ByteBuffer buffer() {
        return frame;
    }

    /** An ARP packet from our MAC to {@code ethDestination}. */
    int arp(long ethDestination, int operation, int senderIp, long targetMac, int targetIp) {
        header(ethDestination, EthernetHeader.ETHERTYPE_ARP);
        arp.wrap(frame, L3).set(operation, mac, senderIp, targetMac, targetIp);
        return L3 + ArpPacket.LENGTH;
    }

    /**
     * A neighbour solicitation or advertisement from our MAC, carrying our MAC as its link-layer option.
     * Addresses are copied from {@code b}: IPv6 source, target, and IPv6 destination — or, when
     * {@code destination} is negative, the target's solicited-node multicast address (and its group MAC).
     */
    int neighbour(long ethDestination, int type, int flags, ByteBuffer b, int source, int destination, int target) {
        int ip = L3;
        int icmp = ip + Ipv6Header.LENGTH;
        ip6.wrap(frame, ip).set(ND_LENGTH, NeighbourMessage.NEXT_HEADER_ICMPV6, NeighbourMessage.HOP_LIMIT);
        copy16(b, source, ip6.sourceOffset());
        if (destination >= 0) {
            copy16(b, destination, ip6.destinationOffset());
        } else {
            int d = ip6.destinationOffset();
            for (int i = 0; i < 16; i++) {
                frame.put(d + i, (byte) 0);
            }
            frame.put(d, (byte) 0xff).put(d + 1, (byte) 0x02).put(d + 11, (byte) 0x01).put(d + 12, (byte) 0xff);
            for (int i = 13; i < 16; i++) {
                frame.put(d + i, b.get(target + i));
            }
            ethDestination = 0x3333_0000_0000L | (EthernetHeader.mac(frame, d + 10) & 0xffff_ffffL);
        }
        header(ethDestination, EthernetHeader.ETHERTYPE_IPV6);
        int option = type == NeighbourMessage.TYPE_SOLICITATION
                ? NeighbourMessage.OPTION_SOURCE_MAC : NeighbourMessage.OPTION_TARGET_MAC;
        nd.wrap(frame, icmp).set(type, flags, option, mac);
        copy16(b, target, nd.targetOffset());
        nd.checksum(ip6, ND_LENGTH);
        return icmp + ND_LENGTH;
    }

    private void header(long ethDestination, int etherType) {
        vnet.wrap(frame, 0).clear();
        eth.wrap(frame, ETH).destination(ethDestination).source(mac).etherType(etherType);
    }

    private void copy16(ByteBuffer from, int at, int to) {
        for (int i = 0; i < 16; i++) {
            frame.put(to + i, from.get(at + i));
        }
    }
}
