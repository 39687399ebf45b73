package dev.platoon.tun.uring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.tun.LinkConfig;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import dev.platoon.testkit.NetNs;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The io_uring echo loop (and its FFM poll twin) on a real tun queue in a private namespace: every
 * frame the kernel hands it comes back, byte for byte (addresses swapped), with and without offloads.
 */
class UringEchoLoopIT {
    private static final int DATAGRAMS = 2000;

    /** Offloads off: N datagrams out, the same N in, and frames read == frames written. */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "poll"})
    void datagramsComeBackOneForOne(String io) throws Exception {
        try (NetNs ns = NetNs.create("uring-dg")) {
            TunDevice dev = open(ns, false);
            try (dev) {
                long max = TimeUnit.SECONDS.toNanos(60);
                EchoLoop r = io.equals("uring") ? new UringEchoLoop(dev, 0, false, 8, max) : new PollEchoLoop(dev, 0, false, 8, max);
                Thread t = ns.start("uring-reflector", r);
                try (DatagramChannel tx = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("100.64.0.1", 40000)));
                     DatagramChannel rx = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("100.64.0.1", 40001)))) {
                    rx.configureBlocking(false);
                    ByteBuffer out = ByteBuffer.allocate(1400), in = ByteBuffer.allocate(2048);
                    Random rnd = new Random(18);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    int got = 0;
                    for (int i = 0; i < DATAGRAMS; i++) {
                        byte[] payload = new byte[1 + rnd.nextInt(1399)];
                        rnd.nextBytes(payload);
                        payload[0] = (byte) i;
                        out.clear().put(payload).flip();
                        tx.send(out, new InetSocketAddress("100.64.0.2", 40001));
                        // One at a time: the next goes out once this one is back, so none is lost to a full socket.
                        InetSocketAddress from;
                        while ((from = (InetSocketAddress) rx.receive(in.clear())) == null) {
                            assertTrue(System.nanoTime() < deadline, "datagram " + i + " did not come back: " + status(r));
                            Thread.onSpinWait();
                        }
                        assertEquals(new InetSocketAddress("100.64.0.2", 40000), from, "source after the swap");
                        byte[] back = new byte[in.flip().remaining()];
                        in.get(back);
                        assertArrayEquals(payload, back, "datagram " + i);
                        got++;
                    }
                    assertEquals(DATAGRAMS, got);
                }
                r.stop();
                t.join(10_000);
                assertTrue(!t.isAlive(), "reflector did not stop");
                assertNull(r.lastError, status(r));
                assertTrue(r.framesRead >= DATAGRAMS, status(r));
                assertEquals(r.framesRead, r.framesWritten, "frames in == frames out: " + status(r));
                assertEquals(0, r.writeErrors + r.readErrors + r.dropped, status(r));
                // io_uring: about one enter per frame at most (submit + wait in one call); poll: poll, read, write.
                assertTrue(r.syscalls > 0 && r.syscalls < (io.equals("uring") ? 2L : 5L) * r.framesRead, status(r));
            }
        }
    }

    /**
     * Offloads on, a burst of equal-sized datagrams from two flows in pairs (A A B B A A …): several
     * reads complete per wake-up and every pair leaves as a two-segment USO train from the
     * coalescer's own buffer, written mid-batch while more reads complete. Each datagram comes back
     * exactly once and in order.
     */
    @ParameterizedTest
    @ValueSource(strings = {"uring", "poll"})
    void burstComesBackOnceInOrder(String io) throws Exception {
        int count = 900;   // under txqueuelen (1000): the tun queue cannot tail-drop any
        try (NetNs ns = NetNs.create("uring-burst")) {
            TunDevice dev = open(ns, true);
            try (dev) {
                long max = TimeUnit.SECONDS.toNanos(60);
                EchoLoop r = io.equals("uring") ? new UringEchoLoop(dev, 0, true, 8, max) : new PollEchoLoop(dev, 0, true, 8, max);
                Thread t = ns.start("echo-" + io, r);
                try (DatagramChannel tx = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("100.64.0.1", 40010)));
                     DatagramChannel tx2 = ns.call(() -> DatagramChannel.open().bind(new InetSocketAddress("100.64.0.1", 40012)));
                     DatagramChannel rx = ns.call(() -> DatagramChannel.open()
                             .setOption(StandardSocketOptions.SO_RCVBUF, 16 << 20)
                             .bind(new InetSocketAddress("100.64.0.1", 40011)))) {
                    int[] seen = new int[count + 1];
                    int[] n = {0};
                    boolean[] inOrder = {true};
                    Thread receiver = new Thread(() -> {
                        ByteBuffer in = ByteBuffer.allocate(2048);
                        try {
                            while (n[0] < count) {
                                rx.receive(in.clear());
                                int seq = in.flip().getInt(0);
                                inOrder[0] &= seq == n[0];
                                seen[Math.min(Math.max(seq, 0), count)]++;
                                n[0]++;
                            }
                        } catch (Exception e) {
                            // closed at the deadline: the count below says what was missing
                        }
                    }, "burst-receiver");
                    receiver.start();
                    ByteBuffer out = ByteBuffer.allocate(1000);
                    for (int i = 0; i < count; i++) {
                        out.clear().putInt(0, i).position(0).limit(1000);
                        ((i & 2) == 0 ? tx : tx2).send(out, new InetSocketAddress("100.64.0.2", 40011));
                    }
                    receiver.join(20_000);
                    rx.close();
                    receiver.join(5_000);
                    for (int i = 0; i < count; i++) {
                        assertEquals(1, seen[i], "datagram " + i + " came back " + seen[i] + " times: " + status(r)
                                + "; " + udpCounters(ns));
                    }
                    assertTrue(inOrder[0], "datagrams came back out of order: " + status(r));
                }
                r.stop();
                t.join(10_000);
                assertNull(r.lastError, status(r));
                assertTrue(r.coalescer().trainsOut() > 0, "no USO trains written, so no mid-batch write: " + status(r));
                assertEquals(0, r.writeErrors + r.readErrors + r.dropped, status(r));
            }
        }
    }

    /** Offloads on: 64 MB of kernel TCP through split, swap, coalesce, trains written through the ring. */
    @Test
    void tcpThroughTrains() throws Exception {
        try (NetNs ns = NetNs.create("uring-tcp")) {
            TunDevice dev = open(ns, true);
            try (dev) {
                UringEchoLoop r = new UringEchoLoop(dev, 0, true, 8, TimeUnit.SECONDS.toNanos(120));
                Thread t = ns.start("uring-reflector", r);
                long bytes = 64L << 20;
                transfer(ns, bytes, r);
                r.stop();
                t.join(10_000);
                assertNull(r.lastError, status(r));
                assertTrue(r.trainsRead > 0, "no trains read: " + status(r));
                assertTrue(r.coalescer().trainsOut() > 0, "no trains written: " + status(r));
                assertEquals(r.segmentsRead, r.coalescer().packetsIn(), status(r));
                assertEquals(r.coalescer().framesOut(), r.framesWritten, "frames out of the coalescer all written");
                assertEquals(0, r.writeErrors + r.readErrors + r.dropped, status(r));
            }
        }
    }

    private static TunDevice open(NetNs ns, boolean offloads) throws Exception {
        return ns.call(() -> {
            TunDevice d = TunDevice.open(TunConfig.tun("pt-ur0").withOffloads(offloads));
            new LinkConfig(d.name()).mtu(1500).txqueuelen(1000).addAddress("100.64.0.1/24").up();
            return d;
        });
    }

    private static void transfer(NetNs ns, long bytes, UringEchoLoop r) throws Exception {
        ServerSocketChannel server = ns.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress("100.64.0.1", 5301)));
        try (server; SocketChannel client = ns.call(() -> {
            SocketChannel c = SocketChannel.open();
            c.bind(new InetSocketAddress("100.64.0.1", 0));
            c.connect(new InetSocketAddress("100.64.0.2", 5301));
            return c;
        }); SocketChannel accepted = server.accept()) {
            byte[] block = new byte[1 << 20];
            new Random(bytes).nextBytes(block);
            MessageDigest sent = MessageDigest.getInstance("SHA-256"), got = MessageDigest.getInstance("SHA-256");
            long[] received = {0};
            Thread reader = new Thread(() -> {
                ByteBuffer rb = ByteBuffer.allocate(1 << 20);
                try {
                    while (received[0] < bytes) {
                        int n = accepted.read(rb.clear());
                        if (n < 0) {
                            break;
                        }
                        got.update(rb.array(), 0, n);
                        received[0] += n;
                    }
                } catch (Exception e) {
                    // the assertion below reports the shortfall
                }
            }, "uring-receiver");
            reader.start();
            ByteBuffer wb = ByteBuffer.wrap(block);
            for (long left = bytes; left > 0; left -= block.length) {
                sent.update(block);
                wb.clear();
                while (wb.hasRemaining()) {
                    client.write(wb);
                }
            }
            reader.join(TimeUnit.SECONDS.toMillis(60));
            if (reader.isAlive()) {
                accepted.close();
                reader.join(5000);
            }
            assertEquals(bytes, received[0], "bytes back through the io_uring reflector: " + status(r));
            assertTrue(MessageDigest.isEqual(sent.digest(), got.digest()), "SHA-256 of the data");
        }
    }

    /** The namespace's UDP counters (RcvbufErrors: a loss at the receiving socket, not ours). */
    private static String udpCounters(NetNs ns) {
        return ns.exec("grep", "^Udp:", "/proc/net/snmp").replace('\n', ' ');
    }

    private static String status(EchoLoop r) {
        return String.format("read %d frames (%d trains, %d segments), wrote %d, syscalls %d, dropped %d, "
                        + "read errors %d, write errors %d, last error %s", r.framesRead, r.trainsRead, r.segmentsRead,
                r.framesWritten, r.syscalls, r.dropped, r.readErrors, r.writeErrors, r.lastError);
    }
}
