package dev.platoon.bench.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.IoEventLoop;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import dev.platoon.core.transport.InboundSink;
import dev.platoon.core.transport.QueueLoops;
import dev.platoon.core.transport.TransportCounters;
import dev.platoon.core.transport.UdpBind;
import dev.platoon.core.transport.UdpOptions;

/**
 * How the receive limit ({@code platoon.udp.messagesPerWakeup}) changes the cost of datagrams the kernel
 * cannot coalesce: a sender thread blasts small datagrams over loopback at one {@link UdpBind} socket
 * (platoon's own, on one queue loop, with a sink that only counts), as fast as it can, and the loop
 * thread's own CPU time (ThreadMXBean, so nothing else on the machine is counted) is divided by the
 * datagrams it received. Also the datagrams per wake-up and the share the kernel dropped because the
 * socket's buffer was full. Settings alternate; medians of N rounds. No root, loopback only.
 *
 * <p>usage: {@code ReceiveWakeupBench [ROUNDS] [DATAGRAMS_PER_ROUND] [SIZE] [LIMITS, e.g. 1,4,16,64]}
 */
public final class ReceiveWakeupBench {
    private record Result(double cpuNanosPerDatagram, double perWakeup, double lossShare) {
    }

    private ReceiveWakeupBench() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long datagrams = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 64;
        int[] limits = args.length > 3 ? Arrays.stream(args[3].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 4, 16, 64};
        List<List<Result>> results = new ArrayList<>();
        for (int i = 0; i < limits.length; i++) {
            results.add(new ArrayList<>());
        }
        run(limits[0], datagrams / 4, size); // warm-up: compile the receive path first
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < limits.length; i++) {
                Result res = run(limits[i], datagrams, size);
                results.get(i).add(res);
                System.out.printf(Locale.ROOT, "round %d limit %d: %.0f ns CPU/datagram, %.1f per wake-up, lost %.1f %%%n",
                        r + 1, limits[i], res.cpuNanosPerDatagram(), res.perWakeup(), 100 * res.lossShare());
            }
        }
        System.out.printf(Locale.ROOT, "%n| limit per wake-up | loop CPU ns per datagram | ÷ limit 1 | datagrams per wake-up"
                + " | lost in the kernel |%n| --- | --- | --- | --- | --- |%n");
        double base = median(results.get(0).stream().mapToDouble(Result::cpuNanosPerDatagram).toArray());
        for (int i = 0; i < limits.length; i++) {
            double ns = median(results.get(i).stream().mapToDouble(Result::cpuNanosPerDatagram).toArray());
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.2f | %.1f | %.1f %% |%n", limits[i], ns, ns / base,
                    median(results.get(i).stream().mapToDouble(Result::perWakeup).toArray()),
                    100 * median(results.get(i).stream().mapToDouble(Result::lossShare).toArray()));
        }
    }

    private static Result run(int limit, long datagrams, int size) throws Exception {
        System.setProperty("platoon.udp.messagesPerWakeup", Integer.toString(limit));
        AtomicLong received = new AtomicLong();
        InboundSink counting = new InboundSink() {
            @Override
            public void datagram(ByteBuf content, InetSocketAddress sender) {
                received.lazySet(received.get() + 1);
            }

            @Override
            public void batchEnd() {
            }
        };
        TransportCounters counters = new TransportCounters();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        try (QueueLoops loops = QueueLoops.create(1, "rx-bench");
             UdpBind bind = UdpBind.open(loops.loops(), InetAddress.getLoopbackAddress(), 0,
                     UdpOptions.defaults().withGro(false), counters, i -> counting);
             DatagramChannel sender = DatagramChannel.open()) {
            IoEventLoop loop = loops.loop(0);
            long loopThread = loop.submit(() -> Thread.currentThread().threadId()).get();
            sender.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bind.localPort()));
            ByteBuffer payload = ByteBuffer.allocateDirect(size);
            long cpuBefore = threads.getThreadCpuTime(loopThread);
            for (long i = 0; i < datagrams; i++) {
                payload.clear();
                sender.write(payload);
            }
            // The socket drains: wait until nothing more arrives for 200 ms (bounded by 30 s).
            long last = -1;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (received.get() != last && System.nanoTime() < deadline) {
                last = received.get();
                Thread.sleep(200);
            }
            long cpu = threads.getThreadCpuTime(loopThread) - cpuBefore;
            long got = received.get();
            return new Result((double) cpu / got, (double) counters.receiveDatagrams.sum() / counters.receiveBatches.sum(),
                    1 - (double) got / datagrams);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
