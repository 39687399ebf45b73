package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;
import dev.platoon.core.drop.DropCounts;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the per-packet paths, shared by the queue loops of one device (LongAdder: loops do not
 * contend; each loop adds its per-packet counts once per batch through a {@link LoopTally}). They prove
 * the trains (frames read, segments per frame, datagrams per GRO batch, trains written) and name every
 * drop.
 */
public final class DataPathCounters {
    /** The data path's drops, by the registry's names ({@link Drop}). */
    private final DropCounts drops = new DropCounts();

    /** Frames read from the tun device and the IP packets they split into. */
    public final LongAdder framesRead = new LongAdder();
    public final LongAdder segmentsFromFrames = new LongAdder();
    /** Largest number of segments seen in one frame. */
    public final java.util.concurrent.atomic.AtomicLong maxSegmentsPerFrame = new java.util.concurrent.atomic.AtomicLong();
    /** Transport data messages sealed and opened. */
    public final LongAdder packetsSealed = new LongAdder();
    public final LongAdder packetsOpened = new LongAdder();
    public final LongAdder keepalivesReceived = new LongAdder();
    // Frames and trains written to the tun are counted by each loop's GroCoalescer (tun-io).

    public void drop(Drop reason) {
        drops.add(reason, 1);
    }

    public void drop(Drop reason, int packets) {
        drops.add(reason, packets);
    }

    public long drops(Drop reason) {
        return drops.sum(reason);
    }

    /** A tally for one queue loop: see {@link LoopTally}. */
    public LoopTally newLoopTally() {
        return new LoopTally();
    }

    /**
     * One queue loop's per-packet counts in plain fields, owned by the loop's thread and added to the
     * shared counters once per read batch ({@link #publish()}): even an uncontended LongAdder is a CAS,
     * and with one per counter per packet they were 2 % of a UDP sender's CPU in a profile. Readers
     * (metrics, status) see the counts at most one batch late.
     */
    public final class LoopTally {
        private long frames;
        private long segments;
        private long maxSegments;
        private long sealed;
        private long opened;
        private long keepalives;

        LoopTally() {
        }

        public void split(int segmentsOfFrame) {
            frames++;
            segments += segmentsOfFrame;
            if (segmentsOfFrame > maxSegments) {
                maxSegments = segmentsOfFrame;
            }
        }

        public void sealed() {
            sealed++;
        }

        public void opened() {
            opened++;
        }

        public void keepalive() {
            keepalives++;
        }

        /** Adds this batch's counts to the device's counters and starts again from zero. */
        public void publish() {
            if (frames != 0) {
                recordSplits(frames, segments, maxSegments);
                frames = 0;
                segments = 0;
                maxSegments = 0;
            }
            if (sealed != 0) {
                packetsSealed.add(sealed);
                sealed = 0;
            }
            if (opened != 0) {
                packetsOpened.add(opened);
                opened = 0;
            }
            if (keepalives != 0) {
                keepalivesReceived.add(keepalives);
                keepalives = 0;
            }
        }
    }

    private void recordSplits(long frames, long segments, long largest) {
        framesRead.add(frames);
        segmentsFromFrames.add(segments);
        long max = maxSegmentsPerFrame.get();
        while (largest > max && !maxSegmentsPerFrame.compareAndSet(max, largest)) {
            max = maxSegmentsPerFrame.get();
        }
    }
}
