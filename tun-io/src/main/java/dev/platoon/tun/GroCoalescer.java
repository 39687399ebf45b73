package dev.platoon.tun;

import java.nio.ByteBuffer;

/**
 * Turns a batch of plain IP packets back into trains for the device (the reverse-path GRO write).
 * Consecutive TCP segments of one flow merge when the kernel's GRO would merge them: same addresses,
 * ports, ACK number, window and option bytes; IPv4 without options with equal ToS, TTL and DF, or
 * IPv6 without extension headers with equal traffic class and hop limit; flags ACK or ACK|PSH with
 * PSH only on the last; adjacent sequence numbers; all but the last segment of gso_size bytes.
 * With USO, consecutive UDP datagrams of one flow merge when equal in size (a shorter one ends the
 * train). Both checksums of a segment are verified before it merges, because the train goes out
 * with NEEDS_CSUM and the kernel would otherwise bless a corrupted segment — unless the coalescer was
 * made with {@link #trustingChecksums}, for packets whose bytes something stronger already vouched
 * for (see there).
 *
 * <p>Only the packet just before can be joined, so nothing is ever reordered: what cannot merge is
 * written as it came, in order. Contract: a packet passed to {@link #add} must stay unchanged until
 * {@link #flush()} returns (the first segment of a train is only copied when a second one joins),
 * and the 12 bytes before it (its headroom, e.g. the WireGuard header it was decrypted from) are
 * overwritten with a virtio_net_hdr when it is written unmerged; with less than 12 bytes of
 * headroom it is copied instead. One instance per queue loop; nothing is allocated per packet.
 */
public final class GroCoalescer {
    /** The kernel refuses longer USO writes on older kernels; 64 is always accepted. */
    public static final int MAX_SEGMENTS = 64;
    /** Largest IP packet a train may become: the IPv4 total length field. */
    public static final int MAX_TRAIN_LENGTH = 65535;

    private static final int NONE = 0, TCP4 = 1, TCP6 = 2, UDP4 = 3, UDP6 = 4;
    private static final int EMPTY = 0, HEAD = 1, TRAIN = 2;

    private final FrameWriter out;
    private final boolean udpEnabled;
    private final boolean trustL4Checksums;
    private final ByteBuffer train = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE + MAX_TRAIN_LENGTH + 64);
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(VirtioNetHdr.SIZE + MAX_TRAIN_LENGTH + 64);
    private final VirtioNetHdr vnet = new VirtioNetHdr();
    private final Ipv4Header ip4 = new Ipv4Header();
    private final Ipv6Header ip6 = new Ipv6Header();
    private final TcpHeader tcp = new TcpHeader();
    private final UdpHeader udp = new UdpHeader();

    // The packet being classified.
    private int kind, ipHl, l4Hl, payload, flags;
    private long seq;

    // The pending train: its first packet lives in (tBuf, tOff) — the caller's buffer while it is
    // alone (HEAD), then the train buffer (TRAIN).
    private int state = EMPTY;
    private ByteBuffer tBuf;
    private int tOff, tLen, tKind, tIpHl, tL4Hl, gsoSize, lastPayload, segments, headFlags;
    private boolean headVerified, lastPsh;
    private long nextSeq;

    private long packetsIn, framesOut, trainsOut, segmentsInTrains, checksumRefusals, oversize;

    /**
     * A coalescer that verifies the TCP/UDP checksum of every segment before it merges (a full pass
     * over the data): for packets nothing has authenticated.
     *
     * @param udpEnabled true when USO was negotiated (the kernel accepts GSO_UDP_L4 writes)
     */
    public GroCoalescer(boolean udpEnabled, FrameWriter out) {
        this(udpEnabled, out, false);
    }

    /**
     * A coalescer that does not verify TCP/UDP checksums, for packets that were just decrypted and
     * authenticated by the WireGuard AEAD: the Poly1305 tag already proves these are the bytes the
     * peer sealed, so a checksum pass over them can find nothing a transmission error could have
     * caused. Linux's WireGuard marks such packets CHECKSUM_UNNECESSARY for the same reason
     * (drivers/net/wireguard/receive.c), and, like it, this still checks the 20-byte IPv4 header
     * checksum (the kernel's ip_rcv does). Everything else is as in the verifying coalescer: the
     * same headers must match to merge, and a train goes out with NEEDS_CSUM and the pseudo-header
     * sum, so the kernel computes fresh checksums if the train is forwarded. What the peer itself
     * sealed with a wrong L4 checksum is then accepted here, as the kernel accepts it.
     *
     * @param udpEnabled true when USO was negotiated (the kernel accepts GSO_UDP_L4 writes)
     */
    public static GroCoalescer trustingChecksums(boolean udpEnabled, FrameWriter out) {
        return new GroCoalescer(udpEnabled, out, true);
    }

    private GroCoalescer(boolean udpEnabled, FrameWriter out, boolean trustL4Checksums) {
        this.udpEnabled = udpEnabled;
        this.out = out;
        this.trustL4Checksums = trustL4Checksums;
    }

    /** True when made by {@link #trustingChecksums}: TCP/UDP checksums are not verified. */
    public boolean trustsChecksums() {
        return trustL4Checksums;
    }

    /** Offers one IP packet at {@code [off, off+len)}; it is written now or at the latest by {@link #flush()}. */
    public void add(ByteBuffer buf, int off, int len) {
        packetsIn++;
        classify(buf, off, len);
        if (kind != NONE && state != EMPTY && joins(buf, off)) {
            if (!headVerified) {
                headVerified = verify(tBuf, tOff, tLen, tKind, tIpHl);
            }
            if (!headVerified) {
                flushPending();
            } else if (!verify(buf, off, len, kind, ipHl)) {
                flushPending();
                writeAsIs(buf, off, len);
                return;
            } else {
                append(buf, off);
                return;
            }
        }
        flushPending();
        if (kind == NONE) {
            writeAsIs(buf, off, len);
        } else {
            state = HEAD;
            tBuf = buf;
            tOff = off;
            tLen = len;
            tKind = kind;
            tIpHl = ipHl;
            tL4Hl = l4Hl;
            gsoSize = payload;
            lastPayload = payload;
            segments = 1;
            headFlags = flags;
            lastPsh = (flags & TcpHeader.PSH) != 0;
            nextSeq = (seq + payload) & 0xffffffffL;
            headVerified = false;
        }
    }

    /** Writes what is pending; call at the end of every batch. */
    public void flush() {
        flushPending();
    }

    private void classify(ByteBuffer b, int off, int len) {
        kind = NONE;
        if (len < Ipv4Header.MIN_LENGTH) {
            return;
        }
        int version = Ipv4Header.versionAt(b, off);
        int proto;
        if (version == Ipv4Header.VERSION) {
            ip4.wrap(b, off);
            if (ip4.headerLength() != Ipv4Header.MIN_LENGTH || ip4.totalLength() != len || ip4.isFragment()) {
                return;
            }
            ipHl = Ipv4Header.MIN_LENGTH;
            proto = ip4.protocol();
        } else if (version == Ipv6Header.VERSION && len >= Ipv6Header.LENGTH) {
            ip6.wrap(b, off);
            if (ip6.payloadLength() != len - Ipv6Header.LENGTH) {
                return;
            }
            ipHl = Ipv6Header.LENGTH;
            proto = ip6.nextHeader(); // an extension header here makes it no candidate
        } else {
            return;
        }
        int l4 = off + ipHl;
        if (proto == TcpHeader.PROTOCOL && len - ipHl >= TcpHeader.MIN_LENGTH) {
            tcp.wrap(b, l4);
            l4Hl = tcp.headerLength();
            flags = tcp.flags();
            payload = len - ipHl - l4Hl;
            if (l4Hl < TcpHeader.MIN_LENGTH || payload <= 0
                    || (flags != TcpHeader.ACK && flags != (TcpHeader.ACK | TcpHeader.PSH))) {
                return;
            }
            seq = tcp.sequence();
            kind = version == 4 ? TCP4 : TCP6;
        } else if (proto == UdpHeader.PROTOCOL && udpEnabled && len - ipHl >= UdpHeader.LENGTH) {
            udp.wrap(b, l4);
            l4Hl = UdpHeader.LENGTH;
            payload = len - ipHl - l4Hl;
            // An IPv4 UDP checksum of 0 means "none": nothing to verify, so no merge.
            if (udp.length() != len - ipHl || payload <= 0 || (version == 4 && udp.checksum() == 0)) {
                return;
            }
            flags = 0;
            kind = version == 4 ? UDP4 : UDP6;
        }
    }

    /** True when the classified packet continues the pending train (checksums aside). */
    private boolean joins(ByteBuffer b, int off) {
        if (kind != tKind || l4Hl != tL4Hl || segments >= MAX_SEGMENTS || lastPsh || lastPayload != gsoSize
                || payload > gsoSize || tLen + payload > MAX_TRAIN_LENGTH) {
            return false;
        }
        ByteBuffer t = tBuf;
        int o = tOff;
        if (kind == TCP4 || kind == UDP4) {
            // ToS, then TTL, DF and the reserved flag (MF and the offset are 0), both addresses.
            if (b.get(off + Ipv4Header.TOS) != t.get(o + Ipv4Header.TOS)
                    || b.get(off + Ipv4Header.TTL) != t.get(o + Ipv4Header.TTL)
                    || ((b.get(off + Ipv4Header.FLAGS_FRAGMENT) ^ t.get(o + Ipv4Header.FLAGS_FRAGMENT)) & 0xc0) != 0
                    || !Bytes.equal(b, off + Ipv4Header.SRC, t, o + Ipv4Header.SRC, 8)) {
                return false;
            }
        } else {
            // Traffic class and flow label (the first word but the version, as the kernel's GRO
            // compares: the train carries the head's, so a differing label would be rewritten);
            // hop limit; both addresses.
            if (((b.getInt(off) ^ t.getInt(o)) & 0x0fffffff) != 0
                    || b.get(off + Ipv6Header.HOP_LIMIT) != t.get(o + Ipv6Header.HOP_LIMIT)
                    || !Bytes.equal(b, off + Ipv6Header.SRC, t, o + Ipv6Header.SRC, 32)) {
                return false;
            }
        }
        int l4 = off + ipHl;
        int tl4 = o + tIpHl;
        if (kind == UDP4 || kind == UDP6) {
            return b.getInt(l4) == t.getInt(tl4); // both ports
        }
        // Ports, then ACK number; the data offset byte with its reserved and AE bits (the train
        // carries the head's); window; options byte for byte; the next sequence number.
        return b.getInt(l4) == t.getInt(tl4)
                && b.getInt(l4 + TcpHeader.ACKNOWLEDGMENT) == t.getInt(tl4 + TcpHeader.ACKNOWLEDGMENT)
                && b.get(l4 + TcpHeader.DATA_OFFSET) == t.get(tl4 + TcpHeader.DATA_OFFSET)
                && b.getShort(l4 + TcpHeader.WINDOW) == t.getShort(tl4 + TcpHeader.WINDOW)
                && Bytes.equal(b, l4 + TcpHeader.MIN_LENGTH, t, tl4 + TcpHeader.MIN_LENGTH, l4Hl - TcpHeader.MIN_LENGTH)
                && seq == nextSeq;
    }

    private boolean verify(ByteBuffer b, int off, int len, int k, int iphl) {
        boolean v4 = k == TCP4 || k == UDP4;
        if (v4 && !InetChecksum.verify(b, off, iphl, 0)) {
            checksumRefusals++;
            return false;
        }
        if (trustL4Checksums) {
            return true;
        }
        int proto = (k == TCP4 || k == TCP6) ? TcpHeader.PROTOCOL : UdpHeader.PROTOCOL;
        long pseudo = InetChecksum.pseudoHeader(b, off + (v4 ? Ipv4Header.SRC : Ipv6Header.SRC),
                v4 ? Ipv4Header.ADDR_LEN : Ipv6Header.ADDR_LEN, proto, len - iphl);
        boolean ok = InetChecksum.verify(b, off + iphl, len - iphl, pseudo);
        if (!ok) {
            checksumRefusals++;
        }
        return ok;
    }

    private void append(ByteBuffer b, int off) {
        if (state == HEAD) {
            train.put(VirtioNetHdr.SIZE, tBuf, tOff, tLen);
            tBuf = train;
            tOff = VirtioNetHdr.SIZE;
            state = TRAIN;
        }
        train.put(tOff + tLen, b, off + ipHl + l4Hl, payload);
        tLen += payload;
        segments++;
        lastPayload = payload;
        lastPsh = (flags & TcpHeader.PSH) != 0;
        nextSeq = (nextSeq + payload) & 0xffffffffL;
    }

    private void flushPending() {
        if (state == HEAD) {
            writeAsIs(tBuf, tOff, tLen);
        } else if (state == TRAIN) {
            writeTrain();
        }
        state = EMPTY;
        tBuf = null;
    }

    private void writeTrain() {
        boolean v4 = tKind == TCP4 || tKind == UDP4;
        boolean isTcp = tKind == TCP4 || tKind == TCP6;
        int ip = VirtioNetHdr.SIZE;
        int l4 = ip + tIpHl;
        int l4Len = tLen - tIpHl;
        int proto = isTcp ? TcpHeader.PROTOCOL : UdpHeader.PROTOCOL;
        long pseudo;
        if (v4) {
            pseudo = ip4.wrap(train, ip).totalLength(tLen).updateChecksum().pseudoHeader(proto, l4Len);
        } else {
            pseudo = ip6.wrap(train, ip).payloadLength(tLen - Ipv6Header.LENGTH).pseudoHeader(proto, l4Len);
        }
        // The L4 checksum field carries the pseudo-header sum; the kernel adds the rest (NEEDS_CSUM).
        int partial = InetChecksum.fold(pseudo);
        if (isTcp) {
            tcp.wrap(train, l4).flags(headFlags | (lastPsh ? TcpHeader.PSH : 0)).checksum(partial);
        } else {
            udp.wrap(train, l4).length(l4Len).checksum(partial);
        }
        vnet.wrap(train, 0).flags(VirtioNetHdr.F_NEEDS_CSUM)
                .gsoType(isTcp ? (v4 ? VirtioNetHdr.GSO_TCPV4 : VirtioNetHdr.GSO_TCPV6) : VirtioNetHdr.GSO_UDP_L4)
                .hdrLen(tIpHl + tL4Hl).gsoSize(gsoSize).csumStart(tIpHl)
                .csumOffset(isTcp ? TcpHeader.CHECKSUM_OFFSET : UdpHeader.CHECKSUM_OFFSET).numBuffers(0);
        trainsOut++;
        framesOut++;
        segmentsInTrains += segments;
        out.write(train, 0, VirtioNetHdr.SIZE + tLen);
    }

    private void writeAsIs(ByteBuffer b, int off, int len) {
        framesOut++;
        if (off >= VirtioNetHdr.SIZE) {
            vnet.wrap(b, off - VirtioNetHdr.SIZE).clear();
            out.write(b, off - VirtioNetHdr.SIZE, len + VirtioNetHdr.SIZE);
        } else if (len <= MAX_TRAIN_LENGTH) {
            vnet.wrap(scratch, 0).clear();
            scratch.put(VirtioNetHdr.SIZE, b, off, len);
            out.write(scratch, 0, len + VirtioNetHdr.SIZE);
        } else {
            framesOut--;
            oversize++; // cannot be an IP packet; the device would refuse it anyway
        }
    }

    public long packetsIn() { return packetsIn; }
    /** Frames written: trains plus packets written as they came. */
    public long framesOut() { return framesOut; }
    public long trainsOut() { return trainsOut; }
    public long segmentsInTrains() { return segmentsInTrains; }
    /**
     * Segments that would have merged but carried a bad checksum (written as they came); in a
     * {@link #trustingChecksums} coalescer only bad IPv4 header checksums.
     */
    public long checksumRefusals() { return checksumRefusals; }
    /** Packets over 64 KiB with no headroom, dropped. */
    public long oversize() { return oversize; }
}
