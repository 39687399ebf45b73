package dev.platoon.bench.tun;

import dev.platoon.tun.LinkConfig;
import dev.platoon.tun.Reflector;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The experiment of Marek Majkowski's notes on tap devices (Cloudflare blog; "the tap notes"): an
 * echo on the tun queues, with and without offloads. In a private namespace, iperf3 (pinned to CPU
 * 0) sends TCP from 100.64.0.1 to 100.64.0.2; one echo thread per queue (queue i pinned to CPU
 * n-1-i) swaps the addresses and writes everything back, so client and server talk through it. Each
 * run counts {@code seconds} after a warm-up (2 s). Every combination of the comma-separated
 * options runs once per round, the order reversed every other round; the table gives medians and
 * each variant's ratio to the first.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     dev.platoon.bench.tun.TunReflectorBench [seconds=10] [rounds=1] [echo=split|train,...]
 *     [offloads=on,off] [queues=1,2] [steering=kernel,ebpf] [napi=off,on] [streams=1] [warm=2]</pre>
 * The short form {@code TunReflectorBench 10 both} is also read (seconds, then on|off|both).
 */
public final class TunReflectorBench {
    /** Seconds of warm-up before each run's window ({@code warm=N}). */
    private static int WARM = 2;

    record Result(double mpps, double kframes, double segPerFrame, double gbps, long retransmits, double cpu,
                  double mppsPerCore, double q0share, long errors, double cpuSecondsPerMpkt) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.contains("=")) {
                opts.put(a.substring(0, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            } else if (i == 0) {
                opts.put("seconds", a);
            } else {
                opts.put("offloads", a.equals("both") ? "on,off" : a);
            }
        }
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "1"));
        WARM = Integer.parseInt(opts.getOrDefault("warm", "2"));
        List<ReflectorVariant> variants = ReflectorVariant.matrix(opts);
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf("tun reflector, %d s per run, %d rounds of %d variants, %d CPUs, load average %s%n", seconds,
                rounds, variants.size(), cpus, loadavg());
        Map<ReflectorVariant, List<Result>> results = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            List<ReflectorVariant> order = new ArrayList<>(variants);
            if (r % 2 == 1) {
                java.util.Collections.reverse(order);
            }
            for (ReflectorVariant v : order) {
                Result res = run(v, seconds, cpus);
                results.computeIfAbsent(v, k -> new ArrayList<>()).add(res);
                System.out.printf("round %d, %s: %.3f Mpps, %.1f k frames/s, %.1f segments/frame, %.2f Gb/s, "
                                + "%d retransmits, echo CPU %.0f%%, %.3f Mpps per busy core, %.2f CPU-s per M packets (echo + iperf3), queue 0 share %.2f, errors %d%n",
                        r + 1, v.label(), res.mpps, res.kframes, res.segPerFrame, res.gbps, res.retransmits,
                        res.cpu * 100, res.mppsPerCore, res.cpuSecondsPerMpkt, res.q0share, res.errors);
            }
        }
        System.out.printf("load average at the end %s%n%n", loadavg());
        table(variants, results);
    }

    private static void table(List<ReflectorVariant> variants, Map<ReflectorVariant, List<Result>> results) {
        System.out.println("| variant | Mpps (range) | k frames/s | segments/frame | Gb/s iperf3 | echo CPU "
                + "| Mpps per busy core | ratio to first (Mpps per busy core) | CPU-s per M packets, echo + iperf3 "
                + "| queue 0 share | retransmits |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        double base = median(results.get(variants.get(0)), Result::mppsPerCore);
        for (ReflectorVariant v : variants) {
            List<Result> rs = results.get(v);
            double perCore = median(rs, Result::mppsPerCore);
            System.out.printf("| %s | %.3f (%.3f–%.3f) | %.1f | %.1f | %.2f | %.0f %% | %.3f | %.2f | %.2f | %.2f | %.0f |%n",
                    v.label(), median(rs, Result::mpps), min(rs, Result::mpps), max(rs, Result::mpps),
                    median(rs, Result::kframes), median(rs, Result::segPerFrame), median(rs, Result::gbps),
                    median(rs, Result::cpu) * 100, perCore, perCore / base, median(rs, Result::cpuSecondsPerMpkt),
                    median(rs, Result::q0share),
                    median(rs, r -> r.retransmits));
        }
    }

    private static Result run(ReflectorVariant v, int seconds, int cpus) throws Exception {
        String ns = "pt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-refl";
        BenchHost.exec("ip", "netns", "add", ns);
        Thread hook = new Thread(() -> BenchHost.quietly("ip", "netns", "delete", ns));
        Runtime.getRuntime().addShutdownHook(hook);
        Object[] out = new Object[1];
        Thread inside = new Thread(() -> {
            try {
                BenchHost.enter(ns);
                out[0] = measure(v, seconds, cpus);
            } catch (Exception e) {
                out[0] = e;
            }
        });
        inside.start();
        inside.join();
        BenchHost.quietly("ip", "netns", "delete", ns);
        Runtime.getRuntime().removeShutdownHook(hook);
        if (out[0] instanceof Exception e) {
            throw e;
        }
        return (Result) out[0];
    }

    /** One echo per queue; the counters of both kinds as one view. */
    private record Echo(Runnable body, Reflector split, TrainEcho train) {
        long segments() { return split != null ? split.segmentsRead : train.segmentsRead; }
        long frames() { return split != null ? split.framesRead : train.framesRead; }
        long errors() { return split != null ? split.writeErrors + split.dropped : train.writeErrors; }
        void stop() {
            if (split != null) {
                split.stop();
            } else {
                train.stop();
            }
        }
    }

    private static Result measure(ReflectorVariant v, int seconds, int cpus) throws Exception {
        BenchHost.exec("ip", "link", "set", "lo", "up");
        TunConfig cfg = TunConfig.tun("pt0").withOffloads(v.offloads()).withQueues(v.queues()).withNapi(v.napi())
                .withSteering(v.steering());
        try (TunDevice dev = TunDevice.open(cfg)) {
            if (dev.steering() != v.steering()) {
                throw new IllegalStateException("asked for steering " + v.steering() + ", got " + dev.describe());
            }
            new LinkConfig(dev.name()).mtu(1500).txqueuelen(1000).addAddress("100.64.0.1/24").up();
            long max = TimeUnit.SECONDS.toNanos(seconds + 30);
            List<Echo> echoes = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int q = 0; q < dev.queueCount(); q++) {
                Echo e;
                if (v.echo().equals("split")) {
                    Reflector r = new Reflector(dev, q, v.offloads(), max);
                    e = new Echo(r, r, null);
                } else {
                    TrainEcho t = new TrainEcho(dev.queue(q), max);
                    e = new Echo(t, null, t);
                }
                int cpu = ((cpus - 1 - q) % cpus + cpus) % cpus;
                Thread t = new Thread(() -> {
                    BenchHost.pin(cpu, "the echo thread");
                    e.body().run();
                }, "echo-" + q);
                t.start();
                echoes.add(e);
                threads.add(t);
            }
            String loadCpu = "0";
            Process server = new ProcessBuilder("taskset", "-c", loadCpu, "iperf3", "-s", "-1", "-B", "100.64.0.1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BenchHost.waitListening(5201);
                // iperf3 omits its first WARM seconds from its figures; the counters start after them too,
                // so JIT compilation and TCP's slow start stay out of both.
                Process client = new ProcessBuilder("taskset", "-c", loadCpu, "iperf3", "-c", "100.64.0.2",
                        "-t", Integer.toString(seconds), "-O", Integer.toString(WARM), "-P", Integer.toString(v.streams()),
                        "-J").redirectErrorStream(true).start();
                client.getOutputStream().close();
                if (WARM > 0) {
                    Thread.sleep(TimeUnit.SECONDS.toMillis(WARM)); // the warm-up window itself, not a wait for a state
                } else {
                    waitConnected(v.streams());
                }
                long[] seg0 = new long[echoes.size()];
                long frames0 = 0, errors0 = 0, cpu0 = 0;
                var mx = ManagementFactory.getThreadMXBean();
                for (int i = 0; i < echoes.size(); i++) {
                    seg0[i] = echoes.get(i).segments();
                    frames0 += echoes.get(i).frames();
                    errors0 += echoes.get(i).errors();
                    cpu0 += mx.getThreadCpuTime(threads.get(i).threadId());
                }
                long load0 = ticks(server.pid()) + ticks(client.pid());
                long t0 = System.nanoTime();
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds)); // the measured window
                double elapsed = (System.nanoTime() - t0) / 1e9;
                double loadCpuShare = (ticks(server.pid()) + ticks(client.pid()) - load0) / 100.0 / elapsed;
                long segments = 0, q0 = 0, frames = -frames0, errors = -errors0, cpuNanos = -cpu0;
                for (int i = 0; i < echoes.size(); i++) {
                    long s = echoes.get(i).segments() - seg0[i];
                    segments += s;
                    q0 += i == 0 ? s : 0;
                    frames += echoes.get(i).frames();
                    errors += echoes.get(i).errors();
                    cpuNanos += mx.getThreadCpuTime(threads.get(i).threadId());
                }
                double cpu = cpuNanos / 1e9 / elapsed;
                String json = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!client.waitFor(WARM + 30, TimeUnit.SECONDS) || client.exitValue() != 0) {
                    client.destroyForcibly();
                    throw new IllegalStateException(v.label() + ": iperf3 client failed: " + json.strip());
                }
                double goodput = BenchHost.number(json, "\"sum_received\":\\s*\\{[^}]*\"bits_per_second\":\\s*([0-9.e+]+)");
                double retr = BenchHost.number(json, "\"sum_sent\":\\s*\\{[^}]*\"retransmits\":\\s*([0-9]+)");
                double mpps = segments / elapsed / 1e6;
                return new Result(mpps, frames / elapsed / 1e3, (double) segments / Math.max(1, frames), goodput / 1e9,
                        (long) retr, cpu, mpps / Math.max(cpu, 1e-9), (double) q0 / Math.max(1, segments), errors,
                        (cpu + loadCpuShare) / Math.max(mpps, 1e-9));
            } finally {
                for (Echo e : echoes) {
                    e.stop();
                }
                for (Thread t : threads) {
                    t.join(5000);
                }
                server.destroy();
                server.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    /** utime + stime of a process and its threads, in clock ticks (USER_HZ, 100 on Linux). */
    private static long ticks(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return 0; // gone: its share counts as 0
        }
    }

    private static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static double min(List<Result> rs, ToDoubleFunction<Result> f) {
        return rs.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    private static double max(List<Result> rs, ToDoubleFunction<Result> f) {
        return rs.stream().mapToDouble(f).max().orElse(Double.NaN);
    }

    private static String loadavg() throws Exception {
        return String.join(" ", Arrays.copyOf(Files.readString(Path.of("/proc/loadavg")).strip().split(" "), 3));
    }

    /** With no warm-up the window opens once iperf3's data connections are established. */
    private static void waitConnected(int streams) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (BenchHost.exec("ss", "-Htn", "state", "established", "dst", "100.64.0.2").lines().count() < streams + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3 did not connect");
            }
            Thread.onSpinWait();
        }
    }
}
