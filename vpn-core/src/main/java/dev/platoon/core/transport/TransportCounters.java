package dev.platoon.core.transport;

import dev.platoon.core.drop.Drop;
import dev.platoon.core.drop.DropCounts;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of the transport plumbing, shared by all queue loops of one device. Writers are loop threads
 * (LongAdder: no contention between loops); readers are metrics/`show` threads.
 */
public final class TransportCounters {

    /** Every place where the transport itself loses a packet. Metric label = {@link #label()}. */
    private final DropCounts drops = new DropCounts();

    /** Trains whose GSO send failed as "unsupported" and were re-sent as single datagrams. */
    public final LongAdder gsoFallbackTrains = new LongAdder();
    /** Channels that turned UDP_SEGMENT off after such a failure (at most one per channel). */
    public final LongAdder gsoDisabledChannels = new LongAdder();
    /** Trains handed to the kernel as one UDP_SEGMENT send, and the datagrams in them. */
    public final LongAdder gsoTrainsSent = new LongAdder();
    public final LongAdder gsoSegmentsSent = new LongAdder();
    /** Datagrams handed to Netty one by one (GSO off, one-segment trains, control plane). */
    public final LongAdder singleDatagramsSent = new LongAdder();

    /**
     * Receive wake-ups (one per channelReadComplete with ≥ 1 datagram: up to
     * {@link UdpOptions#receiveMessagesPerWakeup()} recvmsg calls, each one datagram or one GRO batch) and
     * the datagrams they delivered.
     */
    public final LongAdder receiveBatches = new LongAdder();
    public final LongAdder receiveDatagrams = new LongAdder();
    private final AtomicLong receiveMaxBatch = new AtomicLong();
    /** The same for the {@link HandshakeSocket}: what the steering program kept off the queue loops. */
    public final LongAdder handshakeSocketBatches = new LongAdder();
    public final LongAdder handshakeSocketDatagrams = new LongAdder();
    /** Whether the device has a handshake socket now (the kernel took the steering program). */
    public volatile boolean handshakeSocketOpen;

    /** Tun read wakeups that yielded frames, and the frames. */
    public final LongAdder tunReadBatches = new LongAdder();
    public final LongAdder tunFramesRead = new LongAdder();
    public final LongAdder tunFramesWritten = new LongAdder();
    /** Times a queue loop stopped reading its tun queue because its UDP channel became unwritable. */
    public final LongAdder tunReadPauses = new LongAdder();

    public void drop(Drop reason) {
        drops.add(reason, 1);
    }

    public void drop(Drop reason, int packets) {
        drops.add(reason, packets);
    }

    public long drops(Drop reason) {
        return drops.sum(reason);
    }

    /** Records one receive batch of {@code datagrams} datagrams (called by the loop thread). */
    public void recordReceiveBatch(int datagrams) {
        receiveBatches.increment();
        receiveDatagrams.add(datagrams);
        // Plain read first: the max changes rarely, so the CAS is almost never attempted.
        if (datagrams > receiveMaxBatch.get()) {
            receiveMaxBatch.accumulateAndGet(datagrams, Math::max);
        }
    }

    /** Largest number of datagrams seen in one receive wake-up (GRO and batching at a glance). */
    public long receiveMaxBatch() {
        return receiveMaxBatch.get();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TransportCounters{gsoTrains=").append(gsoTrainsSent.sum())
                .append(", gsoSegments=").append(gsoSegmentsSent.sum())
                .append(", singles=").append(singleDatagramsSent.sum())
                .append(", gsoFallbackTrains=").append(gsoFallbackTrains.sum())
                .append(", gsoDisabledChannels=").append(gsoDisabledChannels.sum())
                .append(", rxBatches=").append(receiveBatches.sum())
                .append(", rxDatagrams=").append(receiveDatagrams.sum())
                .append(", rxMaxBatch=").append(receiveMaxBatch())
                .append(", tunReadBatches=").append(tunReadBatches.sum())
                .append(", tunFramesRead=").append(tunFramesRead.sum())
                .append(", tunFramesWritten=").append(tunFramesWritten.sum())
                .append(", tunReadPauses=").append(tunReadPauses.sum());
        for (Drop d : Drop.countedIn(Drop.Where.TRANSPORT)) {
            long n = drops(d);
            if (n != 0) {
                sb.append(", drop.").append(d.label()).append('=').append(n);
            }
        }
        return sb.append('}').toString();
    }
}
