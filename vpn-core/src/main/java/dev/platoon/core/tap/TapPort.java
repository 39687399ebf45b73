package dev.platoon.core.tap;

import java.nio.ByteBuffer;
import java.util.function.Consumer;

import dev.platoon.core.drop.Drop;
import dev.platoon.core.transport.TunFrameSink;
import dev.platoon.core.transport.TunPort;
import dev.platoon.tun.EthernetHeader;
import dev.platoon.tun.Ipv4Header;
import dev.platoon.tun.Ipv6Header;
import dev.platoon.tun.VirtioNetHdr;
import io.netty.channel.IoEventLoop;
import io.netty.util.concurrent.Future;

/**
 * One tap queue seen as a tun queue: L2 towards the tap, L3 towards the data path, so the data path
 * runs unchanged over it.
 *
 * <p>Read: an IPv4/IPv6 frame addressed to our MAC goes on as virtio_net_hdr + IP, made in place by
 * moving the 12-byte virtio header 14 bytes forward over the Ethernet header and taking 14 from
 * {@code hdr_len} and {@code csum_start} (trains keep gso_type and gso_size); the sink then has 14
 * more bytes of headroom than a tun gives. ARP and neighbour discovery go to the {@link
 * NeighbourResponder}; everything else is dropped with a {@link Drop reason}. The sender's
 * MAC is learned for its source address.
 *
 * <p>Write: the Ethernet header (the destination's learned MAC, ours, the EtherType of the IP version)
 * goes between the virtio header and the packet — written as a gathered pair, the packet itself not
 * moved — with 14 added to {@code csum_start} and a non-zero {@code hdr_len}. For a destination without
 * a known MAC one ARP/NS goes out and the packet waits in {@link HeldFrames} (up to 64 per queue and a
 * second) until some queue learns the answer; past that, or with no slot free, it is dropped and counted.
 *
 * <p>Everything runs on the queue's loop thread and allocates nothing per packet.
 */
public final class TapPort implements TunPort, TunFrameSink {
    private static final int HEAD = VirtioNetHdr.SIZE + EthernetHeader.LENGTH;

    private final TapQueue lower;
    private final long mac;
    private final NeighbourTable v4;
    private final NeighbourTable v6;
    private final TapCounters counters;
    private final java.util.function.LongSupplier clock;
    private final NeighbourResponder responder;
    private final ByteBuffer head = ByteBuffer.allocateDirect(HEAD);
    private final VirtioNetHdr vnetIn = new VirtioNetHdr();
    private final VirtioNetHdr vnetOut = new VirtioNetHdr();
    private final EthernetHeader eth = new EthernetHeader();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final HeldFrames held = new HeldFrames();
    private final Runnable releaseTask = this::releaseHeld;
    private final Runnable expireTask = this::expireHeld;
    /** Past the hold time when the expiry check runs, so the oldest frame has expired by then. */
    private static final long EXPIRY_SLACK_NANOS = 10_000_000L;
    private final HeldFrames.Release release = this::releaseOne;
    private volatile IoEventLoop loop;
    private TunFrameSink sink;
    // Set by send() when the destination has no MAC: what the miss path needs (loop thread).
    private boolean missIpv6;
    private int missSource;
    private int missDestination;

    public TapPort(TapQueue lower, TapSettings settings, NeighbourTable v4, NeighbourTable v6, TapCounters counters) {
        this.lower = lower;
        this.mac = settings.mac();
        this.v4 = v4;
        this.v6 = v6;
        this.counters = counters;
        this.clock = settings.nanoClock();
        this.responder = new NeighbourResponder(mac, lower, v4, v6, settings.targets(), counters);
    }

    @Override
    public Future<Void> start(IoEventLoop loop, TunFrameSink sink) {
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
        this.loop = loop;
        return lower.start(loop, this);
    }

    /** A frame read from the tap: virtio_net_hdr at {@code off}, then the Ethernet frame. */
    @Override
    public void frame(ByteBuffer b, int off, int len) {
        if (len < HEAD) {
            counters.drop(Drop.TAP_SHORT_FRAME);
            return;
        }
        eth.wrap(b, off + VirtioNetHdr.SIZE);
        long destination = eth.destination();
        long source = eth.source();
        int type = eth.etherType();
        if (EthernetHeader.isGroup(source)) {
            counters.drop(Drop.TAP_BAD_ETHERNET);
            return;
        }
        boolean group = EthernetHeader.isGroup(destination);
        if (destination != mac && !group) {
            counters.drop(Drop.TAP_OTHER_HOST);
            return;
        }
        int l3 = off + HEAD;
        int end = off + len;
        long now = clock.getAsLong();
        switch (type) {
            case EthernetHeader.ETHERTYPE_ARP -> responder.arp(b, l3, end, now);
            case EthernetHeader.ETHERTYPE_IPV4, EthernetHeader.ETHERTYPE_IPV6 -> {
                boolean ipv6 = type == EthernetHeader.ETHERTYPE_IPV6;
                if (ipv6 && responder.neighbourDiscovery(b, off, l3, end, source, now)) {
                    return;
                }
                if (group) {
                    counters.drop(Drop.TAP_GROUP_NOT_ANSWERED);
                    return;
                }
                ip(b, off, l3, end, ipv6, source, now);
            }
            default -> counters.drop(Drop.TAP_NOT_IP);
        }
    }

    private void ip(ByteBuffer b, int off, int l3, int end, boolean ipv6, long source, long now) {
        if (end > l3 && ((b.get(l3) >> 4) & 0xf) != (ipv6 ? Ipv6Header.VERSION : Ipv4Header.VERSION)) {
            counters.drop(Drop.TAP_BAD_ETHERNET);
            return;
        }
        VirtioNetHdr in = vnetIn.wrap(b, off);
        int flags = in.flags(), gsoType = in.gsoType(), hdrLen = in.hdrLen(), gsoSize = in.gsoSize();
        int csumStart = in.csumStart(), csumOffset = in.csumOffset(), numBuffers = in.numBuffers();
        boolean needsCsum = (flags & VirtioNetHdr.F_NEEDS_CSUM) != 0;
        if ((needsCsum && csumStart < EthernetHeader.LENGTH) || (hdrLen != 0 && hdrLen < EthernetHeader.LENGTH)) {
            counters.drop(Drop.TAP_BAD_VNET_OFFSETS);
            return;
        }
        learnSource(b, l3, end, ipv6, source, now);
        int shifted = off + EthernetHeader.LENGTH;
        vnetOut.wrap(b, shifted).flags(flags).gsoType(gsoType).gsoSize(gsoSize).csumOffset(csumOffset)
                .numBuffers(numBuffers)
                .hdrLen(hdrLen == 0 ? 0 : hdrLen - EthernetHeader.LENGTH)
                .csumStart(needsCsum ? csumStart - EthernetHeader.LENGTH : csumStart);
        sink.frame(b, shifted, end - shifted);
    }

    private void learnSource(ByteBuffer b, int l3, int end, boolean ipv6, long source, long now) {
        if (!ipv6 && end - l3 >= Ipv4Header.MIN_LENGTH) {
            int at = ip4.wrap(b, l3).sourceOffset();
            if (b.getInt(at) != 0) {
                v4.learn(b, at, false, source, now);
            }
        } else if (ipv6 && end - l3 >= Ipv6Header.LENGTH) {
            int at = ip6.wrap(b, l3).sourceOffset();
            if (b.getLong(at) != 0 || b.getLong(at + 8) != 0) {
                v6.learn(b, at, true, source, now);
            }
        }
    }

    @Override
    public void batchEnd() {
        sink.batchEnd();
    }

    /** A frame from the data path: virtio_net_hdr at {@code offset}, then the IP packet or train. */
    @Override
    public boolean writeFrame(ByteBuffer direct, int offset, int length) {
        long now = clock.getAsLong();
        if (held.count() != 0) {
            releaseHeld(); // what may go now goes first: frames keep their order
        }
        int r = send(direct, offset, length, now);
        if (r != MISSING) {
            return r == SENT;
        }
        NeighbourTable table = missIpv6 ? v6 : v4;
        if (table.probeDue(direct, missDestination, missIpv6, now)) {
            responder.probe(direct, missIpv6, missSource, missDestination, NeighbourTable.NO_MAC);
        }
        boolean first = held.count() == 0;
        if (!held.hold(direct, offset, length, now)) {
            counters.drop(Drop.TAP_NO_NEIGHBOUR);
            return false;
        }
        counters.held.increment();
        if (first && loop != null) {
            // Unanswered, they expire and are counted even if nothing else is written on this queue.
            loop.schedule(expireTask, NeighbourTable.PROBE_INTERVAL_NANOS + EXPIRY_SLACK_NANOS,
                    java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        if (table.usable(table.find(direct, missDestination, missIpv6), now)) {
            releaseHeld(); // the answer came in on another queue between our miss and the hold
        }
        return true;
    }

    private static final int SENT = 0, REFUSED = 1, MISSING = 2;

    /** Writes the frame with its Ethernet header when the destination's MAC is known; else MISSING. */
    private int send(ByteBuffer direct, int offset, int length, long now) {
        int l3 = offset + VirtioNetHdr.SIZE;
        int end = offset + length;
        int version = end > l3 ? (direct.get(l3) >> 4) & 0xf : 0;
        boolean ipv6 = version == Ipv6Header.VERSION;
        if (!(version == Ipv4Header.VERSION && end - l3 >= Ipv4Header.MIN_LENGTH)
                && !(ipv6 && end - l3 >= Ipv6Header.LENGTH)) {
            counters.drop(Drop.TAP_NOT_IP_FROM_TUNNEL);
            return REFUSED;
        }
        int source = ipv6 ? ip6.wrap(direct, l3).sourceOffset() : ip4.wrap(direct, l3).sourceOffset();
        int destination = ipv6 ? ip6.destinationOffset() : ip4.destinationOffset();
        NeighbourTable table = ipv6 ? v6 : v4;
        NeighbourTable.Entry e = table.find(direct, destination, ipv6);
        if (!table.usable(e, now)) {
            missIpv6 = ipv6;
            missSource = source;
            missDestination = destination;
            return MISSING;
        }
        long to = e.mac();
        if (table.wantsRefresh(e, now)) {
            table.probed(e, now);
            responder.probe(direct, ipv6, source, destination, to);
        }
        VirtioNetHdr in = vnetIn.wrap(direct, offset);
        int flags = in.flags();
        int hdrLen = in.hdrLen();
        vnetOut.wrap(head, 0).flags(flags).gsoType(in.gsoType()).gsoSize(in.gsoSize()).csumOffset(in.csumOffset())
                .numBuffers(in.numBuffers())
                .hdrLen(hdrLen == 0 ? 0 : hdrLen + EthernetHeader.LENGTH)
                .csumStart((flags & VirtioNetHdr.F_NEEDS_CSUM) != 0
                        ? in.csumStart() + EthernetHeader.LENGTH : in.csumStart());
        eth.wrap(head, VirtioNetHdr.SIZE).destination(to).source(mac)
                .etherType(ipv6 ? EthernetHeader.ETHERTYPE_IPV6 : EthernetHeader.ETHERTYPE_IPV4);
        return lower.writeFrame(head, 0, HEAD, direct, l3, length - VirtioNetHdr.SIZE) ? SENT : REFUSED;
    }

    /**
     * Some queue learned a MAC (any thread): frames held here may go now, on this queue's loop. Costs
     * nothing when none are held.
     */
    void answerArrived() {
        if (held.count() == 0) {
            return;
        }
        IoEventLoop l = loop;
        if (l == null || l.inEventLoop()) {
            releaseHeld();
        } else {
            l.execute(releaseTask);
        }
    }

    private void releaseHeld() {
        held.release(clock.getAsLong(), release);
    }

    /** The hold time of the first frame held is over: send or drop what has waited; check again if some wait on. */
    private void expireHeld() {
        releaseHeld();
        if (held.count() != 0 && loop != null) {
            loop.schedule(expireTask, NeighbourTable.PROBE_INTERVAL_NANOS / 4, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private boolean releaseOne(ByteBuffer frame, int offset, int length, boolean expired) {
        if (send(frame, offset, length, clock.getAsLong()) != MISSING) {
            return true;
        }
        if (expired) {
            counters.drop(Drop.TAP_NO_NEIGHBOUR);
            return true;
        }
        return false;
    }

    @Override
    public void pauseReading() {
        lower.pauseReading();
    }

    @Override
    public void resumeReading() {
        lower.resumeReading();
    }

    @Override
    public void onReadFailure(Consumer<String> listener) {
        lower.onReadFailure(listener);
    }

    @Override
    public void close() {
        lower.close();
    }
}
