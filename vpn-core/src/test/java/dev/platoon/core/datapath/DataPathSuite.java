package dev.platoon.core.datapath;

import dev.platoon.core.drop.Drop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.platoon.core.transport.TransportCounters;
import dev.platoon.crypto.AeadEngines;

/**
 * The data path's behaviour, written once and run over every {@link TunnelPair}: in memory
 * ({@code MemoryDataPathTest}, in {@code mvn test}) and in the kernel ({@code KernelDataPathIT}, in
 * network namespaces), each with tun offloads on and off and over each cipher engine. Two ends
 * shake hands, carry packets both ways, split and coalesce trains, rekey, follow a roaming peer and
 * count what they refuse.
 */
abstract class DataPathSuite {
    private final TunnelPair.Mode mode;
    private TunnelPair pair;
    private SuiteNode a;
    private SuiteNode b;

    DataPathSuite(TunnelPair.Mode mode) {
        this.mode = mode;
    }

    /** Two started nodes that know each other's endpoints. */
    abstract TunnelPair open(TunnelPair.Mode mode) throws Exception;

    @BeforeEach
    void up() throws Exception {
        AeadEngines.use(mode.engine());
        pair = open(mode);
        a = pair.a();
        b = pair.b();
        // The first packet waits for the handshake; after this, both ends have a session.
        assertEquals(List.of("hello"), strings(pair.udp(a, b, List.of("hello".getBytes()), false)));
        assertEquals(List.of("back"), strings(pair.udp(b, a, List.of("back".getBytes()), false)));
    }

    @AfterEach
    void down() {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    void packetsCrossBothWaysOverBothFamilies() throws Exception {
        List<byte[]> four = payloads(8, 200, 1);
        List<byte[]> six = payloads(8, 300, 2);
        assertPayloads(four, pair.udp(a, b, four, false));
        assertPayloads(six, pair.udp(b, a, six, true));
        assertTrue(a.handshakes() >= 1 && b.handshakes() >= 1, "handshakes " + a.handshakes() + "/" + b.handshakes());
        assertEquals(0, a.drops(), a.dropReport());
        assertEquals(0, b.drops(), b.dropReport());
        assertEquals(AeadEngines.chosen(), mode.engine());
    }

    @Test
    void aBatchOfDatagramsLeavesAsATrain() throws Exception {
        TransportCounters sent = a.plane.transportCounters();
        long trains = sent.gsoTrainsSent.sum();
        long segments = sent.gsoSegmentsSent.sum();
        List<byte[]> batch = payloads(32, 1200, 3);
        assertPayloads(batch, pair.udp(a, b, batch, false));
        if (!pair.sendsInOneRead()) {
            return; // the kernel's tun hands them over as its reader keeps up: trains are up to timing
        }
        assertTrue(sent.gsoTrainsSent.sum() > trains, "no UDP_SEGMENT train sent");
        assertTrue(sent.gsoSegmentsSent.sum() - segments > sent.gsoTrainsSent.sum() - trains,
                "trains of one segment");
    }

    @Test
    void aTcpStreamIsSplitSealedAndCoalesced() throws Exception {
        byte[] data = new byte[2 << 20];
        new Random(4).nextBytes(data);
        DataPathCounters out = a.plane.counters();
        DataPathCounters in = b.plane.counters();
        long frames = out.framesRead.sum();
        long segments = out.segmentsFromFrames.sum();
        long opened = in.packetsOpened.sum();
        long written = b.plane.transportCounters().tunFramesWritten.sum();
        long sealed = out.packetsSealed.sum();
        assertArrayEquals(data, pair.tcp(a, b, data), () -> a.dropReport() + "; " + b.dropReport() + "; sealed "
                + (out.packetsSealed.sum() - sealed) + ", opened " + (in.packetsOpened.sum() - opened)
                + ", segments " + (out.segmentsFromFrames.sum() - segments) + "; " + pair);
        long split = out.segmentsFromFrames.sum() - segments;
        long coalescedFrames = b.plane.transportCounters().tunFramesWritten.sum() - written;
        long packets = in.packetsOpened.sum() - opened;
        if (mode.offloads()) {
            assertTrue(split > 2 * (out.framesRead.sum() - frames), "trains read: " + split + " segments in "
                    + (out.framesRead.sum() - frames) + " frames");
            assertTrue(packets > 2 * coalescedFrames, packets + " packets in " + coalescedFrames + " frames");
        } else {
            assertEquals(out.framesRead.sum() - frames, split, "no trains without offloads");
            assertTrue(coalescedFrames >= packets, packets + " packets in " + coalescedFrames + " frames");
        }
        assertEquals(0, b.drops(), b.dropReport());
    }

    @Test
    void aRekeyKeepsTheTunnel() throws Exception {
        long before = a.handshakes();
        // REKEY_AFTER_TIME is 1 s here: the next packet after it sends a new initiation.
        long deadline = System.nanoTime() + TunnelPair.WAIT.toNanos();
        while (a.handshakes() == before && System.nanoTime() < deadline) {
            assertPayloads(List.of(new byte[] {1}), pair.udp(a, b, List.of(new byte[] {1}), false));
        }
        assertTrue(a.handshakes() > before, "no new handshake within " + TunnelPair.WAIT);
        List<byte[]> after = payloads(4, 500, 5);
        assertPayloads(after, pair.udp(a, b, after, false));
        assertPayloads(after, pair.udp(b, a, after, true));
    }

    @Test
    void aRoamingPeerIsFollowed() throws Exception {
        pair.roam(a);
        List<byte[]> moved = payloads(4, 100, 6);
        assertPayloads(moved, pair.udp(a, b, moved, false));
        assertEquals(pair.outer(a), b.peer().endpoint(), "b follows a's new address");
        assertPayloads(moved, pair.udp(b, a, moved, false));
    }

    @Test
    void dataForNoSessionIsCountedNotDelivered() throws Exception {
        DataPathCounters c = b.plane.counters();
        long before = c.drops(Drop.UNKNOWN_RECEIVER);
        pair.junk(b, 50);
        await("50 unknown-receiver drops", () -> c.drops(Drop.UNKNOWN_RECEIVER) == before + 50);
        List<byte[]> still = payloads(2, 100, 7);
        assertPayloads(still, pair.udp(a, b, still, false));
    }

    static List<byte[]> payloads(int count, int size, int seed) {
        Random r = new Random(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[size];
            r.nextBytes(p);
            p[0] = (byte) i;
            out.add(p);
        }
        return out;
    }

    /** The same datagrams, in any order: UDP promises none, and a bridge or veth backlog may swap two. */
    private static void assertPayloads(List<byte[]> expected, List<byte[]> got) {
        assertEquals(expected.size(), got.size(), "datagrams arrived");
        List<String> want = new ArrayList<>(expected.stream().map(java.util.HexFormat.of()::formatHex).toList());
        List<String> have = new ArrayList<>(got.stream().map(java.util.HexFormat.of()::formatHex).toList());
        java.util.Collections.sort(want);
        java.util.Collections.sort(have);
        assertEquals(want, have, "the datagrams that arrived");
    }

    private static List<String> strings(List<byte[]> got) {
        return got.stream().map(String::new).toList();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TunnelPair.WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
