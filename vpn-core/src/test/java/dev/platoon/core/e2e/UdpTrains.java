package dev.platoon.core.e2e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;
import dev.platoon.testkit.NetNs;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.unix.SegmentedDatagramPacket;

/**
 * UDP trains through the tunnel: an application in one side's namespace sends with {@code UDP_SEGMENT}
 * (one sendmsg per train of {@value #SEGMENTS} datagrams of {@value #SEGMENT} bytes), so the tun device
 * of that side gets USO frames; a plain socket in the other namespace receives the datagrams and checks
 * every byte. Bounded in datagrams and time; the sender keeps at most {@value #WINDOW} datagrams (two
 * trains) in flight past the highest one that arrived, which a socket with the kernel's default receive
 * buffer (208 KiB) holds. What a peer loses
 * because its outer socket's receive buffer is full is counted by the kernel of its namespace
 * ({@link #rcvbufErrors}).
 */
final class UdpTrains {
    static final int SEGMENT = 1200;
    static final int SEGMENTS = 40;
    static final int WINDOW = 80;
    /** How long the receiver may go without a datagram before the rest counts as lost. */
    private static final long STALL_NANOS = 2_000_000_000L;
    private static final long POLL_NANOS = 100_000L;

    /** What arrived: distinct datagrams, datagrams whose bytes were wrong, duplicates; and the time. */
    record Result(long sent, long received, long corrupted, long duplicates, long rcvbufErrors, double seconds) {
        long lost() {
            return sent - received;
        }
    }

    private UdpTrains() {
    }

    static Result send(TunnelBed bed, Side from, Side to, int trains, int port, long deadlineSeconds)
            throws Exception {
        long rcvbufBefore = rcvbufErrors(bed, to.namespace);
        int total = trains * SEGMENTS;
        AtomicLong received = new AtomicLong();
        AtomicLong corrupted = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong lastArrival = new AtomicLong(System.nanoTime());
        AtomicLong highest = new AtomicLong(-1);
        DatagramChannel rx = NetNs.call(to.namespace, () -> {
            DatagramChannel ch = DatagramChannel.open();
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 8 << 20);
            ch.bind(new InetSocketAddress(to.tunnel4, port));
            return ch;
        });
        CompletableFuture<Void> receiver = CompletableFuture.runAsync(() -> {
            BitSet seen = new BitSet(total);
            ByteBuffer buf = ByteBuffer.allocate(65536);
            try {
                while (received.get() < total) {
                    buf.clear();
                    rx.receive(buf);
                    buf.flip();
                    lastArrival.set(System.nanoTime());
                    int seq = buf.remaining() == SEGMENT ? buf.getInt(0) : -1;
                    if (seq < 0 || seq >= total || !intact(buf, seq)) {
                        corrupted.incrementAndGet();
                    } else if (seen.get(seq)) {
                        duplicates.incrementAndGet();
                    } else {
                        seen.set(seq);
                        received.incrementAndGet();
                        highest.accumulateAndGet(seq, Math::max);
                    }
                }
            } catch (ClosedChannelException done) {
                // closed by the sender's side once nothing more came
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });

        long t0 = System.nanoTime();
        long deadline = t0 + deadlineSeconds * 1_000_000_000L;
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            InetSocketAddress target = new InetSocketAddress(to.tunnel4, port);
            // The socket is made on this namespace's thread, so it belongs to the sender's namespace.
            Channel tx = NetNs.call(from.namespace, () -> new Bootstrap().group(group)
                    .channel(EpollDatagramChannel.class).handler(new ChannelInboundHandlerAdapter())
                    .bind(new InetSocketAddress(from.tunnel4, 0)).sync().channel());
            for (int t = 0; t < trains; t++) {
                long sent = (long) t * SEGMENTS;
                // Flow control: wait for the receiver to come near (a lost datagram does not hold it back:
                // the highest number that arrived counts), unless it has stalled.
                while (sent + SEGMENTS - (highest.get() + 1) > WINDOW && System.nanoTime() - lastArrival.get() < STALL_NANOS
                        && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(POLL_NANOS);
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("UDP trains " + from.ifname + " -> " + to.ifname + ": deadline of "
                            + deadlineSeconds + " s passed after " + t + " of " + trains + " trains");
                }
                ByteBuf train = Unpooled.directBuffer(SEGMENT * SEGMENTS);
                for (int i = 0; i < SEGMENTS; i++) {
                    fill(train, (int) sent + i);
                }
                tx.writeAndFlush(new SegmentedDatagramPacket(train, SEGMENT, target)).sync();
            }
            lastArrival.set(System.nanoTime());
            while (received.get() < total && System.nanoTime() - lastArrival.get() < STALL_NANOS
                    && System.nanoTime() < deadline) {
                LockSupport.parkNanos(POLL_NANOS);
            }
            tx.close().sync();
        } finally {
            rx.close();
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
        receiver.join();
        return new Result(total, received.get(), corrupted.get(), duplicates.get(),
                rcvbufErrors(bed, to.namespace) - rcvbufBefore, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * The namespace's UDP datagrams dropped because a socket's receive buffer was full (IPv4 and IPv6,
     * /proc/net/snmp and snmp6): the outer socket of the receiving peer and the test's own socket.
     */
    static long rcvbufErrors(TunnelBed bed, String namespace) {
        String v4 = bed.net.exec(namespace, Duration.ofSeconds(5), "cat", "/proc/net/snmp").orThrow().stdout();
        String v6 = bed.net.exec(namespace, Duration.ofSeconds(5), "cat", "/proc/net/snmp6").orThrow().stdout();
        long n = 0;
        String[] lines = v4.split("\n");
        for (int i = 0; i + 1 < lines.length; i++) {
            if (lines[i].startsWith("Udp: ") && lines[i + 1].startsWith("Udp: ")) {
                List<String> names = List.of(lines[i].split("\\s+"));
                n += Long.parseLong(lines[i + 1].split("\\s+")[names.indexOf("RcvbufErrors")]);
                break;
            }
        }
        for (String line : v6.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2 && f[0].equals("Udp6RcvbufErrors")) {
                n += Long.parseLong(f[1]);
            }
        }
        return n;
    }

    private static void fill(ByteBuf b, int seq) {
        b.writeInt(seq);
        for (int i = 4; i < SEGMENT; i++) {
            b.writeByte(seq * 31 + i);
        }
    }

    private static boolean intact(ByteBuffer b, int seq) {
        for (int i = 4; i < SEGMENT; i++) {
            if (b.get(i) != (byte) (seq * 31 + i)) {
                return false;
            }
        }
        return true;
    }
}
