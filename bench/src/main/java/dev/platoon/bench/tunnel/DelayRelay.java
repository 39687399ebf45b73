package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The delay of {@link RttBench}: a UDP relay in a namespace between the two endpoints (the kernel here
 * has no netem) that holds every datagram for a fixed one-way delay in each direction. Side A's
 * endpoint sends to {@code LISTEN}; the relay forwards from {@code BIND_B} to {@code TARGET_B}, and
 * what comes back goes to the address A last sent from. Each direction is a ring of fixed slots in
 * one direct buffer (bounded memory; a datagram that finds the ring full is dropped and counted), filled
 * by a receiving thread and emptied by a sending thread when each datagram is due. It stops by itself
 * after a bounded time, or when killed, and prints its counts.
 *
 * <p>usage: {@code DelayRelay LISTEN_IP:PORT BIND_B_IP TARGET_B_IP:PORT ONE_WAY_MS MAX_SECONDS}
 */
public final class DelayRelay {
    private static final int SLOT = 2048;
    private static final int SLOTS = 1 << 15; // 64 MiB per direction: 120 ms of ~4 Gb/s

    /** One direction: single producer (the receiver), single consumer (the sender). */
    private static final class Ring {
        final ByteBuffer slots = ByteBuffer.allocateDirect(SLOT * SLOTS);
        final int[] lengths = new int[SLOTS];
        final long[] due = new long[SLOTS];
        final AtomicLong head = new AtomicLong(); // next to send
        final AtomicLong tail = new AtomicLong(); // next to fill
        final AtomicLong forwarded = new AtomicLong();
        final AtomicLong dropped = new AtomicLong();
    }

    private DelayRelay() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: DelayRelay LISTEN_IP:PORT BIND_B_IP TARGET_B_IP:PORT ONE_WAY_MS MAX_SECONDS");
            System.exit(2);
        }
        InetSocketAddress listen = address(args[0]);
        InetSocketAddress targetB = address(args[2]);
        long delay = Long.parseLong(args[3]) * 1_000_000L;
        long maxSeconds = Math.min(Long.parseLong(args[4]), 3600);
        DatagramChannel sideA = DatagramChannel.open().bind(listen);
        DatagramChannel sideB = DatagramChannel.open().bind(new InetSocketAddress(args[1], 0));
        sideA.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
        sideB.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 8 << 20);
        Ring ab = new Ring();
        Ring ba = new Ring();
        AtomicReference<SocketAddress> aAddress = new AtomicReference<>(); // where A last sent from
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.printf(
                "relay: a->b forwarded %d dropped %d; b->a forwarded %d dropped %d%n",
                ab.forwarded.get(), ab.dropped.get(), ba.forwarded.get(), ba.dropped.get())));
        daemon("relay-recv-a", () -> receive(sideA, ab, delay, aAddress::set));
        daemon("relay-send-b", () -> send(ab, sideB, () -> targetB));
        daemon("relay-recv-b", () -> receive(sideB, ba, delay, from -> { }));
        daemon("relay-send-a", () -> send(ba, sideA, aAddress::get));
        System.out.println("relay: listening on " + listen + ", one-way delay " + args[3] + " ms");
        Thread.sleep(maxSeconds * 1000);
        System.exit(0);
    }

    private static void receive(DatagramChannel ch, Ring r, long delay,
                                java.util.function.Consumer<SocketAddress> source) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocateDirect(SLOT);
        while (true) {
            long t = r.tail.get();
            boolean full = t - r.head.get() >= SLOTS;
            ByteBuffer into = full ? scratch.clear() : r.slots.slice((int) (t % SLOTS) * SLOT, SLOT);
            SocketAddress from = ch.receive(into);
            source.accept(from);
            if (full) {
                r.dropped.incrementAndGet();
                continue;
            }
            int i = (int) (t % SLOTS);
            r.lengths[i] = into.position();
            r.due[i] = System.nanoTime() + delay;
            r.tail.lazySet(t + 1);
        }
    }

    private static void send(Ring r, DatagramChannel ch, java.util.function.Supplier<SocketAddress> to)
            throws IOException {
        while (true) {
            long h = r.head.get();
            if (h == r.tail.get()) {
                LockSupport.parkNanos(20_000);
                continue;
            }
            int i = (int) (h % SLOTS);
            long wait = r.due[i] - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(Math.min(wait, 200_000));
                continue;
            }
            SocketAddress target = to.get();
            if (target != null) {
                ch.send(r.slots.slice(i * SLOT, r.lengths[i]), target);
                r.forwarded.incrementAndGet();
            } else {
                r.dropped.incrementAndGet();
            }
            r.head.lazySet(h + 1);
        }
    }

    private interface IoTask {
        void run() throws IOException;
    }

    private static void daemon(String name, IoTask task) {
        Thread.ofPlatform().daemon().name(name).start(() -> {
            try {
                task.run();
            } catch (IOException e) {
                System.err.println("relay: " + name + ": " + e.getMessage());
            }
        });
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}
