package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import dev.platoon.testkit.Checksum;
import dev.platoon.testkit.Packets;

class GsoSplitterTest {
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SegmentSlots slots = new SegmentSlots(64, 2000);
    private final SplitResult result = new SplitResult(64);
    private final Random r = new Random(42);

    private byte[] frame;
    private int len;

    private void tcp4Train(int gso, int payload) {
        frame = new byte[70000];
        len = Packets.train(frame, true, Packets.TCP, 0, gso, payload, TcpHeader.ACK, r, 0);
    }

    private DropReason dropOf(Consumer<byte[]> mutate) {
        return dropOf(splitter, mutate);
    }

    private DropReason dropOf(GsoSplitter s, Consumer<byte[]> mutate) {
        mutate.accept(frame);
        long before = s.drops(DropReason.values()[0]);
        boolean ok = s.split(Packets.direct(frame, len), 0, len, slots, result);
        assertFalse(ok, "should drop");
        assertEquals(0, result.count());
        DropReason reason = result.dropReason();
        assertTrue(s.drops(reason) >= 1);
        return reason;
    }

    @Test
    void tooShort() {
        tcp4Train(1000, 3000);
        len = 11;
        assertEquals(DropReason.TOO_SHORT, dropOf(f -> {}));
        tcp4Train(1000, 3000);
        len = VirtioNetHdr.SIZE + 10;
        assertEquals(DropReason.TOO_SHORT, dropOf(f -> {}));
    }

    @Test
    void unknownGsoTypes() {
        for (int t : new int[] {VirtioNetHdr.GSO_UDP, 2, 6, 0x7f}) {
            tcp4Train(1000, 3000);
            assertEquals(DropReason.UNKNOWN_GSO_TYPE, dropOf(f -> f[1] = (byte) t));
        }
    }

    @Test
    void gsoSizeZero() {
        tcp4Train(1000, 3000);
        assertEquals(DropReason.GSO_SIZE_ZERO, dropOf(f -> Packets.put16le(f, 4, 0)));
    }

    @Test
    void gsoTypeMismatch() {
        tcp4Train(1000, 3000);
        assertEquals(DropReason.GSO_TYPE_MISMATCH, dropOf(f -> f[1] = VirtioNetHdr.GSO_TCPV6));
        tcp4Train(1000, 3000);
        assertEquals(DropReason.GSO_TYPE_MISMATCH, dropOf(f -> f[1] = VirtioNetHdr.GSO_UDP_L4));
    }

    @Test
    void badIpHeaders() {
        tcp4Train(1000, 3000);
        assertEquals(DropReason.BAD_IP_HEADER, dropOf(f -> f[12] = 0x44)); // IHL 16 bytes
        tcp4Train(1000, 3000);
        assertEquals(DropReason.BAD_IP_HEADER, dropOf(f -> f[12] = 0x55)); // version 5
        tcp4Train(1000, 3000);
        assertEquals(DropReason.BAD_IP_HEADER, dropOf(f -> f[12 + 6] |= 0x20)); // MF
        frame = new byte[70000];
        len = Packets.train(frame, false, Packets.TCP, 0, 1000, 3000, TcpHeader.ACK, r, 8);
        assertEquals(DropReason.BAD_IP_HEADER, dropOf(f -> f[12 + 40] = (byte) Ipv6Header.NEXT_FRAGMENT));
    }

    @Test
    void lengthsThatDoNotAddUp() {
        tcp4Train(1000, 3000);
        assertEquals(DropReason.LENGTH_MISMATCH, dropOf(f -> Packets.put16(f, 14, Packets.u16(f, 14) + 1)));
        tcp4Train(1000, 3000);
        len -= 1;
        assertEquals(DropReason.LENGTH_MISMATCH, dropOf(f -> {}));
        frame = new byte[70000];
        len = Packets.train(frame, false, Packets.UDP, 0, 1000, 3000, 0, r, 0);
        assertEquals(DropReason.LENGTH_MISMATCH, dropOf(f -> Packets.put16(f, 12 + 40 + 4, 100)));
        frame = new byte[70000];
        len = Packets.train(frame, false, Packets.TCP, 0, 1000, 3000, 0, r, 0);
        assertEquals(DropReason.LENGTH_MISMATCH, dropOf(f -> Packets.put16(f, 12 + 4, 5)));
    }

    @Test
    void badTcpHeader() {
        tcp4Train(1000, 3000);
        assertEquals(DropReason.BAD_L4_HEADER, dropOf(f -> f[12 + 20 + 12] = 0x40)); // 16 bytes
        tcp4Train(1000, 3000);
        len = 12 + 20 + 40;
        assertEquals(DropReason.BAD_L4_HEADER, dropOf(f -> {
            Packets.put16(f, 14, 60);
            f[12 + 20 + 12] = (byte) 0xf0; // 60-byte TCP header in a 40-byte L4
        }));
    }

    @Test
    void noPayloadAndTooManySegments() {
        tcp4Train(1000, 3000);
        len = 12 + 40;
        assertEquals(DropReason.NO_PAYLOAD, dropOf(f -> Packets.put16(f, 14, 40)));
        tcp4Train(10, 3000); // 300 segments, 64 slots
        assertEquals(DropReason.TOO_MANY_SEGMENTS, dropOf(f -> {}));
        tcp4Train(4000, 8000); // 4040-byte segments, 2000-byte slots
        assertEquals(DropReason.SEGMENT_TOO_BIG, dropOf(f -> {}));
    }

    @Test
    void notIpInTapMode() {
        GsoSplitter tap = new GsoSplitter(true);
        frame = new byte[200];
        len = 100;
        frame[1] = VirtioNetHdr.GSO_TCPV4;
        Packets.put16le(frame, 4, 1000);
        Packets.put16(frame, 12 + 12, EthernetHeader.ETHERTYPE_ARP);
        assertEquals(DropReason.NOT_IP, dropOf(tap, f -> {}));
    }

    @Test
    void badChecksumOffsetsOnPlainFrame() {
        frame = new byte[200];
        len = 12 + 60;
        frame[0] = VirtioNetHdr.F_NEEDS_CSUM;
        Packets.put16le(frame, 6, 20);
        Packets.put16le(frame, 8, 40); // field past the end
        assertEquals(DropReason.BAD_CSUM_OFFSETS, dropOf(f -> {}));
    }

    @Test
    void finPshOnlyOnLastCwrOnlyOnFirst() {
        frame = new byte[70000];
        int flags = TcpHeader.ACK | TcpHeader.FIN | TcpHeader.PSH | TcpHeader.CWR;
        len = Packets.train(frame, true, Packets.TCP, 12, 1000, 2500, flags, r, 0);
        assertTrue(splitter.split(Packets.direct(frame, len), 0, len, slots, result));
        assertEquals(3, result.count());
        ByteBuffer b = slots.buffer(0);
        assertEquals(TcpHeader.ACK | TcpHeader.CWR, b.get(slots.offset(0) + 33) & 0xff);
        assertEquals(TcpHeader.ACK, b.get(slots.offset(1) + 33) & 0xff);
        assertEquals(TcpHeader.ACK | TcpHeader.FIN | TcpHeader.PSH, b.get(slots.offset(2) + 33) & 0xff);
        assertEquals(500 + 20 + 32, result.length(2), "short last segment");
    }

    @Test
    void ipv6ExtensionHeadersPassThroughAndSplit() {
        frame = new byte[70000];
        len = Packets.train(frame, false, Packets.TCP, 0, 1000, 2500, TcpHeader.ACK, r, 16);
        assertTrue(splitter.split(Packets.direct(frame, len), 0, len, slots, result), () -> "" + result.dropReason());
        assertEquals(3, result.count());
        for (int i = 0; i < 3; i++) {
            byte[] seg = Packets.bytes(slots.buffer(i), slots.offset(i), result.length(i));
            assertEquals(0, seg[6], "hop-by-hop kept");
            assertTrue(Checksum.packetValid(seg, 0, 56, seg.length, Packets.TCP));
        }
    }

    @Test
    void plainFrameGetsItsChecksumFinishedInPlace() {
        frame = new byte[70000];
        len = Packets.train(frame, true, Packets.UDP, 0, 1400, 700, 0, r, 0);
        frame[1] = VirtioNetHdr.GSO_NONE;
        ByteBuffer in = Packets.direct(frame, len);
        assertTrue(splitter.split(in, 0, len, slots, result));
        assertTrue(result.inPlace());
        assertEquals(len - 12, result.length(0));
        byte[] pkt = Packets.bytes(in, 12, len - 12);
        assertTrue(Checksum.packetValid(pkt, 0, 20, pkt.length, Packets.UDP));
    }

    @Test
    void tapTrainKeepsEthernetHeader() {
        GsoSplitter tap = new GsoSplitter(true);
        byte[] ip = new byte[70000];
        int ipLen = Packets.train(ip, true, Packets.TCP, 0, 1000, 2100, TcpHeader.ACK, r, 0);
        frame = new byte[ipLen + 14];
        System.arraycopy(ip, 0, frame, 0, 12);
        Packets.put16(frame, 12 + 12, EthernetHeader.ETHERTYPE_IPV4);
        System.arraycopy(ip, 12, frame, 26, ipLen - 12);
        len = ipLen + 14;
        assertTrue(tap.split(Packets.direct(frame, len), 0, len, slots, result), () -> "" + result.dropReason());
        assertEquals(3, result.count());
        for (int i = 0; i < 3; i++) {
            byte[] seg = Packets.bytes(slots.buffer(i), slots.offset(i), result.length(i));
            assertEquals(0x0800, Packets.u16(seg, 12));
            assertTrue(Checksum.packetValid(seg, 14, 34, seg.length, Packets.TCP));
        }
    }

    /** Random corruption never throws: every frame is split or dropped with a reason. */
    @RepeatedTest(400)
    void corruptedFramesNeverThrow(RepetitionInfo info) {
        Random rr = new Random(info.getCurrentRepetition() * 7919L);
        frame = new byte[70000];
        len = Packets.train(frame, rr.nextBoolean(), rr.nextBoolean() ? Packets.TCP : Packets.UDP,
                4 * rr.nextInt(5), 100 + rr.nextInt(1400), 1 + rr.nextInt(20000), TcpHeader.ACK, rr, 0);
        int flips = 1 + rr.nextInt(4);
        for (int i = 0; i < flips; i++) {
            frame[rr.nextInt(Math.min(len, 120))] = (byte) rr.nextInt(256);
        }
        len = rr.nextInt(10) == 0 ? rr.nextInt(len + 1) : len;
        boolean ok = splitter.split(Packets.direct(frame, len), 0, len, slots, result);
        assertTrue(ok ? result.count() > 0 && result.dropReason() == null : result.dropReason() != null);
    }
}
