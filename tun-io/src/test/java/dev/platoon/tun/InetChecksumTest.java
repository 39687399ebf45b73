package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

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
        assertEquals(RefChecksum.checksum(d, 0, d.length), recomputed);
    }

    @RepeatedTest(50)
    void pseudoHeaderMatchesReference(RepetitionInfo info) {
        Random r = new Random(info.getCurrentRepetition());
        byte[] pkt = new byte[80];
        int hl = Packets.ipHeader(pkt, 0, r.nextBoolean(), 6, 40, r, 0);
        long ours = InetChecksum.pseudoHeader(ByteBuffer.wrap(pkt), hl == 20 ? 12 : 8, hl == 20 ? 4 : 16, 6, 40);
        assertEquals(RefChecksum.sum16(new byte[0], 0, 0, RefChecksum.pseudo(pkt, 0, 6, 40)), InetChecksum.fold(ours));
    }
}
