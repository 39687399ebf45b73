package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.Peer;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.transport.TrainOut;
import dev.platoon.core.transport.TunFrameSink;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.TransportSealer;
import dev.platoon.crypto.TransportKeypair;
import dev.platoon.tun.GsoSplitter;
import dev.platoon.tun.SegmentSink;
import dev.platoon.tun.SplitResult;
import dev.platoon.tun.VirtioNetHdr;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * tun → network, on one queue loop: route a frame by destination, split it by gso_size into one
 * train buffer where every segment already sits behind room for its WireGuard header, seal every
 * segment in place, and send each run of equal-sized ciphertexts as one UDP_SEGMENT write.
 *
 * <p>The train buffer's stride is the sealed size of a full segment (16 + padded + 16), so the sealed
 * segments lie back to back exactly as UDP_SEGMENT wants them: no second copy. One instance per loop,
 * used only on that loop's thread.
 */
public final class OutboundPath implements TunFrameSink {
    /** Segments one frame may split into: 64 KiB at the smallest sensible MSS (~500 B) is ~130. */
    static final int MAX_SEGMENTS = 192;

    private final AllowedIps<Peer> routes;
    private final TrainOut sender;
    private final TransportSealer sealer = new TransportSealer();
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SplitResult split = new SplitResult(MAX_SEGMENTS);
    private final TrainLayout layout = new TrainLayout();
    private final ByteBufAllocator alloc;
    private final DataPathCounters counters;
    private final DataPathCounters.LoopTally tally; // this loop's per-packet counts, published per batch
    private final BatchClock clock;
    private final PeerRun sentRun = new PeerRun(PeerRun.Direction.SENT);
    private final int mtu;
    // The run of single packets being gathered for one UDP_SEGMENT write (see appendSingle).
    private ByteBuf pending;
    private ByteBuffer pendingNio;
    private InetSocketAddress pendingTo;
    private int pendingStride;
    private int pendingCount;

    public OutboundPath(AllowedIps<Peer> routes, TrainOut sender, ByteBufAllocator alloc, int mtu,
                        DataPathCounters counters, LongSupplier nanoClock) {
        this.routes = routes;
        this.sender = sender;
        this.alloc = alloc;
        this.mtu = mtu;
        this.counters = counters;
        this.tally = counters.newLoopTally();
        this.clock = new BatchClock(nanoClock);
    }

    @Override
    public void frame(ByteBuffer buf, int offset, int length) {
        int ip = offset + VirtioNetHdr.SIZE;
        if (length < VirtioNetHdr.SIZE + 20) {
            counters.drop(Drop.MALFORMED_FRAME);
            return;
        }
        Peer peer = routes.lookup(buf, ip);
        if (peer == null) {
            counters.drop(Drop.NO_ROUTE);
            return;
        }
        int maxSegment = TrainLayout.maxSegmentLength(splitter, buf, offset, length);
        int stride = Protocol.MESSAGE_TRANSPORT_HEADER_SIZE + Protocol.paddedLength(maxSegment, mtu)
                + Protocol.TAG_LENGTH;
        int segments = TrainLayout.segmentCount(splitter);
        if (segments > MAX_SEGMENTS) {
            counters.drop(Drop.TRAIN_TOO_LARGE);
            return;
        }
        long now = clock.now();
        if (segments == 1) {
            TransportKeypair kp = peer.sendKeypair(now);
            InetSocketAddress to = peer.endpoint();
            if (kp != null && to != null) {
                appendSingle(buf, offset, length, ip, peer, kp, to, stride, now);
                return;
            }
        }
        flushPending(); // keep the order: what is pending left the tun before this frame
        ByteBuf train = alloc.directBuffer(segments * stride + stride);
        try {
            ByteBuffer nio = train.internalNioBuffer(0, train.capacity());
            layout.reset(nio, nio.position(), stride, segments + 1);
            if (!splitter.split(buf, offset, length, layout, split)) {
                counters.drop(Drop.MALFORMED_FRAME);
                return;
            }
            int count = split.count();
            if (split.inPlace()) {
                // A single packet: copy it behind its header room (the read buffer is reused).
                nio.put(layout.offset(0), buf, ip, split.length(0));
            }
            tally.split(count);
            TransportKeypair kp = peer.sendKeypair(now);
            if (kp == null) {
                stage(peer, nio, count, now);
                return;
            }
            InetSocketAddress to = peer.endpoint();
            if (to == null) {
                counters.drop(Drop.NO_ENDPOINT, count);
                return;
            }
            sealAndSend(peer, kp, train, nio, count, stride, to, now);
        } finally {
            train.release();
        }
    }

    /**
     * A frame that is one packet (no GSO: UDP flows, ACKs, pings) is sealed into the pending run of its
     * endpoint when it has the same sealed size, so that a read batch of equal-sized packets still
     * leaves as one UDP_SEGMENT train — the batching wireguard-go does across reads. The run is sent
     * when it is full, when something else must go first, and at the end of the read batch.
     */
    private void appendSingle(ByteBuffer buf, int offset, int length, int ip, Peer peer, TransportKeypair kp,
                              InetSocketAddress to, int stride, long now) {
        int maxPerSend = Math.min(TrainOut.MAX_SEGMENTS, TrainOut.maxTrainBytes(to) / stride);
        if (pending != null && (pendingStride != stride || !to.equals(pendingTo) || pendingCount >= maxPerSend)) {
            flushPending();
        }
        if (pending == null) {
            pending = alloc.directBuffer(maxPerSend * stride);
            pendingNio = pending.internalNioBuffer(0, pending.capacity());
            pendingTo = to;
            pendingStride = stride;
            pendingCount = 0;
        }
        int o = pendingNio.position() + pendingCount * stride;
        layout.reset(pendingNio, o, stride, 1);
        if (!splitter.split(buf, offset, length, layout, split)) {
            counters.drop(Drop.MALFORMED_FRAME);
            return;
        }
        if (split.inPlace()) {
            pendingNio.put(layout.offset(0), buf, ip, split.length(0));
        }
        tally.split(1);
        int message = seal(kp, pendingNio, o, split.length(0));
        if (message < 0) {
            counters.drop(sealDrop(message));
            peer.requestHandshake(now);
            return;
        }
        pendingCount++;
        sentRun.add(peer, now, 1, message, true);
        if (pendingCount == maxPerSend) {
            flushPending();
        }
    }

    /** Hands the pending run of single packets to the sender (one UDP_SEGMENT write). */
    private void flushPending() {
        ByteBuf run = pending;
        if (run == null) {
            return;
        }
        pending = null;
        pendingNio = null;
        if (pendingCount == 0) {
            run.release();
            return;
        }
        run.writerIndex(pendingCount * pendingStride);
        sender.sendTrain(run, pendingStride, pendingTo);
    }

    /** Seals the packet at {@code o + 16} into a message at {@code o}; see {@link TransportSealer#seal}. */
    private int seal(TransportKeypair kp, ByteBuffer nio, int o, int len) {
        int message = sealer.seal(kp, nio, o, len, mtu);
        if (message > 0) {
            tally.sealed();
        }
        return message;
    }

    private static Drop sealDrop(int message) {
        return message == TransportSealer.FAILED ? Drop.SEAL_FAILED
                : Drop.COUNTER_EXHAUSTED;
    }

    private void sealAndSend(Peer peer, TransportKeypair kp, ByteBuf train, ByteBuffer nio, int count, int stride,
                             InetSocketAddress to, long now) {
        int base = nio.position();
        int maxPerSend = Math.min(TrainOut.MAX_SEGMENTS, TrainOut.maxTrainBytes(to) / stride);
        int runStart = 0;       // offset (relative to the buffer start) of the current run
        int runSegments = 0;
        int sealedBytes = 0;
        int sent = 0;
        for (int i = 0; i < count; i++) {
            int rel = i * stride;
            int o = base + rel;
            int message = seal(kp, nio, o, split.length(i));
            if (message < 0) {
                counters.drop(sealDrop(message), count - i);
                peer.requestHandshake(now);
                break;
            }
            sealedBytes += message;
            sent++;
            runSegments++;
            // A run ends at a shorter segment (it may only be the last), at the send limits, or at the end.
            boolean shortSegment = message != stride;
            if (shortSegment || runSegments == maxPerSend || i == count - 1) {
                int runEnd = rel + message;
                sender.sendTrain(train.retainedSlice(runStart, runEnd - runStart), stride, to);
                runStart = rel + stride;
                runSegments = 0;
            }
        }
        if (runSegments > 0) {
            // Stopped early (nonces spent): send what was sealed.
            int end = (sent - 1) * stride + stride;
            sender.sendTrain(train.retainedSlice(runStart, end - runStart), stride, to);
        }
        if (sent > 0) {
            sentRun.add(peer, now, sent, sealedBytes, true);
        }
        if (Long.compareUnsigned(kp.sentMessages(), Protocol.REKEY_AFTER_MESSAGES) >= 0) {
            peer.requestHandshake(now);
        }
    }

    private void stage(Peer peer, ByteBuffer nio, int count, long now) {
        for (int i = 0; i < count; i++) {
            int o = layout.offset(i);
            ByteBuffer packet = nio.duplicate();
            packet.limit(o + split.length(i)).position(o);
            if (!peer.stage(packet)) {
                counters.drop(Drop.STAGED_QUEUE_FULL);
            }
        }
        peer.requestHandshake(now);
    }

    @Override
    public void batchEnd() {
        // The queue loop flushes the sender after this: one sendmmsg for the whole read batch.
        flushPending();
        sentRun.flush();
        clock.batchEnd();
        tally.publish();
    }

    public GsoSplitter splitter() {
        return splitter;
    }

    /** The segment slots of one train buffer: slot i at base + i*stride + 16. */
    static final class TrainLayout implements SegmentSink {
        private ByteBuffer buffer;
        private int base;
        private int stride;
        private int slots;

        void reset(ByteBuffer buffer, int base, int stride, int slots) {
            this.buffer = buffer;
            this.base = base;
            this.stride = stride;
            this.slots = slots;
        }

        @Override
        public int slots() {
            return slots;
        }

        @Override
        public ByteBuffer buffer(int slot) {
            return buffer;
        }

        @Override
        public int offset(int slot) {
            return base + slot * stride + GsoSplitter.HEADROOM;
        }

        @Override
        public int capacity(int slot) {
            return stride - GsoSplitter.HEADROOM - GsoSplitter.TAILROOM;
        }

        /**
         * The length of a full segment of this frame (headers + gso_size) as the splitter measures it; a
         * frame the splitter would drop is sized as one packet and dropped when it is split.
         */
        static int maxSegmentLength(GsoSplitter splitter, ByteBuffer b, int off, int len) {
            splitter.measure(b, off, len);
            return splitter.segmentLength();
        }

        /** How many segments the frame last given to {@link #maxSegmentLength} splits into. */
        static int segmentCount(GsoSplitter splitter) {
            return splitter.segmentCount();
        }
    }
}
