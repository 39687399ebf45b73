package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import dev.platoon.core.peer.IndexEntry;
import dev.platoon.core.peer.IndexTable;
import dev.platoon.core.peer.Peer;
import dev.platoon.core.peer.ProtocolTimings;
import dev.platoon.core.routing.AllowedIps;
import dev.platoon.core.transport.InboundSink;
import dev.platoon.crypto.Protocol;
import dev.platoon.crypto.TransportCipher;
import dev.platoon.crypto.TransportHeader;
import dev.platoon.crypto.TransportKeypair;
import dev.platoon.tun.FrameWriter;
import dev.platoon.tun.GroCoalescer;
import dev.platoon.tun.Ipv4Header;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.VirtioNetHdr;
import io.netty.buffer.ByteBuf;

/**
 * network → tun, on one queue loop: for every datagram of a GRO batch, find the keypair by receiver
 * index, open it in place, check the replay window and that the inner source is one of the sender's
 * AllowedIPs, and hand the packet to the coalescer; at the end of the batch the coalescer writes the
 * merged trains to the tun queue (or, on a device that takes no trains, each packet as it comes).
 * Every other message goes to the {@link HandshakeInbound}.
 *
 * <p>The decrypted packets stay in the receive buffer until the batch ends (the coalescer copies a
 * packet only when a second one joins its train), so each datagram's buffer is retained until then.
 */
public final class InboundPath implements InboundSink {
    private final IndexTable<IndexEntry> indices;
    private final AllowedIps<Peer> routes;
    private final HandshakeInbound handshakes;
    private final FrameWriter tun;
    private final ProtocolTimings timings;
    private final TransportCipher cipher = new TransportCipher();
    private final DataPathCounters counters;
    private final DataPathCounters.LoopTally tally; // this loop's per-packet counts, published per batch
    private final BatchClock clock;
    private final PeerRun received = new PeerRun(PeerRun.Direction.RECEIVED);
    private final List<ByteBuf> held = new ArrayList<>(128);
    private final GroCoalescer coalescer; // null: packets are written one by one
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private final TransportHeader header = new TransportHeader();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    // The receive buffer the last datagram came in, and one ByteBuffer over all of it (see view()).
    private ByteBuf viewOf;
    private ByteBuffer view;
    private long viewAddress;
    private int viewCapacity;
    private int viewOffset;

    /**
     * @param tun       writes a frame to this loop's tun queue
     * @param tcpTrains whether the device takes TCP trains (TSO): then packets are coalesced, and UDP
     *                  ones too when {@code udpTrains}
     */
    public InboundPath(IndexTable<IndexEntry> indices, AllowedIps<Peer> routes, HandshakeInbound handshakes,
                       ProtocolTimings timings, DataPathCounters counters, LongSupplier nanoClock,
                       FrameWriter tun, boolean tcpTrains, boolean udpTrains) {
        this.indices = indices;
        this.routes = routes;
        this.handshakes = handshakes;
        this.timings = timings;
        this.counters = counters;
        this.tally = counters.newLoopTally();
        this.clock = new BatchClock(nanoClock);
        this.tun = tun;
        // Everything that reaches the coalescer was authenticated by the AEAD, so the TCP/UDP checksum
        // pass before merging buys nothing; the kernel's WireGuard trusts decrypted packets the same way.
        this.coalescer = tcpTrains ? GroCoalescer.trustingChecksums(udpTrains, tun) : null;
    }

    @Override
    public void datagram(ByteBuf content, InetSocketAddress sender) {
        int ri = content.readerIndex();
        int len = content.readableBytes();
        if (len < 4) {
            counters.drop(Drop.SHORT_DATAGRAM);
            return;
        }
        int type = content.getIntLE(ri);
        if (type == Protocol.MESSAGE_TRANSPORT) {
            transport(content, ri, len, sender);
        } else {
            handshakes.datagram(content, sender);
        }
    }

    private void transport(ByteBuf content, int ri, int len, InetSocketAddress sender) {
        if (len < Protocol.MESSAGE_TRANSPORT_MIN_SIZE) {
            counters.drop(Drop.SHORT_DATAGRAM);
            return;
        }
        ByteBuffer nio = view(content, ri, len);
        header.wrap(nio, viewOffset);
        IndexEntry entry = indices.lookup(header.receiver());
        TransportKeypair kp = entry == null ? null : entry.keypair();
        long now = clock.now();
        if (kp == null || entry.expired(now, timings)) {
            counters.drop(Drop.UNKNOWN_RECEIVER);
            return;
        }
        long counter = header.counter();
        int plain = header.packetOffset();
        int n = cipher.open(kp, counter, nio, plain, len - Protocol.MESSAGE_TRANSPORT_HEADER_SIZE);
        if (n < 0) {
            counters.drop(Drop.DECRYPT_FAILED);
            return;
        }
        if (Long.compareUnsigned(counter, Protocol.REJECT_AFTER_MESSAGES) >= 0) {
            // A sender past the limit must have rekeyed; this is not a replay, and not ours to accept.
            counters.drop(Drop.COUNTER_LIMIT);
            return;
        }
        if (!kp.acceptCounter(counter)) {
            counters.drop(Drop.REPLAYED);
            return;
        }
        Peer peer = entry.peer();
        tally.opened();
        peer.onTransportKeypairUsedForReceive(kp, now);
        peer.updateEndpoint(sender); // roaming: the source of the last authenticated packet (a no-op when unchanged)
        if (n == 0) {
            tally.keepalive();
            received.add(peer, now, 1, len, false);
            return;
        }
        int ipLength = innerLength(nio, plain, n);
        if (ipLength < 0) {
            counters.drop(Drop.MALFORMED_INNER);
            return;
        }
        if (routes.lookupSource(nio, plain) != peer) {
            counters.drop(Drop.SOURCE_NOT_ALLOWED);
            return;
        }
        received.add(peer, now, 1, len, true);
        if (coalescer == null) {
            // The virtio header goes where the transport header was: the packet is written where it lies.
            int frame = plain - VirtioNetHdr.SIZE;
            vnet.wrap(nio, frame).clear();
            tun.write(nio, frame, VirtioNetHdr.SIZE + ipLength);
            return;
        }
        held.add(content.retain());
        coalescer.add(nio, plain, ipLength);
    }

    /**
     * A ByteBuffer over the datagram at {@code [ri, ri+len)} of {@code content}; its absolute index is
     * left in {@link #viewOffset}. {@code ByteBuf.nioBuffer} makes a new ByteBuffer object per call
     * (and a sliced ByteBuf's internalNioBuffer is the same call), which was the one per-packet
     * allocation of this path. All datagrams of a GRO read are slices of one receive buffer, so one
     * view of that buffer serves them all: the datagram's offset in it is the difference of the
     * memory addresses. The view is only ever read and written at absolute indices, never moved, so
     * the coalescer may keep several packets of it at once. Without memory addresses (no Unsafe), a
     * view per datagram as before.
     */
    private ByteBuffer view(ByteBuf content, int ri, int len) {
        ByteBuf whole = content.unwrap() != null ? content.unwrap() : content;
        if (!content.hasMemoryAddress() || !whole.hasMemoryAddress()) {
            ByteBuffer nio = content.nioBuffer(ri, len);
            viewOffset = nio.position();
            return nio;
        }
        long address = whole.memoryAddress();
        int capacity = whole.capacity();
        // Same object, same memory: a recycled receive buffer elsewhere gets a new view.
        if (whole != viewOf || address != viewAddress || capacity != viewCapacity) {
            view = whole.nioBuffer(0, capacity);
            viewOf = whole;
            viewAddress = address;
            viewCapacity = capacity;
        }
        long offset = content.memoryAddress() + ri - address;
        if (offset < 0 || offset + len > capacity) { // not inside it after all: be safe
            ByteBuffer nio = content.nioBuffer(ri, len);
            viewOffset = nio.position();
            return nio;
        }
        viewOffset = (int) offset;
        return view;
    }

    /** The IP packet's own length (the plaintext may carry padding), or -1 if it is not IP. */
    private int innerLength(ByteBuffer b, int off, int n) {
        int length;
        if (n >= Ipv4Header.MIN_LENGTH && ip4.wrap(b, off).version() == Ipv4Header.VERSION) {
            length = ip4.totalLength();
            if (length < Ipv4Header.MIN_LENGTH) {
                return -1;
            }
        } else if (n >= Ipv6Header.LENGTH && ip6.wrap(b, off).version() == Ipv6Header.VERSION) {
            length = Ipv6Header.LENGTH + ip6.payloadLength();
        } else {
            return -1;
        }
        return length <= n ? length : -1;
    }

    @Override
    public void batchEnd() {
        received.flush();
        clock.batchEnd();
        tally.publish();
        try {
            if (coalescer != null) {
                coalescer.flush();
            }
        } finally {
            for (int i = 0; i < held.size(); i++) {
                held.get(i).release();
            }
            held.clear();
            // The batch's receive buffers may be recycled now; never hold one past its batch.
            viewOf = null;
            view = null;
        }
    }

    public GroCoalescer coalescer() {
        return coalescer;
    }
}
