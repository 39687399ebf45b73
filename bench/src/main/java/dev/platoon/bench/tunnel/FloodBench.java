package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.transport.KernelUdpStats;
import dev.platoon.core.transport.UdpOptions;

/**
 * What a flood at the listen port costs the side it hits (b, the receiver of a TCP stream from a):
 * for each contender and each flood kind ({@link Flooder}: junk, valid-MAC1 initiations), first the
 * flood alone — the receiver's CPU per flooded datagram and the datagrams its kernel dropped because
 * the socket's receive buffer was full — then one iperf3 TCP stream under the same flood as a share of
 * the same stream without it. Each contender and run gets a fresh tunnel, a short unrecorded round
 * first (compilation), then both floods; medians of N runs, alternating contenders. CPU is the receiving process's, JIT and GC threads included. Needs root;
 * prints a markdown table for docs/benchmarks.md.
 *
 * <p>usage: {@code FloodBench [--wakeups 1,16,64] [--also wireguard-go,...] [--rate N] [--seconds S] [--runs N]
 * [--sources N] [--only-initiations] [--loops-read-handshakes-too]}: one platoon per receive limit ({@code -Dplatoon.udp.messagesPerWakeup}), and other
 * contenders by their {@code ./platoon bench --only} names. With {@code --sources N} (N ≥ 2) a third
 * flood, {@code initiation×N}, sends the initiations from N addresses in turn (192.0.2.10 and up, each
 * added to namespace a), as from many hosts or spoofed addresses. The summary gives, per contender,
 * TCP under each initiation flood as a share of TCP under the junk flood of the same rate.
 * {@code -Dplatoon.flood.jvmOptions=...} adds JVM options to the platoons (e.g. a profiler agent);
 * {@code --loops-read-handshakes-too} adds a platoon without its handshake socket.
 */
public final class FloodBench {
    private record Row(double sentPerSecond, double cpuMicrosPerDatagram, double kernelDropShare, double tcpShare) {
    }

    /**
     * The flood's source: a second address in namespace a, so the legitimate peer's own handshakes are
     * not rate-limited as the attacker's (the limiter works per source address).
     */
    private static final String ATTACKER = "192.0.2.3";
    /** The first of the addresses of a flood from many sources. */
    private static final int FIRST_SOURCE = 10;

    private FloodBench() {
    }

    public static void main(String[] argv) throws Exception {
        List<Integer> wakeups = List.of(1, 16, 64);
        List<String> others = List.of();
        int rate = 50_000;
        int seconds = 5;
        int runs = 3;
        int sources = 1;
        boolean onlyInitiations = false;
        boolean loopsToo = false;
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--wakeups" -> wakeups = java.util.Arrays.stream(argv[++i].split(",")).map(Integer::valueOf).toList();
                case "--also" -> others = BenchOptions.parse("--only", argv[++i]).contenders();
                case "--rate" -> rate = Integer.parseInt(argv[++i]);
                case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
                case "--runs" -> runs = Integer.parseInt(argv[++i]);
                case "--sources" -> sources = Math.min(200, Integer.parseInt(argv[++i]));
                case "--only-initiations" -> onlyInitiations = true;
                case "--loops-read-handshakes-too" -> loopsToo = true;
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        BenchOptions options = BenchOptions.parse();
        CpuInfo cpu = CpuInfo.read();
        System.out.println("CPU: " + cpu.model() + " (" + cpu.notableFlags() + "), "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        // What to start, by label: platoon at each receive limit, then the other contenders.
        Map<String, java.util.concurrent.Callable<Contender>> makers = new LinkedHashMap<>();
        for (int n : wakeups) {
            String name = "platoon, " + n + " per wake-up" + (n == UdpOptions.RECEIVE_MESSAGES_PER_WAKEUP
                    ? " (default)" : "");
            makers.put(name, () -> new Contenders.WireGuardPair(name, null, TunnelBed.create("pt-flood"),
                    Map.of("JDK_JAVA_OPTIONS", ("-Dplatoon.udp.messagesPerWakeup=" + n + " "
                            + System.getProperty("platoon.flood.jvmOptions", "")).strip())));
        }
        if (loopsToo) {
            // The same build with no handshake socket: its queue loops read and admit handshake messages.
            String name = "platoon, no handshake socket";
            makers.put(name, () -> new Contenders.WireGuardPair(name, null, TunnelBed.create("pt-flood"),
                    Map.of("JDK_JAVA_OPTIONS", ("-Dplatoon.udp.handshakeSocket=false "
                            + System.getProperty("platoon.flood.jvmOptions", "")).strip())));
        }
        for (String name : others) {
            makers.put(Contenders.label(name, options), () -> Contenders.create(name, options));
        }
        List<String> kinds = new ArrayList<>(List.of("junk", "initiation"));
        if (sources > 1) {
            kinds.add("initiation×" + sources);
        }
        if (onlyInitiations) {
            kinds.remove("junk");
        }
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (int run = 0; run < runs; run++) {
            for (Map.Entry<String, java.util.concurrent.Callable<Contender>> m : makers.entrySet()) {
                // A fresh tunnel per contender and run: every measurement falls in its first session
                // (a flood of initiations can starve the legitimate rekey, which is not what this measures).
                try (Contender c = m.getValue().call()) {
                    c.start();
                    addAttacker(c, sources);
                    TunnelBed bed = ((Contenders.WireGuardPair) c).bed();
                    awaitCipherTrial(bed.b);
                    // Unrecorded: a short flood of each kind and a stream, so the JIT's work is not counted.
                    for (String kind : kinds) {
                        flood(bed, kind, rate, 2);
                    }
                    tcpGbps(c, 2);
                    for (String kind : kinds) {
                        Row r = measure((Contenders.WireGuardPair) c, kind, rate, seconds);
                        System.out.printf(Locale.ROOT, "run %d %s %s: %.2f µs CPU/datagram, kernel dropped %.1f %%,"
                                        + " TCP under flood %.2f of idle, %.0f sent/s%n", run + 1, m.getKey(), kind,
                                r.cpuMicrosPerDatagram(), 100 * r.kernelDropShare(), r.tcpShare(), r.sentPerSecond());
                        rows.computeIfAbsent(m.getKey() + "|" + kind, k -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n| contender | flood (%d/s, %d s) | receiver CPU µs per flooded datagram |"
                + " kernel receive-buffer drops | TCP 1 stream under flood ÷ idle | flood sent/s |%n"
                + "| --- | --- | --- | --- | --- | --- |%n",
                rate, seconds);
        rows.forEach((key, list) -> {
            String[] k = key.split("\\|");
            System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f %% | %.2f | %.0f k |%n", k[0], k[1],
                    median(list, Row::cpuMicrosPerDatagram),
                    100 * median(list, Row::kernelDropShare),
                    median(list, Row::tcpShare),
                    median(list, Row::sentPerSecond) / 1e3);
        });
        System.out.printf(Locale.ROOT, "%n| contender | flood | TCP under it ÷ TCP under junk (medians) |%n| --- | --- | --- |%n");
        for (String contender : makers.keySet()) {
            if (onlyInitiations) {
                break;
            }
            double junk = median(rows.getOrDefault(contender + "|junk", List.of()), Row::tcpShare);
            for (String kind : kinds.subList(1, kinds.size())) {
                double share = median(rows.getOrDefault(contender + "|" + kind, List.of()), Row::tcpShare);
                System.out.printf(Locale.ROOT, "| %s | %s | %.2f |%n", contender, kind, share / junk);
            }
        }
    }

    /**
     * For a platoon side, waits (at most 60 s) until its cipher engine trial has chosen: the trial runs
     * in the first seconds after {@code up}, at low priority, and its CPU is not the flood's cost.
     */
    private static void awaitCipherTrial(TunnelBed.Side side) throws IOException {
        if (side.kind != TunnelBed.Kind.PLATOON) {
            return;
        }
        dev.platoon.core.demo.Waits.until(java.time.Duration.ofSeconds(60), "platoon's cipher trial in " + side.log,
                () -> Files.readString(side.log).contains("the fastest verified"));
    }

    private static void addAttacker(Contender c, int sources) {
        c.net().exec(c.net().a, java.time.Duration.ofSeconds(5), "ip", "address", "add", ATTACKER + "/24", "dev",
                "veth0").orThrow();
        for (int i = 0; i < sources && sources > 1; i++) {
            c.net().exec(c.net().a, java.time.Duration.ofSeconds(5), "ip", "address", "add",
                    "192.0.2." + (FIRST_SOURCE + i) + "/24", "dev", "veth0").orThrow();
        }
    }

    /** The flooder's kind and source addresses for a flood named as in the table. */
    private static String[] kindAndSources(String flood) {
        int x = flood.indexOf('×');
        if (x < 0) {
            return new String[] {flood, ATTACKER};
        }
        int n = Integer.parseInt(flood.substring(x + 1));
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < n; i++) {
            list.append(i == 0 ? "" : ",").append("192.0.2.").append(FIRST_SOURCE + i);
        }
        return new String[] {flood.substring(0, x), list.toString()};
    }

    private static Row measure(Contenders.WireGuardPair c, String kind, int rate, int seconds) throws Exception {
        TunnelBed bed = c.bed();
        ProcessHandle target = c.endpointB().orElseThrow();
        // The flood alone: CPU and kernel drops of the receiver.
        long dropsBefore = rcvbufErrors(target);
        double cpuBefore = CpuClock.seconds(target);
        long sent = flood(bed, kind, rate, seconds);
        double cpu = CpuClock.seconds(target) - cpuBefore;
        long drops = rcvbufErrors(target) - dropsBefore;
        // TCP without, then with the flood.
        double idle = tcpGbps(c, seconds);
        Flood flooder = startFlood(bed, kind, rate, seconds + 2);
        Thread.sleep(1000); // the flood is under way before the stream starts
        double flooded = tcpGbps(c, seconds);
        flooder.await(seconds + 2);
        return new Row((double) sent / seconds, sent == 0 ? Double.NaN : cpu * 1e6 / sent, sent == 0 ? Double.NaN : (double) drops / sent,
                idle > 0 ? flooded / idle : Double.NaN);
    }

    private static double tcpGbps(Contender c, int seconds) {
        var r = c.iperf(seconds, IperfTest.TCP_1.args);
        try {
            return IperfTest.TCP_1.figureAndLoss(Json.parse(r.stdout()))[0];
        } catch (RuntimeException e) {
            System.out.println("  iperf3 failed: " + e.getMessage() + "; " + c.diagnose());
            return 0;
        }
    }

    private static long flood(TunnelBed bed, String kind, int rate, int seconds) throws Exception {
        return startFlood(bed, kind, rate, seconds).await(seconds);
    }

    /** A running flooder and the file its output goes to. */
    private record Flood(Process process, Path log) {
        /** Waits for the flooder to end by itself; returns how many datagrams it sent. */
        long await(int seconds) throws Exception {
            try {
                if (!process.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("the flooder did not stop");
                }
                String out = Files.readString(log);
                for (String line : out.split("\n")) {
                    if (line.startsWith("sent ")) {
                        return Long.parseLong(line.substring(5).strip());
                    }
                }
                throw new IllegalStateException("the flooder said: " + out.strip());
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }

    /** The flooder in namespace a, aimed at b's listen port with b's public key. */
    private static Flood startFlood(TunnelBed bed, String kind, int rate, int seconds) throws IOException {
        Path jar = Path.of(FloodBench.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Path log = Files.createTempFile("flooder", ".log");
        String[] ks = kindAndSources(kind);
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), Flooder.class.getName(), bed.b.outerAddress,
                String.valueOf(TunnelBed.LISTEN_PORT), ks[0], String.valueOf(rate), String.valueOf(seconds),
                Base64.getEncoder().encodeToString(bed.b.publicKey), ks[1]);
        return new Flood(bed.net.start(bed.net.a, cmd, log), log);
    }

    /** The kernel's UDP RcvbufErrors in the namespace of a process. */
    private static long rcvbufErrors(ProcessHandle p) throws IOException {
        return KernelUdpStats.read(Path.of("/proc", Long.toString(p.pid()), "net")).rcvbufErrors();
    }

    /** The median of one figure over the runs (NaN figures, a failed run's, left out, as {@link Summary} does). */
    private static double median(List<Row> rows, java.util.function.ToDoubleFunction<Row> figure) {
        return Summary.of(rows.stream().map(r -> figure.applyAsDouble(r)).toList()).median();
    }
}
