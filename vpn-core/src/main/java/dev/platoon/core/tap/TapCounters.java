package dev.platoon.core.tap;

import java.util.concurrent.atomic.LongAdder;

import dev.platoon.core.drop.Drop;
import dev.platoon.core.transport.TransportCounters;

/**
 * What the tap side of a device did with frames that are not plain IP for the tunnel: answered,
 * learned from, or dropped with a reason. Shared by all queues (LongAdder: no contention between loops).
 * Its drops are counted with the device's other tun-side and UDP-side drops, in its
 * {@link TransportCounters}, where {@code show} and the metrics read every drop of the edges.
 */
public final class TapCounters {

    private final TransportCounters drops;

    /** Counters whose drops go to {@code transport}. */
    public TapCounters(TransportCounters transport) {
        this.drops = transport;
    }

    /** Counters of their own (a tap in a test). */
    public TapCounters() {
        this(new TransportCounters());
    }

    /** ARP replies and neighbour advertisements sent for addresses in the tunnel or our own. */
    public final LongAdder arpAnswered = new LongAdder();
    public final LongAdder ndAnswered = new LongAdder();
    /** ARP requests and neighbour solicitations sent for a destination without a known MAC, or to refresh one. */
    public final LongAdder probesSent = new LongAdder();
    /** Packets from the tunnel held while their destination's MAC was asked for. */
    public final LongAdder held = new LongAdder();
    /** ARP replies, gratuitous ARP and neighbour advertisements taken in (they only teach a MAC). */
    public final LongAdder neighbourUpdates = new LongAdder();
    /** Neighbours entered in the table, and entries whose MAC changed. */
    public final LongAdder neighboursLearned = new LongAdder();
    public final LongAdder macChanges = new LongAdder();
    /** Neighbours not entered because the table was full of live entries. */
    public final LongAdder tableFull = new LongAdder();

    public void drop(Drop reason) {
        drops.drop(reason);
    }

    public long drops(Drop reason) {
        return drops.drops(reason);
    }

    /** Every drop, all reasons. */
    public long drops() {
        long n = 0;
        for (Drop d : Drop.countedIn(Drop.Where.TAP)) {
            n += drops(d);
        }
        return n;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("TapCounters{arpAnswered=").append(arpAnswered.sum())
                .append(", ndAnswered=").append(ndAnswered.sum())
                .append(", probesSent=").append(probesSent.sum())
                .append(", held=").append(held.sum())
                .append(", neighbourUpdates=").append(neighbourUpdates.sum())
                .append(", learned=").append(neighboursLearned.sum())
                .append(", macChanges=").append(macChanges.sum());
        for (Drop d : Drop.countedIn(Drop.Where.TAP)) {
            long n = drops(d);
            if (n != 0) {
                s.append(", drop.").append(d.label()).append('=').append(n);
            }
        }
        return s.append('}').toString();
    }
}
