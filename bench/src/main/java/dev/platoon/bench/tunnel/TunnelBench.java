package dev.platoon.bench.tunnel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;

/**
 * The tunnel benchmark: raw veth, platoon, the modern upstream wireguard-go, Debian's 2022 wireguard-go
 * and (when installed) OpenVPN side by side,
 * measured with iperf3 in alternation; prints the tables and rewrites its section of
 * docs/benchmarks.md and the chart beside it. Needs root (namespaces). Run it with
 * {@code ./platoon bench} (see {@link BenchOptions#USAGE}).
 */
public final class TunnelBench {
    /**
     * Untimed transfers before the first measurement: TCP, then UDP (single packets take another code
     * path). A JIT-compiled endpoint keeps compiling for several seconds on 2 busy CPUs (a per-second
     * trace showed the first 1–2 s of a transfer after a 3 s warm-up at half the rate); Go and C
     * endpoints lose nothing by it.
     */
    private static final int WARMUP_TCP_SECONDS = 8;
    private static final int WARMUP_UDP_SECONDS = 3;
    /** The jar {@code ./platoon} runs, relative to the repository's root; -Dplatoon.jar names another. */
    private static final String PLATOON_JAR = "vpn-core/target/platoon.jar";

    private final BenchOptions options;
    private final List<String> notes = new ArrayList<>();
    /** Which binary each wireguard-go contender ran, and platoon's cipher line: facts for the page. */
    private final List<String> binaries = new ArrayList<>();
    /** Each contender's cold starts, one list of per-second Gb/s per fresh start. */
    private final Map<String, List<List<Double>>> coldStarts = new LinkedHashMap<>();
    private String cipherLine = "not seen in platoon's log";

    private TunnelBench(BenchOptions options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        // The two other experiments of the page: `./platoon bench --rtt ...` and `./platoon bench flood ...`.
        if (List.of(args).contains("--rtt")) {
            RttBench.main(args);
            return;
        }
        if (args.length > 0 && args[0].equals("flood")) {
            FloodBench.main(java.util.Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(new TunnelBench(options).run());
        } catch (Exception e) {
            System.err.println("bench: " + e.getMessage());
            System.exit(1);
        }
    }

    private int run() throws Exception {
        if (!"0".equals(Shell.run(java.time.Duration.ofSeconds(5), "id", "-u").stdout().strip())) {
            throw new IllegalStateException("needs root (it creates network namespaces); run it with sudo");
        }
        String loadBefore = BenchPage.loadAverage();
        String machine = BenchPage.machine();
        CpuInfo cpu = CpuInfo.read();
        say("tunnel benchmark: " + options.runs() + " run(s) × " + options.tests().size() + " test(s) × "
                + options.seconds() + " s; " + machine + "; load average " + loadBefore);
        say("CPU flags: " + cpu.notableFlags());
        if (options.contenders().contains(Contenders.PLATOON)) {
            binaries.add(Contenders.PLATOON + ": " + platoonJar());
            say(binaries.getLast());
        }
        List<Contender> running = new ArrayList<>();
        try {
            for (String name : options.contenders()) {
                start(name).ifPresent(running::add);
            }
            if (running.isEmpty()) {
                throw new IllegalStateException("nothing to measure: " + String.join("; ", notes));
            }
            Results results = measure(running);
            // The engine platoon ended on: its trial may have replaced the one named at up.
            running.forEach(c -> c.cipherLine().ifPresent(line -> cipherLine = line));
            coldStarts.forEach((name, starts) -> starts.forEach(gbps -> results.addColdStart(name, gbps)));
            String loadAfter = BenchPage.loadAverage();
            System.out.println();
            System.out.print(Results.text(results.headline()));
            System.out.println();
            System.out.print(Results.text(results.full()));
            if (!results.coldStarts().isEmpty()) {
                System.out.println();
                System.out.println("Cold start: Gb/s in each second of one TCP stream begun at the first ping, "
                        + "no warm-up; median (min–max) of " + options.coldRuns() + " fresh start(s)");
                System.out.print(Results.text(ColdStart.rows(results), 1));
            }
            System.out.println();
            System.out.println("CPU: " + cpu.model() + "; " + cpu.notableFlags());
            System.out.println("platoon's cipher: " + cipherLine);
            binaries.forEach(b -> System.out.println("binary: " + b));
            notes.forEach(n -> System.out.println("note: " + n));
            System.out.println("load average " + loadBefore + " at the start, " + loadAfter + " at the end");
            if (options.writeDocs()) {
                writeDocs(results, new BenchPage.Run(options.command(), machine, cpu, cipherLine, binaries,
                        loadBefore, loadAfter));
            }
            return 0;
        } finally {
            for (Contender c : running) {
                c.close();
            }
        }
    }

    private Optional<Contender> start(String name) {
        Optional<String> missing = Contenders.missing(name, options);
        if (missing.isPresent()) {
            notes.add(name + " skipped: " + missing.get() + ".");
            say("  " + name + ": skipped, " + missing.get());
            return Optional.empty();
        }
        progress("  " + name + ": starting ...");
        Contender c = null;
        try {
            c = Contenders.create(name, options);
            c.start();
            if (options.coldStart() && c.hasEndpoints()) {
                coldStart(c, 1);
                // Each further cold start on a fresh tunnel (new processes, new namespaces); the last stays.
                for (int run = 2; run <= options.coldRuns(); run++) {
                    c.close();
                    c = null;
                    c = Contenders.create(name, options);
                    c.start();
                    coldStart(c, run);
                }
            }
            c.cipherLine().ifPresent(line -> cipherLine = line);
            describeBinary(name, c.name);
            // Untimed transfers first, so a JIT-compiled endpoint is measured warm, not compiling.
            progress("  " + c.name + ": up, warming up for " + (WARMUP_TCP_SECONDS + WARMUP_UDP_SECONDS) + " s ...");
            c.iperf(WARMUP_TCP_SECONDS, List.of());
            c.iperf(WARMUP_UDP_SECONDS, List.of("-u", "-b", "0", "-l", "1392"));
            say("  " + c.name + ": up");
            return Optional.of(c);
        } catch (Exception e) {
            notes.add(name + " skipped: it did not come up (" + e.getMessage() + ").");
            say("  " + name + ": did not come up: " + e.getMessage());
            if (c != null) {
                c.close();
            }
            return Optional.empty();
        }
    }

    /**
     * One TCP stream begun the moment the new tunnel pings, reported each second: the first seconds a
     * user gets after up. A failure is a note; the contender is still measured warm.
     */
    private void coldStart(Contender c, int run) {
        String which = "cold start " + run + "/" + options.coldRuns();
        progress("  " + c.name + ": up, " + which + " for " + ColdStart.SECONDS + " s ...");
        Shell.Result r = c.iperf(ColdStart.SECONDS, ColdStart.ARGS);
        try {
            List<Double> gbps = ColdStart.perSecondGbps(Json.parse(r.stdout()));
            coldStarts.computeIfAbsent(c.name, n -> new ArrayList<>()).add(gbps);
            say("  " + c.name + ": " + which + " " + String.join(", ", gbps.stream().map(Summary::fmt).toList())
                    + " Gb/s");
        } catch (RuntimeException e) {
            notes.add(c.name + ", " + which + " failed: " + e.getMessage());
            say("  " + c.name + ": " + which + " failed: " + e.getMessage());
        }
    }

    /**
     * Points platoon's starts at its own jar, the one {@code ./platoon up} runs (the launcher starts the
     * bench in the repository's root), so they get its start-up cache as a user's {@code up} does; says
     * which jar and which cache. Without the jar platoon runs from the bench's classes, with no cache.
     */
    private static String platoonJar() {
        Path jar = Path.of(System.getProperty(JavaCommand.JAR_PROPERTY, PLATOON_JAR)).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            System.clearProperty(JavaCommand.JAR_PROPERTY);
            return "the bench's own classes, no start-up cache (no " + jar + ")";
        }
        System.setProperty(JavaCommand.JAR_PROPERTY, jar.toString());
        // What the command says, so that -XX:AOTMode or -XX:AOTCache in PLATOON_JAVA_OPTS is reported too.
        List<String> aot = JavaCommand.platoon(List.of()).stream().filter(a -> a.startsWith("-XX:AOT")).toList();
        return jar + (!aot.isEmpty() ? " with " + String.join(" ", aot)
                : " without a start-up cache (none fits: './platoon build' as root trains one)");
    }

    /** Records which wireguard-go binary ran under which label, with the version it reports. */
    private void describeBinary(String name, String label) {
        Path binary = name.equals(Contenders.WG_GO) ? options.wireguardGo()
                : name.equals(Contenders.WG_GO_DEBIAN) ? WireguardGo.DEBIAN : null;
        if (binary != null) {
            binaries.add(label + ": " + binary.toAbsolutePath().normalize() + " (v"
                    + WireguardGo.version(binary).orElse("unknown") + ")");
        }
    }

    /** Every repetition runs every test on every contender, starting each time with the next contender. */
    private Results measure(List<Contender> contenders) {
        Results results = new Results(options.tests(), contenders.stream().map(c -> c.name).toList());
        int total = options.runs() * options.tests().size() * contenders.size();
        int done = 0;
        // Labels as wide as the longest, so the figures line up ("wireguard-go 2022 (Debian)" is 26).
        int width = contenders.stream().mapToInt(c -> c.name.length()).max().orElse(13);
        for (int rep = 0; rep < options.runs(); rep++) {
            for (IperfTest test : options.tests()) {
                for (int k = 0; k < contenders.size(); k++) {
                    Contender c = contenders.get((k + rep) % contenders.size());
                    done++;
                    String where = String.format(Locale.ROOT, "[%d/%d] run %d/%d  %-" + width + "s %-28s", done,
                            total, rep + 1, options.runs(), c.name, test.title);
                    progress(where + " ...");
                    try {
                        Sample s = measureOnce(c, test);
                        results.add(test, c.name, s);
                        say(where + " " + Summary.fmt(s.value()) + " " + test.unit.label
                                + (test.udp() ? ", loss " + Summary.percent(s.loss()) : "")
                                + (c.hasEndpoints() ? ", CPU a " + Summary.percent(s.cpuA()) + " b "
                                        + Summary.percent(s.cpuB()) : "")
                                + ", machine " + Summary.fmt(s.cpuPerGb()) + " CPU-s/GB, steal "
                                + Summary.percent(s.steal()));
                    } catch (RuntimeException e) {
                        notes.add(c.name + ", " + test.title + ", run " + (rep + 1) + " failed: " + e.getMessage());
                        say(where + " failed: " + e.getMessage());
                    }
                }
            }
        }
        return results;
    }

    private Sample measureOnce(Contender c, IperfTest test) {
        if (!c.alive()) {
            throw new IllegalStateException("the endpoints are no longer running; " + c.diagnose());
        }
        double a0 = cpu(c.endpointA());
        double b0 = cpu(c.endpointB());
        MachineClock.Reading m0 = MachineClock.read();
        long t0 = System.nanoTime();
        Shell.Result r = c.iperf(options.seconds(), test.args);
        double wall = (System.nanoTime() - t0) / 1e9;
        MachineClock.Reading m1 = MachineClock.read();
        double a1 = cpu(c.endpointA());
        double b1 = cpu(c.endpointB());
        Object json;
        try {
            json = Json.parse(r.stdout());
        } catch (RuntimeException e) {
            throw new IllegalStateException("iperf3 exit " + r.exitCode() + ": "
                    + (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip().lines().findFirst().orElse(""));
        }
        double[] figure = test.figureAndLoss(json);
        double gigabytes = Json.number(json, "end.sum_received.bytes") / 1e9;
        return new Sample(figure[0], figure[1], (a1 - a0) / wall * 100, (b1 - b0) / wall * 100,
                gigabytes > 0 ? m1.busySecondsSince(m0) / gigabytes : Double.NaN, m1.stealPercentSince(m0));
    }

    private static double cpu(Optional<ProcessHandle> p) {
        return p.map(CpuClock::seconds).orElse(Double.NaN);
    }

    private void writeDocs(Results results, BenchPage.Run run) throws Exception {
        Path page = options.page();
        Path chart = options.chart();
        Files.createDirectories(chart.toAbsolutePath().getParent());
        TunnelChart.write(results, options.runs() + " × " + options.seconds() + " s, medians", chart);
        Path pageDir = page.toAbsolutePath().getParent();
        String link = pageDir.relativize(chart.toAbsolutePath()).toString();
        BenchPage.update(page, BenchPage.section(results, run, link, notes));
        say("wrote " + page + " and " + chart);
    }

    private static void say(String line) {
        System.err.print("\r\033[K");
        System.err.println(line);
    }

    private static void progress(String line) {
        System.err.print("\r\033[K" + line);
        System.err.flush();
    }
}
