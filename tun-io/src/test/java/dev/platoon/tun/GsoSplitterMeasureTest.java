package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import dev.platoon.testkit.Packets;

/** {@link GsoSplitter#measure} sizes a frame exactly as {@link GsoSplitter#split} then cuts it. */
class GsoSplitterMeasureTest {
    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SegmentSlots slots = new SegmentSlots(64, 2000);
    private final SplitResult result = new SplitResult(64);
    private final byte[] frame = new byte[70000];

    @Test
    void tcp4TrainIsHeadersPlusGsoSizeTimesSegments() {
        int len = Packets.train(frame, true, Packets.TCP, 12, 1000, 3500, TcpHeader.ACK, new Random(1), 0);
        ByteBuffer in = Packets.direct(frame, len);
        assertTrue(splitter.measure(in, 0, len));
        assertEquals(20 + 32 + 1000, splitter.segmentLength());
        assertEquals(4, splitter.segmentCount());
        assertAgreesWithSplit(in, len);
    }

    @Test
    void ipv6ExtensionHeadersAreWalkedNotTakenFromCsumStart() {
        int len = Packets.train(frame, false, Packets.UDP, 0, 1200, 5000, 0, new Random(2), 16);
        Packets.put16le(frame, 6, Ipv6Header.LENGTH); // csum_start that skips the extension header
        Packets.put16le(frame, 2, Ipv6Header.LENGTH + UdpHeader.LENGTH);
        ByteBuffer in = Packets.direct(frame, len);
        assertTrue(splitter.measure(in, 0, len));
        assertEquals(Ipv6Header.LENGTH + 16 + UdpHeader.LENGTH + 1200, splitter.segmentLength());
        assertEquals(5, splitter.segmentCount());
        assertAgreesWithSplit(in, len);
    }

    @Test
    void aShortLastSegmentDoesNotShrinkTheFullOne() {
        int len = Packets.train(frame, true, Packets.UDP, 0, 1400, 1401, 0, new Random(3), 0);
        ByteBuffer in = Packets.direct(frame, len);
        assertTrue(splitter.measure(in, 0, len));
        assertEquals(20 + 8 + 1400, splitter.segmentLength());
        assertEquals(2, splitter.segmentCount());
    }

    @Test
    void aTrainOfOnePayloadIsTheWholePacket() {
        int len = Packets.train(frame, true, Packets.TCP, 0, 1400, 300, TcpHeader.ACK, new Random(4), 0);
        ByteBuffer in = Packets.direct(frame, len);
        assertTrue(splitter.measure(in, 0, len));
        assertEquals(len - VirtioNetHdr.SIZE, splitter.segmentLength());
        assertEquals(1, splitter.segmentCount());
    }

    @Test
    void aSinglePacketIsOneSegment() {
        int len = Packets.train(frame, true, Packets.UDP, 0, 1400, 100, 0, new Random(5), 0);
        frame[1] = VirtioNetHdr.GSO_NONE;
        assertTrue(splitter.measure(Packets.direct(frame, len), 0, len));
        assertEquals(len - VirtioNetHdr.SIZE, splitter.segmentLength());
        assertEquals(1, splitter.segmentCount());
    }

    @Test
    void aFrameSplitWouldDropIsOnePacketAndNeitherCountedNorChanged() {
        int len = Packets.train(frame, true, Packets.TCP, 0, 1000, 3000, TcpHeader.ACK, new Random(6), 0);
        frame[1] = VirtioNetHdr.GSO_TCPV6; // type mismatch
        ByteBuffer in = Packets.direct(frame, len);
        byte[] before = Packets.bytes(in, 0, len);
        assertFalse(splitter.measure(in, 0, len));
        assertEquals(len - VirtioNetHdr.SIZE, splitter.segmentLength());
        assertEquals(1, splitter.segmentCount());
        assertEquals(0, splitter.drops(DropReason.GSO_TYPE_MISMATCH));
        assertArrayEquals(before, Packets.bytes(in, 0, len));
        assertFalse(splitter.measure(in, 0, 3));
        assertEquals(0, splitter.segmentLength());
    }

    /** On any frame, corrupted or not, measure accepts exactly what split accepts and sizes it the same. */
    @RepeatedTest(300)
    void measureAgreesWithSplitOnCorruptedFrames(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition() * 104729L);
        int len = Packets.train(frame, r.nextBoolean(), r.nextBoolean() ? Packets.TCP : Packets.UDP,
                4 * r.nextInt(5), 100 + r.nextInt(1400), 1 + r.nextInt(20000), TcpHeader.ACK, r,
                r.nextBoolean() ? 0 : 8 * (1 + r.nextInt(3)));
        for (int i = r.nextInt(3); i > 0; i--) {
            frame[r.nextInt(Math.min(len, 120))] = (byte) r.nextInt(256);
        }
        ByteBuffer in = Packets.direct(frame, len);
        boolean measured = splitter.measure(in, 0, len);
        GsoSplitter fresh = new GsoSplitter(false);
        boolean split = fresh.split(in, 0, len, slots, result);
        boolean splitForSizing = split || result.dropReason() == DropReason.TOO_MANY_SEGMENTS
                || result.dropReason() == DropReason.SEGMENT_TOO_BIG;
        assertEquals(splitForSizing, measured, () -> "split: " + result.dropReason());
        if (split) {
            assertEquals(result.count(), splitter.segmentCount());
            assertEquals(result.length(0), splitter.segmentLength());
        }
    }

    private void assertAgreesWithSplit(ByteBuffer in, int len) {
        assertTrue(splitter.split(in, 0, len, slots, result), () -> "dropped: " + result.dropReason());
        assertEquals(splitter.segmentCount(), result.count());
        assertEquals(splitter.segmentLength(), result.length(0));
    }
}
