package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import dev.platoon.testkit.Checksum;

/** The real kernel's TCP through our device, split and coalesced by us. */
class ReflectorIT {
    private static final long MB = 1_000_000;

    /** (1) A kernel sender hands us trains with gso_size > 0 that split into valid segments. */
    @Test
    void kernelTrainsSplitIntoValidSegments() throws Exception {
        AtomicLong fromTrains = new AtomicLong();
        AtomicLong invalid = new AtomicLong();
        Reflector.SegmentObserver check = (b, off, len, fromTrain) -> {
            if (!fromTrain) {
                return;
            }
            fromTrains.incrementAndGet();
            byte[] seg = new byte[len];
            b.get(off, seg);
            boolean v4 = (seg[0] & 0xf0) == 0x40;
            int ipHl = v4 ? (seg[0] & 0x0f) * 4 : 40;
            int proto = v4 ? seg[9] : seg[6];
            if (!Checksum.packetValid(seg, 0, ipHl, len, proto) || len > 1500) {
                invalid.incrementAndGet();
            }
        };
        try (KernelLoop loop = new KernelLoop("split", TunConfig.tun("pt0"), true, check, null)) {
            assertTrue(loop.dev.offloads().tso4() && loop.dev.offloads().tso6(), loop.dev.describe());
            loop.transfer(false, 20 * MB, 0);
            loop.transfer(true, 20 * MB, 0);
            loop.stopAndJoin();
            Reflector r = loop.reflectors.get(0);
            assertTrue(r.trainsRead > 0, "no trains from the kernel: " + loop.status());
            assertTrue(fromTrains.get() > r.trainsRead, loop.status());
            assertEquals(0, invalid.get(), "segments with a bad checksum or over the MTU");
            assertEquals(0, r.dropped, loop.status());
        }
    }

    /** (2) ≥ 100 MB through split + coalesce; the kernel takes our trains without an error. */
    @Test
    void hundredMegabytesWithOffloads() throws Exception {
        try (KernelLoop loop = new KernelLoop("gro", TunConfig.tun("pt0"), true, null, null)) {
            loop.transfer(false, 100 * MB, 0);
            loop.stopAndJoin();
            Reflector r = loop.reflectors.get(0);
            assertTrue(r.coalescer().trainsOut() > 0, "no trains written: " + loop.status());
            assertEquals(0, r.writeErrors, loop.status());
            long[] s = loop.linkStats();
            assertEquals(0, s[0], "rx errors");
            assertEquals(0, s[1], "rx dropped (a refused train)");
            assertEquals(0, s[2], "tx errors");
            System.out.println("offloads on: " + loop.status() + ", tx dropped " + s[3]);
        }
    }

    /** (3) The same with offloads off: plain packets both ways. */
    @Test
    void hundredMegabytesWithoutOffloads() throws Exception {
        TunConfig cfg = TunConfig.tun("pt0").withOffloads(false);
        try (KernelLoop loop = new KernelLoop("plain", cfg, false, null, null)) {
            assertEquals(Offloads.NONE, loop.dev.offloads());
            loop.transfer(false, 100 * MB, 0);
            loop.stopAndJoin();
            Reflector r = loop.reflectors.get(0);
            assertEquals(0, r.trainsRead, loop.status());
            assertEquals(0, r.writeErrors, loop.status());
            long[] s = loop.linkStats();
            assertEquals(0, s[0] + s[1] + s[2], "rx errors, rx dropped, tx errors");
        }
    }

    /** Two queue fds, two TCP flows steered to different queues: both queues carry traffic. */
    @Test
    void twoQueuesTwoFlows() throws Exception {
        // Write each flow back on the queue its client port picks; the tun flow table then sends the
        // flow's next packets to that queue (it remembers which queue a flow was written on).
        Reflector.QueueChooser byPort = (b, ip) -> {
            int l4 = ip + (b.get(ip) & 0x0f) * 4;
            int ports = (b.get(l4 + 1) ^ b.get(l4 + 3)) & 1;
            return ports;
        };
        TunConfig cfg = TunConfig.tun("pt0").withQueues(2).withSteering(Steering.KERNEL); // the flow table's rule
        try (KernelLoop loop = new KernelLoop("mq", cfg, true, null, byPort)) {
            assertEquals(2, loop.dev.queueCount());
            assertTrue(loop.ns.exec("ip", "-d", "link", "show", "dev", "pt0").contains("numqueues 2"));
            Thread second = new Thread(() -> {
                try {
                    loop.transfer(false, 20 * MB, 40001);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            second.start();
            loop.transfer(false, 20 * MB, 40000);
            second.join(120_000);
            loop.stopAndJoin();
            for (Reflector r : loop.reflectors) {
                assertTrue(r.segmentsRead > 1000, "a queue without traffic: " + loop.status());
            }
        }
    }

}
