package dev.platoon.core.tap;

import java.util.concurrent.atomic.LongAdder;

import dev.platoon.core.transport.DropCounts;

/**
 * What the tap side of a device did with frames that are not plain IP for the tunnel: answered,
 * learned from, or dropped with a reason. Shared by all queues (LongAdder: no contention between loops).
 */
public final class TapCounters {

    /** Every reason a frame read from or written to the tap is not passed on. Metric label = {@link #label()}. */
    public enum Drop {
        /** Neither IPv4, IPv6 nor ARP (LLDP, VLAN-tagged, …): L3 tunnels carry IP only. */
        NOT_IP("tap_not_ip"),
        /** Broadcast or multicast that is not an ARP request or solicitation we answer (DHCP, mDNS, MLD, RS). */
        GROUP_NOT_ANSWERED("tap_group_not_answered"),
        /** Unicast to another host's MAC (a bridge floods unknown destinations to every port). */
        OTHER_HOST("tap_other_host"),
        /** ARP request or solicitation for an address neither in the tunnel nor ours, or a duplicate-address probe. */
        NEIGHBOUR_NOT_OURS("tap_neighbour_not_ours"),
        /** Shorter than the virtio header and an Ethernet header. */
        SHORT_FRAME("tap_short_frame"),
        /** A group address as source MAC, or the IP version disagrees with the EtherType. */
        BAD_ETHERNET("tap_bad_ethernet"),
        /** csum_start or hdr_len points into the Ethernet header. */
        BAD_VNET_OFFSETS("tap_bad_vnet_offsets"),
        /** Not Ethernet/IPv4 ARP, too short, or an unknown operation. */
        BAD_ARP("tap_bad_arp"),
        /** A neighbour discovery message that RFC 4861 §7.1 says to drop (hop limit, length, options, checksum). */
        BAD_ND("tap_bad_nd"),
        /** A packet from the tunnel for a host whose MAC is not known (yet): one ARP/NS is sent instead. */
        NO_NEIGHBOUR("tap_no_neighbour"),
        /** A packet from the tunnel that is not IPv4 or IPv6 (the data path never writes one). */
        NOT_IP_FROM_TUNNEL("tap_not_ip_from_tunnel");

        private final String label;

        Drop(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final DropCounts<Drop> drops = new DropCounts<>(Drop.class);

    /** ARP replies and neighbour advertisements sent for addresses in the tunnel or our own. */
    public final LongAdder arpAnswered = new LongAdder();
    public final LongAdder ndAnswered = new LongAdder();
    /** ARP requests and neighbour solicitations sent for a destination without a known MAC, or to refresh one. */
    public final LongAdder probesSent = new LongAdder();
    /** ARP replies, gratuitous ARP and neighbour advertisements taken in (they only teach a MAC). */
    public final LongAdder neighbourUpdates = new LongAdder();
    /** Neighbours entered in the table, and entries whose MAC changed. */
    public final LongAdder neighboursLearned = new LongAdder();
    public final LongAdder macChanges = new LongAdder();
    /** Neighbours not entered because the table was full of live entries. */
    public final LongAdder tableFull = new LongAdder();

    public void drop(Drop reason) {
        drops.add(reason, 1);
    }

    public long drops(Drop reason) {
        return drops.sum(reason);
    }

    /** Every drop, all reasons. */
    public long drops() {
        long n = 0;
        for (Drop d : Drop.values()) {
            n += drops(d);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TapCounters{arpAnswered=").append(arpAnswered.sum())
                .append(", ndAnswered=").append(ndAnswered.sum())
                .append(", probesSent=").append(probesSent.sum())
                .append(", neighbourUpdates=").append(neighbourUpdates.sum())
                .append(", learned=").append(neighboursLearned.sum())
                .append(", macChanges=").append(macChanges.sum());
        for (Drop d : Drop.values()) {
            long n = drops(d);
            if (n != 0) {
                s.append(", drop.").append(d.label()).append('=').append(n);
            }
        }
        return s.append('}').toString();
    }
}
