package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import dev.platoon.testkit.Checksum;
import dev.platoon.testkit.Packets;

class InetChecksumTest {
    @RepeatedTest(100)
    void incrementalUpdateEqualsRecompute(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        byte[] d = new byte[2 + 2 * r.nextInt(700)];
        r.nextBytes(d);
        ByteBuffer b = ByteBuffer.wrap(d);
        int before = InetChecksum.checksum(b, 0, d.length);
        int at = 2 * r.nextInt(d.length / 2);
        int old = Bytes.u16(b, at);
        int neu = r.nextInt(65536);
        Bytes.put16(b, at, neu);
        int recomputed = InetChecksum.checksum(b, 0, d.length);
        int incremental = InetChecksum.update16(before, old, neu);
        // 0x0000 and 0xffff are the same ones'-complement number.
        assertEquals(recomputed % 0xffff, incremental % 0xffff);
        assertEquals(Checksum.checksum(d, 0, d.length), recomputed);
    }

    @RepeatedTest(50)
    void pseudoHeaderMatchesReference(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        byte[] pkt = new byte[80];
        int hl = Packets.ipHeader(pkt, 0, r.nextBoolean(), 6, 40, r, 0);
        long ours = InetChecksum.pseudoHeader(ByteBuffer.wrap(pkt), hl == 20 ? 12 : 8, hl == 20 ? 4 : 16, 6, 40);
        assertEquals(Checksum.sum16(new byte[0], 0, 0, Checksum.pseudo(pkt, 0, 6, 40)), InetChecksum.fold(ours));
    }

    /** The buffer kinds sum() must treat alike: heap (also sliced and read-only) and direct, both orders. */
    private static ByteBuffer[] views(byte[] d) {
        ByteBuffer direct = ByteBuffer.allocateDirect(d.length);
        direct.put(0, d);
        byte[] padded = new byte[d.length + 5];
        System.arraycopy(d, 0, padded, 5, d.length);
        ByteBuffer slicedHeap = ByteBuffer.wrap(padded).position(5).slice(); // arrayOffset 5
        ByteBuffer bigDirect = ByteBuffer.allocateDirect(d.length + 3);
        bigDirect.put(3, d);
        ByteBuffer slicedDirect = bigDirect.position(3).slice();
        return new ByteBuffer[] {
            ByteBuffer.wrap(d), ByteBuffer.wrap(d).order(ByteOrder.LITTLE_ENDIAN), slicedHeap,
            ByteBuffer.wrap(d).asReadOnlyBuffer(),
            direct, direct.duplicate().order(ByteOrder.LITTLE_ENDIAN), slicedDirect,
            direct.asReadOnlyBuffer(),
        };
    }

    @RepeatedTest(200)
    void sumMatchesReferenceForEveryBufferKindOffsetAndLength(RepetitionInfo info) {
        Random r = new Random(1000 + info.getCurrentRepetition());
        byte[] d = new byte[1 + r.nextInt(info.getCurrentRepetition() % 10 == 0 ? 70000 : 1600)];
        r.nextBytes(d);
        if (r.nextInt(8) == 0) {
            java.util.Arrays.fill(d, (byte) 0xff); // carries everywhere
        }
        for (int t = 0; t < 8; t++) {
            int off = r.nextInt(d.length);
            int len = t == 0 ? d.length - off : r.nextInt(Math.min(d.length - off, 300) + 1);
            long initial = r.nextInt(4) == 0 ? 0 : r.nextLong() >>> 20;
            int expected = Checksum.sum16(d, off, len, 0);
            for (ByteBuffer b : views(d)) {
                String what = b + " off " + off + " len " + len;
                assertEquals(initial + expected, InetChecksum.sum(b, off, len, initial), what);
                assertEquals(Checksum.sum16(d, off, len, initial), InetChecksum.fold(InetChecksum.sum(b, off, len, initial)), what);
            }
        }
    }

    @Test
    void everySmallLengthAtEveryAlignment() {
        Random r = new Random(42);
        byte[] d = new byte[96];
        r.nextBytes(d);
        for (int off = 0; off < 16; off++) {
            for (int len = 0; off + len <= d.length; len++) {
                for (ByteBuffer b : views(d)) {
                    assertEquals(Checksum.sum16(d, off, len, 0), InetChecksum.sum(b, off, len, 0), b + " " + off + "+" + len);
                }
            }
        }
    }

    @Test
    void zerosSumToZeroAndOnesToAllOnes() {
        for (ByteBuffer b : views(new byte[1501])) {
            assertEquals(0, InetChecksum.sum(b, 1, 1500, 0));
        }
        byte[] ones = new byte[1500];
        java.util.Arrays.fill(ones, (byte) 0xff);
        for (ByteBuffer b : views(ones)) {
            assertEquals(0xffff, InetChecksum.fold(InetChecksum.sum(b, 0, 1500, 0)));
            assertTrue(InetChecksum.verify(b, 0, 1500, 0));
        }
    }

    @Test
    void positionDoesNotMatterAndTheLimitIsTheBound() {
        byte[] d = new byte[64];
        new Random(3).nextBytes(d);
        for (ByteBuffer b : views(d)) {
            b.position(40);
            assertEquals(Checksum.sum16(d, 3, 50, 0), InetChecksum.sum(b, 3, 50, 0), b.toString());
            b.limit(52);
            assertThrows(IndexOutOfBoundsException.class, () -> InetChecksum.sum(b, 3, 50, 0), b.toString());
            assertThrows(IndexOutOfBoundsException.class, () -> InetChecksum.sum(b, -1, 4, 0), b.toString());
            assertEquals(7, InetChecksum.sum(b, 60, 0, 7));
        }
    }
}
