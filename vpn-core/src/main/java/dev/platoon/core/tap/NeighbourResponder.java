package dev.platoon.core.tap;

import dev.platoon.core.drop.Drop;

import java.nio.ByteBuffer;

import dev.platoon.tun.ArpPacket;
import dev.platoon.tun.EthernetHeader;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.NeighbourMessage;
import dev.platoon.tun.VirtioNetHdr;

/**
 * The tap's side of ARP and IPv6 neighbour discovery, on one queue's loop thread: answers requests and
 * solicitations for addresses in the tunnel or our own with our MAC, learns the MACs of the hosts
 * behind the tap from whatever they announce (requests, replies, gratuitous ARP, solicitations,
 * advertisements), and sends the probes the write path asks for.
 *
 * <p>Never answered: an address a host behind the tap is known to hold (with AllowedIPs of 0.0.0.0/0
 * every address is "in the tunnel", and answering for a neighbour would steal its traffic), and
 * duplicate-address probes (answering one would tell a host its own address is taken).
 */
final class NeighbourResponder {
    private final long mac;
    private final TapQueue lower;
    private final NeighbourTable v4;
    private final NeighbourTable v6;
    private final NeighbourTargets targets;
    private final TapCounters counters;
    private final NeighbourFrames frames;
    private final ArpPacket arp = new ArpPacket();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final NeighbourMessage nd = new NeighbourMessage();
    private final VirtioNetHdr vnet = new VirtioNetHdr();

    NeighbourResponder(long mac, TapQueue lower, NeighbourTable v4, NeighbourTable v6, NeighbourTargets targets,
                       TapCounters counters) {
        this.mac = mac;
        this.lower = lower;
        this.v4 = v4;
        this.v6 = v6;
        this.targets = targets;
        this.counters = counters;
        this.frames = new NeighbourFrames(mac);
    }

    /** The ARP packet at {@code [l3, end)} of a frame addressed to us or to everyone. */
    void arp(ByteBuffer b, int l3, int end, long now) {
        if (end - l3 < ArpPacket.LENGTH || !arp.wrap(b, l3).isEthernetIpv4() || EthernetHeader.isGroup(arp.senderMac())) {
            counters.drop(Drop.TAP_BAD_ARP);
            return;
        }
        int op = arp.operation();
        if (op != ArpPacket.OP_REQUEST && op != ArpPacket.OP_REPLY) {
            counters.drop(Drop.TAP_BAD_ARP);
            return;
        }
        int sender = arp.senderIp();
        if (sender != 0) {
            v4.learn(b, arp.senderIpOffset(), false, arp.senderMac(), now);
        }
        if (op == ArpPacket.OP_REPLY || sender == arp.targetIp()) {
            counters.neighbourUpdates.increment(); // a reply or a gratuitous ARP: it only teaches a MAC
            return;
        }
        if (sender == 0 || !answers(v4, b, arp.targetIpOffset(), false, now)) {
            counters.drop(Drop.TAP_NEIGHBOUR_NOT_OURS);
            return;
        }
        int n = frames.arp(arp.senderMac(), ArpPacket.OP_REPLY, arp.targetIp(), arp.senderMac(), sender);
        lower.writeFrame(frames.buffer(), 0, n);
        counters.arpAnswered.increment();
    }

    /**
     * Whether the IPv6 packet at {@code l3} is a neighbour solicitation or advertisement (then it is
     * handled here); false for any other packet, which goes on as IP.
     */
    boolean neighbourDiscovery(ByteBuffer b, int off, int l3, int end, long ethSource, long now) {
        if (end - l3 < Ipv6Header.LENGTH + NeighbourMessage.LENGTH) {
            return false;
        }
        ip6.wrap(b, l3);
        int icmp = l3 + Ipv6Header.LENGTH;
        if (ip6.nextHeader() != NeighbourMessage.NEXT_HEADER_ICMPV6) {
            return false;
        }
        int type = nd.wrap(b, icmp).type();
        if (type != NeighbourMessage.TYPE_SOLICITATION && type != NeighbourMessage.TYPE_ADVERTISEMENT) {
            return false;
        }
        int length = ip6.payloadLength();
        int ndEnd = icmp + length;
        boolean checksumPending = (vnet.wrap(b, off).flags() & VirtioNetHdr.F_NEEDS_CSUM) != 0;
        long option = ndEnd > end ? -2 : nd.macOption(type == NeighbourMessage.TYPE_SOLICITATION
                ? NeighbourMessage.OPTION_SOURCE_MAC : NeighbourMessage.OPTION_TARGET_MAC, ndEnd);
        boolean unspecifiedSource = NeighbourTable.hi(b, ip6.sourceOffset(), true) == 0
                && NeighbourTable.lo(b, ip6.sourceOffset(), true) == 0;
        if (ip6.hopLimit() != NeighbourMessage.HOP_LIMIT || nd.code() != 0 || length < NeighbourMessage.LENGTH
                || option == -2 || (unspecifiedSource && option != NeighbourMessage.NO_MAC)
                || (!checksumPending && !nd.checksumValid(ip6, length))) {
            counters.drop(Drop.TAP_BAD_ND);
            return true;
        }
        if (type == NeighbourMessage.TYPE_ADVERTISEMENT) {
            // A solicited advertisement may leave out its target option: the frame's source says the same.
            v6.learn(b, nd.targetOffset(), true, option == NeighbourMessage.NO_MAC ? ethSource : option, now);
            counters.neighbourUpdates.increment();
            return true;
        }
        if (option != NeighbourMessage.NO_MAC) {
            v6.learn(b, ip6.sourceOffset(), true, option, now);
        }
        if (unspecifiedSource || !answers(v6, b, nd.targetOffset(), true, now)) {
            counters.drop(Drop.TAP_NEIGHBOUR_NOT_OURS);
            return true;
        }
        long to = option == NeighbourMessage.NO_MAC ? ethSource : option;
        int n = frames.neighbour(to, NeighbourMessage.TYPE_ADVERTISEMENT,
                NeighbourMessage.FLAG_SOLICITED | NeighbourMessage.FLAG_OVERRIDE, b, nd.targetOffset(),
                ip6.sourceOffset(), nd.targetOffset());
        lower.writeFrame(frames.buffer(), 0, n);
        counters.ndAnswered.increment();
        return true;
    }

    private boolean answers(NeighbourTable table, ByteBuffer b, int address, boolean ipv6, long now) {
        NeighbourTable.Entry e = table.find(b, address, ipv6);
        if (table.usable(e, now) && e.mac() != mac) {
            return false;
        }
        return targets.answers(b, address, ipv6);
    }

    /**
     * Asks who holds the destination of the IP packet at {@code ip} (source and destination address
     * offsets given): broadcast ARP / multicast NS when {@code knownMac} is {@link NeighbourTable#NO_MAC},
     * else unicast to it (a refresh before the entry ages out).
     */
    void probe(ByteBuffer b, boolean ipv6, int source, int destination, long knownMac) {
        int n;
        if (!ipv6) {
            long to = knownMac == NeighbourTable.NO_MAC ? EthernetHeader.BROADCAST : knownMac;
            n = frames.arp(to, ArpPacket.OP_REQUEST, (int) (NeighbourTable.hi(b, source, false) >>> 32), 0,
                    (int) (NeighbourTable.hi(b, destination, false) >>> 32));
        } else if (knownMac == NeighbourTable.NO_MAC) {
            n = frames.neighbour(0, NeighbourMessage.TYPE_SOLICITATION, 0, b, source, -1, destination);
        } else {
            n = frames.neighbour(knownMac, NeighbourMessage.TYPE_SOLICITATION, 0, b, source, destination, destination);
        }
        lower.writeFrame(frames.buffer(), 0, n);
        counters.probesSent.increment();
    }
}
