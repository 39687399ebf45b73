package dev.platoon.bench.tun;

import dev.platoon.tun.LinkConfig;
import dev.platoon.tun.Reflector;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import dev.platoon.tun.uring.EchoLoop;
import dev.platoon.tun.uring.IoUring;
import dev.platoon.tun.uring.PollEchoLoop;
import dev.platoon.tun.uring.TunIoMode;
import dev.platoon.tun.uring.UringEchoLoop;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The tap notes' experiment ({@link TunReflectorBench}): an echo on one tun queue, pinned to one
 * core, with and without offloads. In a private namespace, iperf3 (pinned to the other core) sends TCP from 100.64.0.1 to
 * 100.64.0.2; the {@link Reflector} swaps the addresses and writes everything back, so client and
 * server talk through it. Prints packets per second through the reflector and Gb/s. The queue is
 * driven by {@code jna}: {@link Reflector} (poll, read, write through JNA); {@code poll}: the same
 * calls through FFM ({@link PollEchoLoop}); or {@code uring}: io_uring through FFM
 * ({@link UringEchoLoop}). {@code alternate} runs poll and uring in every round ({@code all} adds
 * jna), the order reversed each round, and prints the medians with their ratios to poll's.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     dev.platoon.bench.tun.TunUringReflectorBench [seconds=10] [on|off|both=both] [jna|poll|uring|alternate|all=jna] [rounds=1]</pre>
 */
public final class TunUringReflectorBench {

    /** Reads io_uring keeps in flight; every one is woken when a frame arrives (see docs/benchmarks.md). */
    private static final int URING_DEPTH = Integer.getInteger("platoon.bench.uringDepth", 8);

    /** How the reflector drives its queue. */
    enum Io { JNA, POLL, URING }

    /** What one run measured; rates per second of the iperf3 transfer. */
    record Run(boolean offloads, Io io, double mpps, double kframes, double segmentsPerFrame, double gbps,
               long retransmits, double cpu, double cpuNsPerPacket, double machineNsPerPacket, double syscallsPerFrame,
               long errors) {}

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String mode = args.length > 1 ? args[1] : "both";
        String io = args.length > 2 ? args[2] : "jna";
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf("tun reflector, %d s per run, %d round(s), io %s (io_uring reads in flight: %d), %d CPUs, "
                + "load average %s%n", seconds, rounds, io, URING_DEPTH, cpus, new String(Files.readAllBytes(Path.of("/proc/loadavg"))).strip());
        List<Io> ios = new ArrayList<>(switch (io) {
            case "jna" -> List.of(Io.JNA);
            case "poll" -> List.of(Io.POLL);
            case "uring" -> List.of(Io.URING);
            case "alternate" -> List.of(Io.POLL, Io.URING);
            case "all" -> List.of(Io.JNA, Io.POLL, Io.URING);
            default -> throw new IllegalArgumentException("io " + io + ": expected jna, poll, uring, alternate or all");
        });
        if (ios.contains(Io.URING) && TunIoMode.URING.resolve(IoUring.KERNEL, System.out::println) != TunIoMode.URING) {
            ios.remove(Io.URING);   // the line above said why; measure what can be measured
        }
        List<Run> runs = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (boolean offloads : mode.equals("both") ? List.of(true, false) : List.of(mode.equals("on"))) {
                // Alternate which mode goes first, so a drift in the machine's load favours neither.
                List<Io> order = new ArrayList<>(ios);
                if (round % 2 == 1) {
                    Collections.reverse(order);
                }
                for (Io m : order) {
                    runs.add(run(offloads, m, seconds, cpus));
                }
            }
        }
        System.out.printf("load average at the end %s%n", new String(Files.readAllBytes(Path.of("/proc/loadavg"))).strip());
        if (rounds > 1 || ios.size() > 1) {
            table(runs);
        }
    }

    /** Medians per (offloads, io) and each figure's ratio to poll's median in the same run. */
    private static void table(List<Run> runs) {
        System.out.println();
        System.out.println("| offloads | io | runs | Mpps | × poll | k frames/s | segments/frame | Gb/s | reflector CPU "
                + "| reflector ns/packet | × poll | machine ns/packet | × poll | syscalls/frame |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (boolean off : List.of(true, false)) {
            Run base = median(runs, off, Io.POLL);
            for (Io m : Io.values()) {
                Run r = median(runs, off, m);
                if (r == null) {
                    continue;
                }
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %.3f | %s | %.1f | %.1f | %.2f | %.0f %% | %.0f | %s | %.0f | %s | %s |%n",
                        off ? "on" : "off", m.name().toLowerCase(Locale.ROOT), count(runs, off, m), r.mpps,
                        ratio(r.mpps, base == null ? Double.NaN : base.mpps), r.kframes, r.segmentsPerFrame, r.gbps,
                        r.cpu * 100, r.cpuNsPerPacket, ratio(r.cpuNsPerPacket, base == null ? Double.NaN : base.cpuNsPerPacket),
                        r.machineNsPerPacket, ratio(r.machineNsPerPacket, base == null ? Double.NaN : base.machineNsPerPacket),
                        Double.isNaN(r.syscallsPerFrame) ? "–" : String.format(Locale.ROOT, "%.2f", r.syscallsPerFrame));
            }
        }
    }

    private static int count(List<Run> runs, boolean off, Io m) {
        return (int) runs.stream().filter(r -> r.offloads == off && r.io == m).count();
    }

    /** The median of every figure on its own (a synthetic row). */
    private static Run median(List<Run> runs, boolean off, Io m) {
        List<Run> rs = runs.stream().filter(r -> r.offloads == off && r.io == m).toList();
        if (rs.isEmpty()) {
            return null;
        }
        return new Run(off, m, med(rs, Run::mpps), med(rs, Run::kframes), med(rs, Run::segmentsPerFrame),
                med(rs, Run::gbps), (long) med(rs, r -> r.retransmits), med(rs, Run::cpu), med(rs, Run::cpuNsPerPacket),
                med(rs, Run::machineNsPerPacket), med(rs, Run::syscallsPerFrame), 0);
    }

    private static double med(List<Run> rs, ToDoubleFunction<Run> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    private static String ratio(double a, double b) {
        return Double.isNaN(a) || Double.isNaN(b) || b == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f×", a / b);
    }

    private static Run run(boolean offloads, Io io, int seconds, int cpus) throws Exception {
        String ns = "pt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-bench";
        BenchHost.exec("ip", "netns", "add", ns);
        Thread hook = new Thread(() -> BenchHost.quietly("ip", "netns", "delete", ns));
        Runtime.getRuntime().addShutdownHook(hook);
        Exception[] failure = new Exception[1];
        Run[] out = new Run[1];
        Thread inside = new Thread(() -> {
            try {
                BenchHost.enter(ns);
                out[0] = measure(offloads, io, seconds, cpus);
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        inside.start();
        inside.join();
        BenchHost.quietly("ip", "netns", "delete", ns);
        Runtime.getRuntime().removeShutdownHook(hook);
        if (failure[0] != null) {
            throw failure[0];
        }
        return out[0];
    }

    /** The reflector's counters, whichever loop drives the queue. */
    private record Echo(Runnable body, Runnable stop, LongSupplier segments, LongSupplier frames, LongSupplier bytes,
                        LongSupplier errors, LongSupplier syscalls, Supplier<String> lastError) {
        static Echo of(TunDevice dev, boolean offloads, Io io, long maxNanos) {
            if (io != Io.JNA) {
                EchoLoop r = io == Io.URING ? new UringEchoLoop(dev, 0, offloads, URING_DEPTH, maxNanos)
                        : new PollEchoLoop(dev, 0, offloads, 8, maxNanos);
                return new Echo(r, r::stop, () -> r.segmentsRead, () -> r.framesRead, () -> r.bytesRead,
                        () -> r.writeErrors + r.readErrors + r.dropped, () -> r.syscalls, () -> r.lastError);
            }
            Reflector r = new Reflector(dev, 0, offloads, maxNanos);
            return new Echo(r, r::stop, () -> r.segmentsRead, () -> r.framesRead, () -> r.bytesRead,
                    () -> r.writeErrors + r.dropped, () -> -1, () -> r.lastError);
        }
    }

    private static Run measure(boolean offloads, Io io, int seconds, int cpus) throws Exception {
        BenchHost.exec("ip", "link", "set", "lo", "up");
        TunConfig cfg = TunConfig.tun("pt0").withOffloads(offloads);
        try (TunDevice dev = TunDevice.open(cfg)) {
            new LinkConfig(dev.name()).mtu(1500).txqueuelen(1000).addAddress("100.64.0.1/24").up();
            Echo r = Echo.of(dev, offloads, io, TimeUnit.SECONDS.toNanos(seconds + 30));
            Thread rt = new Thread(() -> {
                BenchHost.pin(cpus - 1, "the reflector");
                r.body().run();
            }, "reflector");
            rt.start();
            String loadCpu = "0"; // the reflector gets the last CPU, the load the first
            Process server = new ProcessBuilder("taskset", "-c", loadCpu, "iperf3", "-s", "-1", "-B", "100.64.0.1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            BenchHost.waitListening(5201);
            long segments0 = r.segments().getAsLong(), frames0 = r.frames().getAsLong(), bytes0 = r.bytes().getAsLong();
            long syscalls0 = r.syscalls().getAsLong();
            var mx = ManagementFactory.getThreadMXBean();
            long cpu0 = mx.getThreadCpuTime(rt.threadId());
            long[] machine0 = machineTicks();
            long t0 = System.nanoTime();
            String json = BenchHost.exec("taskset", "-c", loadCpu, "iperf3", "-c", "100.64.0.2", "-t", Integer.toString(seconds), "-J");
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long[] machine1 = machineTicks();
            long segments = r.segments().getAsLong() - segments0, frames = r.frames().getAsLong() - frames0;
            long bytes = r.bytes().getAsLong() - bytes0, syscalls = r.syscalls().getAsLong() - syscalls0;
            double cpuSeconds = (mx.getThreadCpuTime(rt.threadId()) - cpu0) / 1e9;
            r.stop().run();
            rt.join();
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
            double goodput = BenchHost.number(json, "\"sum_received\":\\s*\\{[^}]*\"bits_per_second\":\\s*([0-9.e+]+)");
            double retr = BenchHost.number(json, "\"sum_sent\":\\s*\\{[^}]*\"retransmits\":\\s*([0-9]+)");
            double machineBusy = (machine1[0] - machine0[0]) / 100.0;
            Run run = new Run(offloads, io, segments / elapsed / 1e6, frames / elapsed / 1e3,
                    (double) segments / Math.max(1, frames), goodput / 1e9, (long) retr, cpuSeconds / elapsed,
                    cpuSeconds * 1e9 / Math.max(1, segments), machineBusy * 1e9 / Math.max(1, segments),
                    io != Io.JNA ? (double) syscalls / Math.max(1, frames) : Double.NaN, r.errors().getAsLong());
            System.out.printf(Locale.ROOT, "offloads %-3s io %-5s (%s): %.3f Mpps (%.1f k frames/s, %.1f segments/frame), "
                            + "%.2f Gb/s through it, iperf3 TCP %.2f Gb/s, %d retransmits, reflector thread %.0f%% of a core, "
                            + "%.0f ns CPU/packet (machine %.0f ns), steal %.0f%%, errors+drops %d%s%n",
                    offloads ? "on" : "off", io.name().toLowerCase(Locale.ROOT), dev.offloads(), run.mpps, run.kframes,
                    run.segmentsPerFrame, bytes * 8 / elapsed / 1e9, run.gbps, run.retransmits, run.cpu * 100,
                    run.cpuNsPerPacket, run.machineNsPerPacket,
                    100.0 * (machine1[1] - machine0[1]) / Math.max(1, machine1[2] - machine0[2]), run.errors,
                    r.lastError().get() == null ? "" : ", last error: " + r.lastError().get());
            return run;
        }
    }

    /** Busy, steal and total ticks of the whole machine from /proc/stat (softirq work included). */
    private static long[] machineTicks() throws Exception {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
        long[] v = new long[8];
        for (int i = 0; i < 8; i++) {
            v[i] = Long.parseLong(f[i + 1]);
        }
        long busy = v[0] + v[1] + v[2] + v[5] + v[6];
        return new long[] {busy, v[7], busy + v[3] + v[4] + v[7]};
    }
}
