package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.tun.bpf.BpfAssembler;
import dev.platoon.tun.bpf.BpfSyscall;
import dev.platoon.testkit.NetNs;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TUNSETSTEERINGEBPF program on a real two-queue tun: it loads and attaches, every packet of a
 * flow is read on the queue {@link Steering#flowHash} names, and that holds even where the kernel's
 * flow table would have sent the flow elsewhere.
 */
class SteeringIT {
    private static final int PER_FLOW = 16;
    private static final int SINK_PORT = 9;

    @Test
    void flowsStayOnTheQueueTheProgramPicks() throws Exception {
        try (NetNs ns = NetNs.create("steer")) {
            TunDevice dev = ns.call(() -> {
                TunDevice d = TunDevice.open(TunConfig.tun("pts0").withQueues(2).withOffloads(false)
                        .withSteering(Steering.EBPF));
                new LinkConfig(d.name()).mtu(1500).addAddress("100.64.0.1/24").addAddress("fd00:64::1/64").up();
                return d;
            });
            try (dev) {
                assertEquals(Steering.EBPF, dev.steering(), dev.describe());
                assertTrue(dev.describe().endsWith("steering ebpf"), dev.describe());
                List<Integer> ports = portsOnBothQueues(8);
                List<DatagramChannel> v4 = new ArrayList<>();
                for (int p : ports) {
                    v4.add(ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("100.64.0.1", p))));
                }
                DatagramChannel v6 = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("fd00:64::1", 0)));
                try {
                    for (DatagramChannel c : v4) {
                        send(c, new InetSocketAddress("100.64.0.2", SINK_PORT));
                    }
                    send(v6, new InetSocketAddress("fd00:64::2", SINK_PORT));
                    Map<Integer, TreeSet<Integer>> seen = readFlows(dev, ports.size() + 1, true);
                    TreeSet<Integer> queuesUsed = new TreeSet<>();
                    for (var e : seen.entrySet()) {
                        assertEquals(1, e.getValue().size(), "flow from port " + e.getKey() + " read on queues " + e.getValue());
                        queuesUsed.addAll(e.getValue());
                    }
                    assertEquals(2, queuesUsed.size(), "flows spread over both queues: " + seen);

                    // Against the flow table: write a reply of one flow on the other queue. Without the
                    // program the kernel would now read that flow on the queue it was written on.
                    int port = ports.get(0);
                    int expected = seen.get(port).first();
                    dev.queue(1 - expected).write(reply(port), 0, 12 + 28);
                    ByteBuffer got = ByteBuffer.allocate(64);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (v4.get(0).receive(got.clear()) == null) {
                        assertTrue(System.nanoTime() < deadline, "the written reply reached no socket");
                        Thread.onSpinWait();
                    }
                    send(v4.get(0), new InetSocketAddress("100.64.0.2", SINK_PORT));
                    assertEquals(Map.of(port, new TreeSet<>(List.of(expected))), readFlows(dev, 1, true),
                            "the program, not the queue last written, picks the queue");

                    Steering.detach(dev);
                    dev.queue(1 - expected).write(reply(port), 0, 12 + 28);
                    while (v4.get(0).receive(got.clear()) == null) {
                        assertTrue(System.nanoTime() < deadline, "the written reply reached no socket");
                        Thread.onSpinWait();
                    }
                    send(v4.get(0), new InetSocketAddress("100.64.0.2", SINK_PORT));
                    assertEquals(Map.of(port, new TreeSet<>(List.of(1 - expected))), readFlows(dev, 1, false),
                            "without the program the kernel's flow table follows the queue last written");
                } finally {
                    for (DatagramChannel c : v4) {
                        c.close();
                    }
                    v6.close();
                }
            }
        }
    }

    /** A program the verifier refuses (r0 never set) fails in one line that carries the verifier's reason. */
    @Test
    void aRefusedProgramSaysWhyInOneLine() {
        byte[] bad = new BpfAssembler().exit().assemble();
        var e = assertThrows(BpfSyscall.LoadException.class, () -> BpfSyscall.loadProgram(
                BpfSyscall.PROG_TYPE_SOCKET_FILTER, bad, "Dual MIT/GPL", "platoon_bad"));
        assertTrue(e.getMessage().startsWith("bpf(BPF_PROG_LOAD) of platoon_bad (1 instructions) failed: "), e.getMessage());
        assertTrue(e.getMessage().contains("verifier: ") && e.getMessage().contains("R0"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    /** {@code n} source ports whose flows (100.64.0.1:p → 100.64.0.2:9, UDP) land on both queues. */
    private static List<Integer> portsOnBothQueues(int n) {
        List<Integer> ports = new ArrayList<>();
        TreeSet<Integer> queues = new TreeSet<>();
        for (int p = 40000; ports.size() < n; p++) {
            int q = Steering.queueOf(Steering.flowHash(udp4(p, 0), 12, 28), 2);
            if (ports.size() < n - 1 || queues.size() == 2 || !queues.contains(q)) {
                ports.add(p);
                queues.add(q);
            }
        }
        return ports;
    }

    private static void send(DatagramChannel c, InetSocketAddress to) throws Exception {
        for (int i = 0; i < PER_FLOW; i++) {
            c.send(ByteBuffer.wrap(new byte[] {(byte) i}), to);
        }
    }

    /**
     * Reads both queues until {@code flows} UDP flows to the sink port have delivered {@link #PER_FLOW}
     * packets each; checks each against the program's twin when {@code twin}; returns the queues each source port was read on.
     */
    private static Map<Integer, TreeSet<Integer>> readFlows(TunDevice dev, int flows, boolean twin) throws Exception {
        Map<Integer, TreeSet<Integer>> seen = new HashMap<>();
        Map<Integer, Integer> count = new HashMap<>();
        ByteBuffer buf = ByteBuffer.allocateDirect(2048);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int q = 0; q < 2; q++) {
            dev.queue(q).setNonBlocking(true);
        }
        while (count.size() < flows || count.values().stream().anyMatch(c -> c < PER_FLOW)) {
            assertTrue(System.nanoTime() < deadline, "packets read so far per source port: " + count);
            for (int q = 0; q < 2; q++) {
                if (!dev.queue(q).poll(5)) {
                    continue;
                }
                int len = dev.queue(q).read(buf, 0, buf.capacity());
                int ip = 12;
                boolean v4 = len >= ip + 28 && (buf.get(ip) & 0xf0) == 0x40 && buf.get(ip + 9) == 17;
                boolean v6 = len >= ip + 48 && (buf.get(ip) & 0xf0) == 0x60 && buf.get(ip + 6) == 17;
                int l4 = v4 ? ip + (buf.get(ip) & 0x0f) * 4 : ip + 40;
                if (!(v4 || v6) || (buf.getShort(l4 + 2) & 0xffff) != SINK_PORT) {
                    continue; // the kernel's own chatter (IPv6 router solicitations, MLD)
                }
                int port = buf.getShort(l4) & 0xffff;
                if (twin) {
                    assertEquals(Steering.queueOf(Steering.flowHash(buf, ip, len - ip), 2), q,
                            "queue of the flow from port " + port + " against the program's twin");
                }
                seen.computeIfAbsent(port, k -> new TreeSet<>()).add(q);
                count.merge(port, 1, Integer::sum);
            }
        }
        return seen;
    }

    /** A vnet header and an IPv4 UDP packet 100.64.0.2:9 → 100.64.0.1:port (or the other way when reverse). */
    private static ByteBuffer udp4(int port, int reverse) {
        ByteBuffer b = ByteBuffer.allocateDirect(12 + 28);
        int ip = 12;
        b.put(ip, (byte) 0x45).putShort(ip + 2, (short) 28).put(ip + 8, (byte) 64).put(ip + 9, (byte) 17);
        byte[] one = {100, 64, 0, 1}, two = {100, 64, 0, 2};
        b.put(ip + 12, reverse == 0 ? one : two).put(ip + 16, reverse == 0 ? two : one);
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += b.getShort(ip + i) & 0xffff;
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        b.putShort(ip + 10, (short) ~((sum & 0xffff) + (sum >>> 16)));
        int l4 = ip + 20;
        b.putShort(l4, (short) (reverse == 0 ? port : SINK_PORT)).putShort(l4 + 2, (short) (reverse == 0 ? SINK_PORT : port))
                .putShort(l4 + 4, (short) 8); // checksum 0: none, allowed over IPv4
        return b;
    }

    private static ByteBuffer reply(int port) {
        return udp4(port, 1);
    }
}
