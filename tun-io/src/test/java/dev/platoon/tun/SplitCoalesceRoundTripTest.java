package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import dev.platoon.testkit.Checksum;
import dev.platoon.testkit.Packets;

/** Split a random train, check every segment independently, coalesce, and get the train back. */
@ParameterizedClass
@EnumSource(CoalescerMode.class)
class SplitCoalesceRoundTripTest {
    @Parameter
    CoalescerMode mode;

    private final GsoSplitter splitter = new GsoSplitter(false);
    private final SegmentSlots slots = new SegmentSlots(128, 9000);
    private final SplitResult result = new SplitResult(128);
    private final List<byte[]> written = new ArrayList<>();
    private GroCoalescer coalescer;

    @RepeatedTest(300)
    void randomTrainsSurviveSplitThenCoalesce(RepetitionInfo info) {
        coalescer = mode.make(true, (buf, off, len) -> written.add(Packets.bytes(buf, off, len)));
        Random r = new Random(0x5eed0000L + info.getCurrentRepetition());
        boolean v4 = r.nextBoolean();
        int proto = r.nextInt(3) == 0 ? Packets.UDP : Packets.TCP;
        int options = proto == Packets.TCP ? 4 * r.nextInt(11) : 0;
        int gso = 200 + r.nextInt(1300);
        int segments = 2 + r.nextInt(40);
        int payload = gso * (segments - 1) + 1 + r.nextInt(gso);
        while (payload + 120 > 65535) {
            segments--;
            payload = gso * (segments - 1) + 1 + r.nextInt(gso);
        }
        int flags = TcpHeader.ACK | (r.nextBoolean() ? TcpHeader.PSH : 0);
        byte[] frame = new byte[70000];
        int len = Packets.train(frame, v4, proto, options, gso, payload, flags, r, 0);
        byte[] original = java.util.Arrays.copyOf(frame, len);
        ByteBuffer in = Packets.direct(frame, len);

        assertTrue(splitter.split(in, 0, len, slots, result), () -> "dropped: " + result.dropReason());
        assertEquals(segments, result.count());
        int ipHl = original[VirtioNetHdr.SIZE] == 0x45 ? 20 : 40;
        int hdrLen = ipHl + (proto == Packets.TCP ? 20 + options : 8);
        for (int i = 0; i < segments; i++) {
            byte[] seg = Packets.bytes(slots.buffer(i), slots.offset(i), result.length(i));
            int expectPayload = i < segments - 1 ? gso : payload - gso * (segments - 1);
            assertEquals(hdrLen + expectPayload, seg.length);
            assertTrue(Checksum.packetValid(seg, 0, ipHl, seg.length, proto), "checksum of segment " + i);
            if (v4) {
                assertEquals(seg.length, Packets.u16(seg, 2));
                assertEquals((Packets.u16(original, 16) + i) & 0xffff, Packets.u16(seg, 4), "IPv4 id");
            } else {
                assertEquals(seg.length - 40, Packets.u16(seg, 4));
            }
            if (proto == Packets.TCP) {
                long seq0 = Packets.u32(original, VirtioNetHdr.SIZE + ipHl + 4);
                assertEquals((seq0 + (long) i * gso) & 0xffffffffL, Packets.u32(seg, ipHl + 4));
                int f = seg[ipHl + 13] & 0xff;
                assertEquals(i == segments - 1 ? flags : TcpHeader.ACK, f);
            } else {
                assertEquals(seg.length - ipHl, Packets.u16(seg, ipHl + 4), "UDP length");
            }
            coalescer.add(slots.buffer(i), slots.offset(i), result.length(i));
        }
        coalescer.flush();
        assertEquals(1, written.size(), "one train out");
        assertArrayEquals(original, written.get(0));
        assertEquals(segments, coalescer.segmentsInTrains());
    }

    @RepeatedTest(50)
    void checksumsAgreeOnLittleEndianBuffers(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        byte[] data = new byte[1 + r.nextInt(3000)];
        r.nextBytes(data);
        int off = r.nextInt(7);
        ByteBuffer be = ByteBuffer.allocateDirect(data.length + 8);
        be.put(off, data);
        ByteBuffer le = be.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        ByteBuffer heap = ByteBuffer.wrap(new byte[data.length + 8]).put(off, data);
        int expected = Checksum.checksum(data, 0, data.length);
        assertEquals(expected, InetChecksum.checksum(be, off, data.length));
        assertEquals(expected, InetChecksum.checksum(le, off, data.length));
        assertEquals(expected, InetChecksum.checksum(heap, off, data.length));
    }
}
