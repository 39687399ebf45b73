package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import dev.platoon.testkit.Checksum;
import dev.platoon.testkit.Packets;

/** What must not merge is written as it came, in order; in both modes but where they differ. */
@ParameterizedClass
@EnumSource(CoalescerMode.class)
class GroCoalescerTest {
    @Parameter
    CoalescerMode mode;

    private final List<byte[]> written = new ArrayList<>();
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SegmentSlots slots = new SegmentSlots(64, 2000);
    private final SplitResult result = new SplitResult(64);
    private final Random r = new Random(7);

    private GroCoalescer coalescer(boolean udp) {
        GroCoalescer c = mode.make(udp, (buf, off, len) -> written.add(Packets.bytes(buf, off, len)));
        assertEquals(mode == CoalescerMode.TRUSTING, c.trustsChecksums());
        return c;
    }

    /** Splits a train into slots and returns the segment count. */
    private int segments(boolean v4, int proto, int gso, int payload, int flags) {
        byte[] f = new byte[70000];
        int len = Packets.train(f, v4, proto, 0, gso, payload, flags, r, 0);
        splitter.split(Packets.direct(f, len), 0, len, slots, result);
        return result.count();
    }

    private byte[] seg(int i) {
        return Packets.bytes(slots.buffer(i), slots.offset(i), result.length(i));
    }

    private static void add(GroCoalescer c, byte[] pkt) {
        ByteBuffer b = ByteBuffer.allocateDirect(pkt.length + 16);
        b.put(16, pkt);
        c.add(b, 16, pkt.length);
    }

    private static byte[] plain(byte[] pkt) {
        byte[] f = new byte[pkt.length + 12];
        System.arraycopy(pkt, 0, f, 12, pkt.length);
        return f;
    }

    @Test
    void udpIsWrittenAsItCameWithoutUso() {
        GroCoalescer c = coalescer(false);
        int n = segments(true, Packets.UDP, 1000, 3000, 0);
        byte[][] s = {seg(0), seg(1), seg(2)};
        for (byte[] p : s) {
            add(c, p);
        }
        c.flush();
        assertEquals(n, written.size());
        for (int i = 0; i < n; i++) {
            assertArrayEquals(plain(s[i]), written.get(i));
        }
    }

    @Test
    void shorterDatagramEndsTheUdpTrain() {
        GroCoalescer c = coalescer(true);
        segments(false, Packets.UDP, 1000, 2500, 0); // 1000, 1000, 500
        byte[] a = seg(0), b = seg(1), shortOne = seg(2);
        add(c, a);
        add(c, shortOne);
        add(c, b); // larger than the last: must not join, must not be reordered
        c.flush();
        assertEquals(2, written.size());
        assertEquals(VirtioNetHdr.GSO_UDP_L4, written.get(0)[1]);
        assertArrayEquals(plain(b), written.get(1));
    }

    @Test
    void differentAckPshInTheMiddleAndOtherFlowsBreakTrains() {
        GroCoalescer c = coalescer(true);
        segments(true, Packets.TCP, 1000, 4000, TcpHeader.ACK | TcpHeader.PSH);
        byte[][] s = {seg(0), seg(1), seg(2), seg(3)};
        s[1][20 + 11] ^= 1; // ACK number differs: the second cannot join the first
        fixTcpChecksum(s[1]); // so that only the ACK number stands in the way
        segments(false, Packets.TCP, 1000, 1000, TcpHeader.ACK);
        byte[] other = seg(0);
        add(c, s[0]);
        add(c, s[1]);
        add(c, other);
        add(c, s[2]);
        add(c, s[3]);
        c.flush();
        // s0 | s1 | other | s2+s3 (s3 carries PSH: it may end a train)
        assertEquals(4, written.size());
        assertArrayEquals(plain(s[0]), written.get(0));
        assertArrayEquals(plain(s[1]), written.get(1));
        assertArrayEquals(plain(other), written.get(2));
        assertEquals(VirtioNetHdr.GSO_TCPV4, written.get(3)[1]);
        assertEquals(TcpHeader.ACK | TcpHeader.PSH, written.get(3)[12 + 33] & 0xff);
    }

    @Test
    void pshSegmentTakesNothingAfterIt() {
        GroCoalescer c = coalescer(true);
        segments(true, Packets.TCP, 1000, 3000, TcpHeader.ACK);
        byte[][] s = {seg(0), seg(1), seg(2)};
        s[0][33] |= TcpHeader.PSH;
        fixTcpChecksum(s[0]);
        for (byte[] p : s) {
            add(c, p);
        }
        c.flush();
        assertEquals(2, written.size());
        assertArrayEquals(plain(s[0]), written.get(0));
        assertEquals(2000 + 40, written.get(1).length - 12);
    }

    /** The one difference: a wrong TCP/UDP checksum stops a merge only when checksums are verified. */
    @Test
    void badL4ChecksumIsMergedOnlyWhenTrusted() {
        for (boolean v4 : new boolean[] {true, false}) {
            for (int proto : new int[] {Packets.TCP, Packets.UDP}) {
                written.clear();
                GroCoalescer c = coalescer(true);
                segments(v4, proto, 1000, 3000, TcpHeader.ACK);
                byte[][] s = {seg(0), seg(1), seg(2)};
                s[1][100] ^= 0x55;
                for (byte[] p : s) {
                    add(c, p);
                }
                c.flush();
                String what = (v4 ? "IPv4 " : "IPv6 ") + proto;
                if (mode == CoalescerMode.VERIFYING) {
                    assertEquals(3, written.size(), what);
                    assertArrayEquals(plain(s[1]), written.get(1), what);
                    assertEquals(1, c.checksumRefusals(), what);
                } else {
                    assertEquals(1, written.size(), what);
                    assertEquals(3, c.segmentsInTrains(), what);
                    assertEquals(0, c.checksumRefusals(), what);
                    byte[] t = written.get(0);
                    assertEquals(VirtioNetHdr.F_NEEDS_CSUM, t[0], what);
                    // The corrupted byte went into the train unchanged, where segment 1's payload is.
                    int hdr = s[0].length - 1000;
                    assertEquals(s[1][100], t[VirtioNetHdr.SIZE + hdr + 1000 + (100 - hdr)], what);
                }
            }
        }
    }

    @Test
    void badIpv4HeaderChecksumIsNeverMerged() {
        GroCoalescer c = coalescer(true);
        segments(true, Packets.TCP, 1000, 3000, TcpHeader.ACK);
        byte[][] s = {seg(0), seg(1), seg(2)};
        s[1][11] ^= 0x01; // the header checksum itself: every field merging compares still matches
        for (byte[] p : s) {
            add(c, p);
        }
        c.flush();
        // s1 is refused and ends s0's train; s2 has nothing left to join.
        assertEquals(3, written.size());
        assertArrayEquals(plain(s[1]), written.get(1));
        assertEquals(1, c.checksumRefusals());
    }

    @Test
    void packetsWithoutHeadroomAreCopied() {
        GroCoalescer c = coalescer(true);
        segments(true, Packets.TCP, 1000, 1000, TcpHeader.ACK);
        byte[] p = seg(0);
        c.add(ByteBuffer.wrap(p), 0, p.length);
        c.flush();
        assertArrayEquals(plain(p), written.get(0));
    }

    private static void fixTcpChecksum(byte[] p) {
        p[36] = 0;
        p[37] = 0;
        int c = ~Checksum.sum16(p, 20, p.length - 20, Checksum.pseudo(p, 0, 6, p.length - 20)) & 0xffff;
        Packets.put16(p, 36, c);
    }
}
