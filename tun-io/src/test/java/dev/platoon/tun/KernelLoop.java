package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.testkit.NetNs;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A namespace with one tun device (100.64.0.1/24, fd00:64::1/64) and a {@link Reflector} per
 * queue: a kernel TCP client connecting to .2 / ::2 reaches a kernel server on .1 / ::1 through
 * our split + coalesce, in both directions. Everything stops by itself and is removed on close.
 */
final class KernelLoop implements AutoCloseable {
    static final int PORT = 5201;
    final NetNs ns;
    final TunDevice dev;
    final List<Reflector> reflectors = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    KernelLoop(String tag, TunConfig cfg, boolean coalesce, Reflector.SegmentObserver observer,
               Reflector.QueueChooser chooser) throws Exception {
        ns = NetNs.create(tag);
        try {
            dev = ns.call(() -> {
                TunDevice d = TunDevice.open(cfg);
                new LinkConfig(d.name()).mtu(1500).txqueuelen(1000).addAddress("100.64.0.1/24")
                        .addAddress("fd00:64::1/64").up();
                return d;
            });
            for (int q = 0; q < dev.queueCount(); q++) {
                Reflector r = new Reflector(dev, q, coalesce, TimeUnit.SECONDS.toNanos(150));
                if (observer != null) {
                    r.observer(observer);
                }
                if (chooser != null) {
                    r.chooser(chooser);
                }
                reflectors.add(r);
                Thread t = new Thread(r, "reflector-" + q);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        } catch (Exception | Error e) {
            ns.close();
            throw e;
        }
    }

    /**
     * Sends {@code bytes} of seeded random data from a client bound to {@code localPort} (0: any) to
     * the server, within 90 s, and asserts the SHA-256 of what arrived equals what was sent.
     */
    void transfer(boolean v6, long bytes, int localPort) throws Exception {
        String local = v6 ? "fd00:64::1" : "100.64.0.1";
        String remote = v6 ? "fd00:64::2" : "100.64.0.2";
        ServerSocketChannel server = ns.call(() -> ServerSocketChannel.open().bind(new InetSocketAddress(local, PORT + 2 * (localPort % 1000))));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        try (server; SocketChannel client = ns.call(() -> {
            SocketChannel c = SocketChannel.open();
            c.bind(new InetSocketAddress(local, localPort));
            c.connect(new InetSocketAddress(remote, port));
            return c;
        }); SocketChannel accepted = server.accept()) {
            byte[] block = new byte[1 << 20];
            new Random(bytes ^ localPort).nextBytes(block);
            MessageDigest sent = MessageDigest.getInstance("SHA-256");
            MessageDigest got = MessageDigest.getInstance("SHA-256");
            long[] received = {0};
            Thread reader = new Thread(() -> {
                ByteBuffer rb = ByteBuffer.allocateDirect(1 << 20);
                byte[] copy = new byte[1 << 20];
                try {
                    while (received[0] < bytes) {
                        rb.clear();
                        int n = accepted.read(rb);
                        if (n < 0) {
                            break;
                        }
                        rb.flip();
                        rb.get(copy, 0, n);
                        got.update(copy, 0, n);
                        received[0] += n;
                    }
                } catch (Exception e) {
                    // the assertion below reports the shortfall
                }
            }, "receiver");
            reader.start();
            Thread writer = new Thread(() -> {
                ByteBuffer wb = ByteBuffer.allocateDirect(block.length);
                try {
                    for (long left = bytes; left > 0; ) {
                        int n = (int) Math.min(left, block.length);
                        wb.clear().put(block, 0, n).flip();
                        sent.update(block, 0, n);
                        while (wb.hasRemaining()) {
                            client.write(wb);
                        }
                        left -= n;
                    }
                } catch (Exception e) {
                    // shows as a shortfall
                }
            }, "sender");
            writer.start();
            writer.join(TimeUnit.SECONDS.toMillis(90));
            reader.join(TimeUnit.SECONDS.toMillis(90));
            if (reader.isAlive() || writer.isAlive()) {
                client.close();
                accepted.close();
                writer.join(5000);
                reader.join(5000);
            }
            assertEquals(bytes, received[0], "bytes that arrived through the reflector " + status());
            assertTrue(MessageDigest.isEqual(sent.digest(), got.digest()), "SHA-256 of the data");
        }
    }

    /** rx/tx errors and drops of the device from `ip -s -j link`. */
    long[] linkStats() {
        String json = ns.exec("ip", "-s", "-j", "link", "show", "dev", dev.name());
        Matcher rx = Pattern.compile("\"rx\":\\{[^}]*\"errors\":(\\d+),\"dropped\":(\\d+)").matcher(json);
        Matcher tx = Pattern.compile("\"tx\":\\{[^}]*\"errors\":(\\d+),\"dropped\":(\\d+)").matcher(json);
        assertTrue(rx.find() && tx.find(), "ip -s -j link output: " + json);
        return new long[] {Long.parseLong(rx.group(1)), Long.parseLong(rx.group(2)), Long.parseLong(tx.group(1)),
                Long.parseLong(tx.group(2))};
    }

    String status() {
        StringBuilder s = new StringBuilder(dev.describe());
        for (Reflector r : reflectors) {
            s.append(String.format(" | q: read %d frames (%d trains, %d segments), wrote %d frames (%d trains), "
                            + "dropped %d, write errors %d%s", r.framesRead, r.trainsRead, r.segmentsRead,
                    r.framesWritten, r.coalescer().trainsOut(), r.dropped, r.writeErrors,
                    r.lastError == null ? "" : ", last error: " + r.lastError));
        }
        return s.toString();
    }

    void stopAndJoin() throws InterruptedException {
        for (Reflector r : reflectors) {
            r.stop();
        }
        for (Thread t : threads) {
            t.join(5000);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            stopAndJoin();
            dev.close();
        } finally {
            ns.close();
        }
    }
}
