package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Splits one frame read from the device (virtio_net_hdr + packet) into wire-sized segments, doing
 * in software what a NIC does for TSO/USO: per segment the IPv4 id, total length and header
 * checksum (or the IPv6 payload length), the TCP sequence number with FIN/PSH only on the last and
 * CWR only on the first segment, the UDP length, and a full L4 checksum. {@code hdr_len} and
 * {@code csum_start} from the kernel are not trusted: header lengths come from the packet itself.
 * Malformed frames are dropped with a {@link DropReason} and counted; nothing is thrown and nothing
 * is allocated per frame. One instance per queue loop (not thread-safe).
 */
public final class GsoSplitter {
    /** Bytes the caller keeps free before every segment (the WireGuard data header). */
    public static final int HEADROOM = 16;
    /** Bytes the caller keeps free after every segment (the AEAD tag). */
    public static final int TAILROOM = 16;

    private final int linkHeaderLength;
    private final long[] drops = new long[DropReason.values().length];
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private final EthernetHeader eth = new EthernetHeader();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();

    // The frame as parse() found it; cut() writes the train from these.
    private boolean train, v4, isTcp;
    private int proto, l4Rel, headerLength, gsoSize, segments, ipId, tcpFlags;
    private long addrSum, seq;
    // What measure() found, kept apart so a split() in between does not change it.
    private int measuredLength, measuredCount;

    /** @param tap true for a tap device: packets start with a 14-byte Ethernet header */
    public GsoSplitter(boolean tap) {
        this.linkHeaderLength = tap ? EthernetHeader.LENGTH : 0;
    }

    /**
     * Splits the frame at {@code [off, off+len)} of {@code in} into {@code out}. Returns true with
     * {@code result.count()} segments (or one in place, see {@link SplitResult#inPlace()}), or false
     * with {@code result.dropReason()} set. The input may be modified (checksum fields).
     */
    public boolean split(ByteBuffer in, int off, int len, SegmentSink out, SplitResult result) {
        result.reset();
        DropReason invalid = parse(in, off, len);
        if (invalid != null) {
            return drop(result, invalid);
        }
        int pkt = off + VirtioNetHdr.SIZE;
        int end = off + len;
        if (!train) {
            return notATrain(in, pkt, end, result);
        }
        if (segments > out.slots() || segments > result.capacity()) {
            return drop(result, DropReason.TOO_MANY_SEGMENTS);
        }
        int payload = end - pkt - headerLength;
        for (int i = 0; i < segments; i++) {
            if (out.capacity(i) < headerLength + Math.min(gsoSize, payload - i * gsoSize)) {
                return drop(result, DropReason.SEGMENT_TOO_BIG);
            }
        }
        int l3 = pkt + linkHeaderLength;
        int addrLen = v4 ? Ipv4Header.ADDR_LEN : Ipv6Header.ADDR_LEN;
        this.addrSum = InetChecksum.sum(in, l3 + (v4 ? Ipv4Header.SRC : Ipv6Header.SRC), 2 * addrLen, 0);
        cut(in, pkt, end, out, result);
        return true;
    }

    /**
     * Measures the frame at {@code [off, off+len)} without changing it or counting drops, so a caller can
     * size the buffer it splits into: true when {@link #split} would accept its headers, with
     * {@link #segmentLength()} and {@link #segmentCount()} set; false when split would drop it, with the
     * whole packet as one segment (room for nothing more is needed). IPv6 extension headers are walked
     * exactly as split walks them ({@code csum_start} is not trusted).
     */
    public boolean measure(ByteBuffer in, int off, int len) {
        int packet = Math.max(0, len - VirtioNetHdr.SIZE);
        if (parse(in, off, len) != null) {
            measuredLength = packet;
            measuredCount = 1;
            return false;
        }
        measuredLength = train ? Math.min(packet, headerLength + gsoSize) : packet;
        measuredCount = train ? segments : 1;
        return true;
    }

    /** From the last successful {@link #measure}: the length of a full segment (headers + gso_size). */
    public int segmentLength() {
        return measuredLength;
    }

    /** From the last successful {@link #measure}: how many segments the frame splits into (1 for no GSO). */
    public int segmentCount() {
        return measuredCount;
    }

    /**
     * Reads and checks the frame's headers into the train fields; null when {@link #cut} may go on (or,
     * with {@code train} false, when it is one packet), else why it is dropped. Reads only.
     */
    private DropReason parse(ByteBuffer in, int off, int len) {
        if (len < VirtioNetHdr.SIZE + linkHeaderLength) {
            return DropReason.TOO_SHORT;
        }
        vnet.wrap(in, off);
        int pkt = off + VirtioNetHdr.SIZE;
        int end = off + len;
        int type = vnet.gsoType() & ~VirtioNetHdr.GSO_ECN;
        this.train = type != VirtioNetHdr.GSO_NONE;
        if (!train) {
            return null;
        }
        if (type != VirtioNetHdr.GSO_TCPV4 && type != VirtioNetHdr.GSO_TCPV6 && type != VirtioNetHdr.GSO_UDP_L4) {
            return DropReason.UNKNOWN_GSO_TYPE;
        }
        int gsoSize = vnet.gsoSize();
        if (gsoSize == 0) {
            return DropReason.GSO_SIZE_ZERO;
        }
        int l3 = pkt + linkHeaderLength;
        if (linkHeaderLength > 0) {
            int et = eth.wrap(in, pkt).etherType();
            if (et != EthernetHeader.ETHERTYPE_IPV4 && et != EthernetHeader.ETHERTYPE_IPV6) {
                return DropReason.NOT_IP;
            }
        }
        if (end - l3 < Ipv4Header.MIN_LENGTH) {
            return DropReason.TOO_SHORT;
        }
        int version = Bytes.u8(in, l3) >>> 4;
        boolean v4 = version == Ipv4Header.VERSION;
        int l4;
        int proto;
        if (v4) {
            ip4.wrap(in, l3);
            int ihl = ip4.headerLength();
            if (ihl < Ipv4Header.MIN_LENGTH || l3 + ihl > end || ip4.isFragment()) {
                return DropReason.BAD_IP_HEADER;
            }
            if (ip4.totalLength() != end - l3) {
                return DropReason.LENGTH_MISMATCH;
            }
            l4 = l3 + ihl;
            proto = ip4.protocol();
        } else if (version == Ipv6Header.VERSION) {
            if (end - l3 < Ipv6Header.LENGTH) {
                return DropReason.TOO_SHORT;
            }
            ip6.wrap(in, l3);
            if (ip6.payloadLength() != end - l3 - Ipv6Header.LENGTH) {
                return DropReason.LENGTH_MISMATCH;
            }
            if (!ip6.findL4(end)) {
                return DropReason.BAD_IP_HEADER;
            }
            l4 = ip6.l4Offset();
            proto = ip6.l4Protocol();
        } else {
            return DropReason.BAD_IP_HEADER;
        }
        boolean isTcp = type != VirtioNetHdr.GSO_UDP_L4;
        if ((type == VirtioNetHdr.GSO_TCPV4 && !v4) || (type == VirtioNetHdr.GSO_TCPV6 && v4)
                || proto != (isTcp ? TcpHeader.PROTOCOL : UdpHeader.PROTOCOL)) {
            return DropReason.GSO_TYPE_MISMATCH;
        }
        int l4HeaderLength;
        if (isTcp) {
            if (end - l4 < TcpHeader.MIN_LENGTH) {
                return DropReason.TOO_SHORT;
            }
            l4HeaderLength = tcp.wrap(in, l4).headerLength();
            if (l4HeaderLength < TcpHeader.MIN_LENGTH || l4 + l4HeaderLength > end) {
                return DropReason.BAD_L4_HEADER;
            }
        } else {
            if (end - l4 < UdpHeader.LENGTH) {
                return DropReason.TOO_SHORT;
            }
            if (udp.wrap(in, l4).length() != end - l4) {
                return DropReason.LENGTH_MISMATCH;
            }
            l4HeaderLength = UdpHeader.LENGTH;
        }
        int headerLength = l4 + l4HeaderLength - pkt; // the recomputed hdr_len
        int payload = end - pkt - headerLength;
        if (payload <= 0) {
            return DropReason.NO_PAYLOAD;
        }
        this.v4 = v4;
        this.isTcp = isTcp;
        this.proto = proto;
        this.l4Rel = l4 - pkt;
        this.headerLength = headerLength;
        this.gsoSize = gsoSize;
        this.segments = (payload + gsoSize - 1) / gsoSize;
        this.ipId = v4 ? ip4.id() : 0;
        this.seq = isTcp ? tcp.sequence() : 0;
        this.tcpFlags = isTcp ? tcp.flags() : 0;
        return null;
    }

    /**
     * Writes the segments of the train {@link #split} has checked. A method of its own, and too big
     * for C2 to inline (over 325 bytes of bytecode), on purpose: compiled alone it has the whole
     * inlining budget for the checksum loops. All in split, the budget (NodeCountInliningCutoff)
     * ran out in this loop, the last code parsed: with a checksum loop of four access sites the L4
     * checksum's word loads became calls (2.5x the time per train in SplitCoalesceBench), and every
     * branch real traffic takes that the benchmark does not (UDP, IPv6) would move that edge.
     */
    private void cut(ByteBuffer in, int pkt, int end, SegmentSink out, SplitResult result) {
        int dataAt = pkt + headerLength;
        for (int i = 0; i < segments; i++) {
            int segPayload = Math.min(gsoSize, end - dataAt);
            int segLength = headerLength + segPayload;
            ByteBuffer dst = out.buffer(i);
            int d = out.offset(i);
            dst.put(d, in, pkt, headerLength);
            dst.put(d + headerLength, in, dataAt, segPayload);
            dataAt += segPayload;
            if (v4) {
                ip4.wrap(dst, d + linkHeaderLength).id((ipId + i) & 0xffff)
                        .totalLength(segLength - linkHeaderLength).updateChecksum();
            } else {
                ip6.wrap(dst, d + linkHeaderLength).payloadLength(segLength - linkHeaderLength - Ipv6Header.LENGTH);
            }
            int dl4 = d + l4Rel;
            int l4Length = segLength - l4Rel;
            long pseudo = addrSum + proto + l4Length;
            if (isTcp) {
                int f = tcpFlags;
                if (i < segments - 1) {
                    f &= ~(TcpHeader.FIN | TcpHeader.PSH);
                }
                if (i > 0) {
                    f &= ~TcpHeader.CWR;
                }
                tcp.wrap(dst, dl4).sequence((seq + (long) i * gsoSize) & 0xffffffffL).flags(f).checksum(0);
                tcp.checksum(InetChecksum.finish(InetChecksum.sum(dst, dl4, l4Length, pseudo)));
            } else {
                udp.wrap(dst, dl4).length(l4Length).checksum(0);
                int c = InetChecksum.finish(InetChecksum.sum(dst, dl4, l4Length, pseudo));
                udp.checksum(c == 0 ? 0xffff : c);
            }
            result.add(segLength);
        }
    }

    /** GSO_NONE: one packet, left where it is; a NEEDS_CSUM partial checksum is completed. */
    private boolean notATrain(ByteBuffer in, int pkt, int end, SplitResult result) {
        if ((vnet.flags() & VirtioNetHdr.F_NEEDS_CSUM) != 0) {
            int start = pkt + vnet.csumStart();
            int at = start + vnet.csumOffset();
            if (vnet.csumStart() < linkHeaderLength || at + 2 > end) {
                return drop(result, DropReason.BAD_CSUM_OFFSETS);
            }
            InetChecksum.completePartial(in, start, end, at);
        }
        result.inPlace(end - pkt);
        return true;
    }

    private boolean drop(SplitResult result, DropReason reason) {
        drops[reason.ordinal()]++;
        return result.drop(reason);
    }

    /** Frames dropped for {@code reason} since this splitter was made. */
    public long drops(DropReason reason) {
        return drops[reason.ordinal()];
    }
}
