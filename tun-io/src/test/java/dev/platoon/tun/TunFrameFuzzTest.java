package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import dev.platoon.testkit.Checksum;
import dev.platoon.testkit.Packets;

/**
 * Coverage-guided fuzz target for the tun frame path: virtio_net_hdr parsing and
 * {@link GsoSplitter#split}, and {@link GroCoalescer} in both modes. Inputs are either raw frames,
 * valid GSO trains built from the input's parameters and then mutated, or raw packet sequences.
 *
 * <p>Oracles beyond "no exception": a refused frame has a reason and exactly that reason's counter
 * moved; every segment of a split carries valid checksums and lengths; an unmutated train split
 * and coalesced again is the original frame byte for byte; and whatever the coalescer writes, split
 * again, gives back the packets it was offered (IPv4 id and header checksum aside, which a split
 * renumbers; the TCP urgent pointer, which the kernel's GRO does not compare either; and the L4
 * checksum, which follows from the rest and is valid in every segment). See docs/fuzzing.md.
 */
class TunFrameFuzzTest {
    private static final int MAX_FRAME = VirtioNetHdr.SIZE + EthernetHeader.LENGTH + 65535;
    private static final ByteBuffer FRAME = ByteBuffer.allocateDirect(MAX_FRAME);
    private static final GsoSplitter SPLITTER = new GsoSplitter(false);
    private static final GsoSplitter TAP_SPLITTER = new GsoSplitter(true);
    private static final SegmentSlots SLOTS = new SegmentSlots(64, 2048);
    private static final SplitResult RESULT = new SplitResult(64);
    // For splitting the coalescer's output again: room for any train it may write.
    private static final GsoSplitter RESPLITTER = new GsoSplitter(false);
    private static final SegmentSlots BIG_SLOTS = new SegmentSlots(GroCoalescer.MAX_SEGMENTS, 65535);
    private static final SplitResult BIG_RESULT = new SplitResult(GroCoalescer.MAX_SEGMENTS);
    // Reused across executions: a fresh direct buffer per packet would cost more than the target.
    private static final byte[] TRAIN = new byte[MAX_FRAME];
    private static final ByteBuffer[] PACKETS = new ByteBuffer[GroCoalescer.MAX_SEGMENTS + 1];
    static {
        for (int i = 0; i < PACKETS.length; i++) {
            PACKETS[i] = ByteBuffer.allocateDirect(16 + 65535);
        }
    }

    @FuzzTest(maxDuration = "10s")
    void tunFrames(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> rawFrame(data);
            case 1 -> mutatedTrain(data);
            default -> rawPackets(data);
        }
    }

    /** Any bytes as a frame read from the device, tun or tap. */
    private static void rawFrame(FuzzedDataProvider data) {
        boolean tap = data.consumeBoolean();
        boolean trusting = data.consumeBoolean();
        byte[] frame = data.consumeRemainingAsBytes();
        List<byte[]> segments = split(tap ? TAP_SPLITTER : SPLITTER, tap, frame, frame.length);
        if (!tap && segments != null) {
            coalesceThenSplit(segments, trusting);
        }
    }

    /** A valid train from the input's parameters, with a few bytes and the length changed. */
    private static void mutatedTrain(FuzzedDataProvider data) {
        boolean v4 = data.consumeBoolean();
        boolean tcp = data.consumeBoolean();
        boolean trusting = data.consumeBoolean();
        int options = tcp ? 4 * data.consumeInt(0, 10) : 0;
        int gso = data.consumeInt(1, 1500);
        // Mostly short trains: long ones add time per execution, not coverage.
        int payload = data.consumeInt(1, Math.min((data.consumeBoolean() ? 4 : 64) * gso, 65535 - 120));
        int flags = TcpHeader.ACK | (data.consumeBoolean() ? TcpHeader.PSH : 0);
        Random r = new Random(data.consumeLong());
        byte[] frame = TRAIN;
        Arrays.fill(frame, 0, Math.min(frame.length, 256 + payload), (byte) 0);
        int len = Packets.train(frame, v4, tcp ? Packets.TCP : Packets.UDP, options, gso, payload, flags, r, 0);
        byte[] original = Arrays.copyOf(frame, len);
        int mutations = data.consumeInt(0, 4);
        for (int i = 0; i < mutations; i++) {
            frame[data.consumeInt(0, len - 1)] ^= (byte) data.consumeInt(1, 255);
        }
        int cut = data.consumeBoolean() ? data.consumeInt(0, len) : len;
        List<byte[]> segments = split(SPLITTER, false, frame, cut);
        if (segments == null) {
            return;
        }
        if (mutations == 0 && cut == len && segments.size() >= 2) {
            List<byte[]> out = coalesce(segments, trusting);
            assertEquals(1, out.size(), "an unmutated train coalesces into one frame");
            assertArrayEquals(original, out.get(0), "split then coalesce gives the original frame");
        }
        int segmentMutations = data.consumeInt(0, 3);
        // A cut frame may split into no segments, or an empty one: there is no byte to flip then.
        for (int i = 0; i < segmentMutations && !segments.isEmpty(); i++) {
            byte[] s = segments.get(data.consumeInt(0, segments.size() - 1));
            if (s.length > 0) {
                s[data.consumeInt(0, s.length - 1)] ^= (byte) data.consumeInt(1, 255);
            }
        }
        coalesceThenSplit(segments, trusting);
    }

    /** Any sequence of packets offered to the coalescer. */
    private static void rawPackets(FuzzedDataProvider data) {
        boolean trusting = data.consumeBoolean();
        List<byte[]> packets = new ArrayList<>();
        int n = data.consumeInt(1, 8); // at most PACKETS.length
        for (int i = 0; i < n && data.remainingBytes() > 0; i++) {
            packets.add(data.consumeBytes(data.consumeInt(0, 2000)));
        }
        coalesceThenSplit(packets, trusting);
    }

    /**
     * Splits {@code frame[0, len)} and checks the outcome; returns the segments (the packet itself
     * for a frame split in place), or null when the frame was refused.
     */
    private static List<byte[]> split(GsoSplitter splitter, boolean tap, byte[] frame, int len) {
        if (len > MAX_FRAME) {
            return null;
        }
        long[] before = drops(splitter);
        // An exact-length view: a read past the frame's end throws instead of reading stale bytes.
        ByteBuffer in = FRAME.clear().put(0, frame, 0, len).slice(0, len);
        boolean ok = splitter.split(in, 0, len, SLOTS, RESULT);
        long[] after = drops(splitter);
        if (!ok) {
            DropReason reason = RESULT.dropReason();
            assertNotNull(reason, "a refused frame has a reason");
            assertEquals(0, RESULT.count());
            for (DropReason d : DropReason.values()) {
                assertEquals(before[d.ordinal()] + (d == reason ? 1 : 0), after[d.ordinal()], "counter " + d);
            }
            return null;
        }
        assertNull(RESULT.dropReason());
        assertArrayEquals(before, after, "no counter moves for a frame that passes");
        List<byte[]> segments = new ArrayList<>();
        if (RESULT.inPlace()) {
            assertEquals(1, RESULT.count());
            assertEquals(len - VirtioNetHdr.SIZE, RESULT.length(0));
            segments.add(Packets.bytes(in, VirtioNetHdr.SIZE, RESULT.length(0)));
            return segments;
        }
        int link = tap ? EthernetHeader.LENGTH : 0;
        assertTrue(RESULT.count() >= 1);
        for (int i = 0; i < RESULT.count(); i++) {
            int segLen = RESULT.length(i);
            assertTrue(segLen > link && segLen <= SLOTS.capacity(i), "segment length " + segLen);
            byte[] seg = Packets.bytes(SLOTS.buffer(i), SLOTS.offset(i), segLen);
            checkSegment(seg, link);
            segments.add(seg);
        }
        return segments;
    }

    /** A segment of a split: lengths that match it and valid checksums. */
    private static void checkSegment(byte[] seg, int link) {
        boolean v4 = (seg[link] & 0xf0) == 0x40;
        int ip = link;
        int l4;
        int proto;
        if (v4) {
            assertEquals(seg.length - link, Packets.u16(seg, ip + 2), "IPv4 total length");
            l4 = ip + (seg[ip] & 0x0f) * 4;
            proto = seg[ip + 9] & 0xff;
        } else {
            assertEquals(seg.length - link - 40, Packets.u16(seg, ip + 4), "IPv6 payload length");
            proto = seg[ip + 6] & 0xff;
            if (proto != Packets.TCP && proto != Packets.UDP) {
                return; // extension headers: the L4 offset is the splitter's to find
            }
            l4 = ip + 40;
        }
        if (proto == Packets.UDP) {
            assertEquals(seg.length - l4, Packets.u16(seg, l4 + 4), "UDP length");
        }
        assertTrue(Checksum.packetValid(seg, ip, l4, seg.length, proto), "segment checksums");
    }

    private static long[] drops(GsoSplitter s) {
        long[] d = new long[DropReason.values().length];
        for (DropReason r : DropReason.values()) {
            d[r.ordinal()] = s.drops(r);
        }
        return d;
    }

    /** Offers the packets to a fresh coalescer, each in its own buffer with headroom; returns the frames. */
    private static List<byte[]> coalesce(List<byte[]> packets, boolean trusting) {
        List<byte[]> out = new ArrayList<>();
        FrameWriter w = (buf, off, len) -> out.add(Packets.bytes(buf, off, len));
        GroCoalescer c = trusting ? GroCoalescer.trustingChecksums(true, w) : new GroCoalescer(true, w);
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            ByteBuffer b = PACKETS[i].clear().put(16, p).slice(0, 16 + p.length);
            c.add(b, 16, p.length);
        }
        c.flush();
        assertEquals(packets.size(), c.packetsIn());
        assertEquals(out.size(), c.framesOut());
        return out;
    }

    /** Whatever the coalescer writes, split again, is the packets it was offered, in order. */
    private static void coalesceThenSplit(List<byte[]> packets, boolean trusting) {
        List<byte[]> frames = coalesce(packets, trusting);
        int next = 0;
        for (byte[] f : frames) {
            int type = f[1] & 0xff;
            if (type == VirtioNetHdr.GSO_NONE) {
                assertTrue(next < packets.size(), "more frames than packets");
                assertArrayEquals(packets.get(next++), Arrays.copyOfRange(f, VirtioNetHdr.SIZE, f.length),
                        "a packet written as it came");
                continue;
            }
            ByteBuffer in = FRAME.clear().put(0, f).slice(0, f.length);
            assertTrue(RESPLITTER.split(in, 0, f.length, BIG_SLOTS, BIG_RESULT),
                    () -> "the coalescer wrote a train its own splitter refuses: " + BIG_RESULT.dropReason());
            assertTrue(BIG_RESULT.count() >= 2, "a train has two segments or more");
            for (int i = 0; i < BIG_RESULT.count(); i++) {
                assertTrue(next < packets.size(), "more segments than packets");
                byte[] seg = Packets.bytes(BIG_SLOTS.buffer(i), BIG_SLOTS.offset(i), BIG_RESULT.length(i));
                byte[] orig = packets.get(next++);
                int at = i;
                assertArrayEquals(masked(orig), masked(seg),
                        () -> "segment " + at + " of a train is the packet that went in (trusting: " + trusting
                                + ")\n in:  " + HexFormat.of().formatHex(orig) + "\n out: " + HexFormat.of().formatHex(seg));
            }
        }
        assertEquals(packets.size(), next, "every packet comes out once");
    }

    /** The fields a split may legitimately rewrite, zeroed. */
    private static byte[] masked(byte[] p) {
        byte[] m = p.clone();
        boolean v4 = (m[0] & 0xf0) == 0x40;
        int l4 = v4 ? 20 : 40;
        int proto = m[v4 ? 9 : 6] & 0xff;
        if (v4) {
            m[4] = m[5] = m[10] = m[11] = 0;
        }
        if (proto == Packets.TCP) {
            m[l4 + 18] = m[l4 + 19] = 0;
        }
        // The L4 checksum follows from the rest (the split computes it afresh), and with the
        // urgent pointer it would differ too.
        int c = l4 + (proto == Packets.TCP ? TcpHeader.CHECKSUM_OFFSET : UdpHeader.CHECKSUM_OFFSET);
        m[c] = m[c + 1] = 0;
        return m;
    }
}
