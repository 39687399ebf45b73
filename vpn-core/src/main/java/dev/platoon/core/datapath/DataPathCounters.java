package dev.platoon.core.datapath;

import java.util.concurrent.atomic.LongAdder;

import dev.platoon.core.transport.DropCounts;

/**
 * Counters of the per-packet paths, shared by the queue loops of one device (LongAdder: loops do not
 * contend; each loop adds its per-packet counts once per batch through a {@link LoopTally}). They prove
 * the trains (frames read, segments per frame, datagrams per GRO batch, trains written) and name every
 * drop.
 */
public final class DataPathCounters {

    /** Every place the data path itself loses a packet. Metric label = {@link #label()}. */
    public enum Drop {
        NO_ROUTE("no_route"),                      // destination in no peer's AllowedIPs
        NO_ENDPOINT("no_endpoint"),                // the peer has no known endpoint yet
        MALFORMED_FRAME("malformed_frame"),        // the splitter refused the frame (see split reasons)
        STAGED_QUEUE_FULL("staged_queue_full"),    // no session and the staging queue is full
        COUNTER_EXHAUSTED("counter_exhausted"),    // the keypair's nonces are spent mid-train
        SEAL_FAILED("seal_failed"),                // keypair closed under the seal, or the cipher engine faulted
        TRAIN_TOO_LARGE("train_too_large"),        // more segments than the train buffer holds
        SHORT_DATAGRAM("short_datagram"),          // shorter than a transport header + tag, or empty
        BAD_MESSAGE_TYPE("bad_message_type"),      // first 4 bytes are not a known message type
        UNKNOWN_RECEIVER("unknown_receiver"),      // receiver index names no live keypair
        DECRYPT_FAILED("decrypt_failed"),          // tag did not verify
        REPLAYED("replayed"),                      // counter already seen or left of the window
        COUNTER_LIMIT("counter_limit"),            // authentic, but its counter is at or past REJECT_AFTER_MESSAGES
        MALFORMED_INNER("malformed_inner"),        // decrypted bytes are not an IPv4/IPv6 packet
        SOURCE_NOT_ALLOWED("source_not_allowed"),  // inner source outside the sender's AllowedIPs
        HANDSHAKE_QUEUE_FULL("handshake_queue_full"), // the handshake worker's queue is full
        MISROUTED_TRANSPORT("misrouted_transport"); // data on the handshake socket (while a port changes)

        private final String label;

        Drop(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final DropCounts<Drop> drops = new DropCounts<>(Drop.class);

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
