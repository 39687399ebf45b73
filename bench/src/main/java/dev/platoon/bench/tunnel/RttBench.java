package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.transport.KernelTunStats;

/**
 * TCP through a tunnel at a real round-trip time, the experiment of the tun tail-drop patch
 * ({@link SeedFigures}): the two endpoints' namespaces are joined through a third, where {@link DelayRelay}
 * holds every outer datagram for RTT/2 each way, and one iperf3 TCP stream runs for each tun
 * txqueuelen, recording the kernel's {@code tx_dropped} of the sending side's tun (packets the
 * kernel could not queue for the VPN to read).
 *
 * <pre>
 *   a: 192.0.2.1/24 ── veth ── 192.0.2.2/25  m  192.0.2.129/25 ── veth ── 192.0.2.130/25 :b
 *      endpoint of b = 192.0.2.2:51820 (the relay)        relay → 192.0.2.130:51820
 * </pre>
 *
 * <p>usage: {@code RttBench [--rtt 0,10,40,120] [--txqueuelen 1000,100,10] [--seconds S] [--runs N]
 * [--only platoon,wireguard-go,wireguard-go-debian,openvpn] [--chart FILE.png]}. Each run goes through
 * every RTT and implementation in turn (a fresh tunnel and relay each), so that the machine's noise is
 * spread over all of them; the table has the medians (min–max) over the runs, and the patch's own
 * figures beside them where the patch has the same cell. Needs root.
 */
public final class RttBench {
    private static final String RELAY_A = "192.0.2.2";
    private static final String RELAY_B = "192.0.2.129";
    private static final String B_ADDRESS = "192.0.2.130";
    /** OpenVPN's port; the WireGuard pairs listen on {@link TunnelBed#LISTEN_PORT}. */
    private static final int OPENVPN_PORT = 1194;

    private record Row(String impl, int rtt, double pingMs, int txqueuelen, double mbps, long tunTxDropped) {
    }

    /** Where a contender's tun devices are: namespace and interface of each side, and a's process. */
    private record Ends(String namespaceA, String tunA, String namespaceB, String tunB, int port) {
    }

    private RttBench() {
    }

    public static void main(String[] argv) throws Exception {
        int[] rtts = {0, 10, 40, 120};
        int[] queues = {1000, 100, 10};
        int seconds = 10;
        int runs = 1;
        Path chart = null;
        List<String> only = List.of(Contenders.PLATOON, Contenders.WG_GO, Contenders.WG_GO_DEBIAN);
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--rtt" -> rtts = ints(argv[++i]);
                case "--txqueuelen" -> queues = ints(argv[++i]);
                case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
                case "--runs" -> runs = Integer.parseInt(argv[++i]);
                case "--chart" -> chart = Path.of(argv[++i]);
                case "--only" -> only = BenchOptions.parse("--only", argv[++i]).contenders();
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        BenchOptions options = BenchOptions.parse();
        CpuInfo cpu = CpuInfo.read();
        System.out.println("CPU: " + cpu.model() + " (" + cpu.notableFlags() + "), "
                + Runtime.getRuntime().availableProcessors() + " CPUs");
        for (String name : only) {
            Contenders.missing(name, options).ifPresent(why -> {
                throw new IllegalStateException(name + ": " + why);
            });
        }
        List<Row> rows = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            for (int rtt : rtts) {
                for (String name : only) {
                    System.out.printf(Locale.ROOT, "run %d of %d:%n", run, runs);
                    rows.addAll(measure(name, options, rtt, queues, seconds));
                }
            }
        }
        List<String> labels = only.stream().map(n -> Contenders.label(n, options)).toList();
        System.out.printf(Locale.ROOT, "%n| RTT (ping through the tunnel) | txqueuelen | implementation | TCP 1 stream, "
                + "median (min–max) of %d | ÷ its txqueuelen %d | sender's tun tx_dropped (median) | the patch's figure |%n"
                + "| --- | --- | --- | --- | --- | --- | --- |%n", runs, queues[0]);
        for (int rtt : rtts) {
            for (String impl : labels) {
                double top = Summary.of(mbps(rows, impl, rtt, queues[0])).median();
                for (int q : queues) {
                    Summary m = Summary.of(mbps(rows, impl, rtt, q));
                    List<Row> cell = cell(rows, impl, rtt, q);
                    double ping = Summary.of(cell.stream().map(Row::pingMs).toList()).median();
                    double dropped = Summary.of(cell.stream().map(r -> (double) r.tunTxDropped()).toList()).median();
                    System.out.printf(Locale.ROOT, "| %d ms (%.1f) | %d | %s | %.0f Mb/s (%.0f–%.0f) | %.2f | %.0f | %s |%n",
                            rtt, ping, q, impl, m.median(), m.min(), m.max(), m.median() / top, dropped,
                            SeedFigures.of(impl, rtt, q));
                }
            }
        }
        if (chart != null) {
            RttChart.write(rows.stream().map(r -> new RttChart.Point(r.impl(), r.rtt(), r.txqueuelen(), r.mbps())).toList(),
                    labels, rtts, queues, cpu.model() + ", " + runs + " runs", chart);
            System.out.println("chart: " + chart);
        }
    }

    private static List<Row> cell(List<Row> rows, String impl, int rtt, int q) {
        return rows.stream().filter(r -> r.impl().equals(impl) && r.rtt() == rtt && r.txqueuelen() == q).toList();
    }

    private static List<Double> mbps(List<Row> rows, String impl, int rtt, int q) {
        return cell(rows, impl, rtt, q).stream().map(Row::mbps).toList();
    }

    private static List<Row> measure(String name, BenchOptions options, int rtt, int[] queues, int seconds)
            throws Exception {
        String label = Contenders.label(name, options);
        List<Row> out = new ArrayList<>();
        try (Contender c = Contenders.create(name, options)) {
            NamespacePair net = c.net();
            Ends ends = c instanceof Contenders.WireGuardPair w
                    ? new Ends(w.bed().a.namespace, w.bed().a.ifname, w.bed().b.namespace, w.bed().b.ifname,
                            TunnelBed.LISTEN_PORT)
                    : new Ends(net.a, "tun0", net.b, "tun0", OPENVPN_PORT);
            String m = net.a.substring(0, net.a.length() - 2) + "-m";
            try {
                insertRelay(net, m, rtt, ends.port());
                c.start(); // a sends to b's endpoint, 192.0.2.2: the relay
                c.iperf(3, IperfTest.TCP_1.args); // unrecorded: the endpoints compile, the window opens
                double ping = pingMs(net, c.serverAddress());
                ProcessHandle a = c.endpointA().orElseThrow();
                for (int q : queues) {
                    ip("-n", ends.namespaceA(), "link", "set", "dev", ends.tunA(), "txqueuelen", Integer.toString(q));
                    ip("-n", ends.namespaceB(), "link", "set", "dev", ends.tunB(), "txqueuelen", Integer.toString(q));
                    long before = txDropped(a, ends.tunA());
                    Shell.Result r = c.iperf(seconds, IperfTest.TCP_1.args);
                    double mbps;
                    try {
                        mbps = IperfTest.TCP_1.figureAndLoss(Json.parse(r.stdout()))[0] * 1000;
                    } catch (RuntimeException e) {
                        System.out.println("  iperf3 failed: " + e.getMessage() + "; " + c.diagnose());
                        mbps = 0;
                    }
                    Row row = new Row(label, rtt, ping, q, mbps, txDropped(a, ends.tunA()) - before);
                    System.out.printf(Locale.ROOT, "%s RTT %d ms txqueuelen %d: %.0f Mb/s, tun tx_dropped %d%n",
                            label, rtt, q, row.mbps(), row.tunTxDropped());
                    out.add(row);
                }
            } finally {
                c.close(); // stops the endpoints and the relay (started in the pair's name)
                Shell.run(Duration.ofSeconds(10), List.of("ip", "netns", "delete", m));
            }
        }
        return out;
    }

    /** Moves b's end of the veth into a new namespace m, joins m to b with a second veth, starts the relay in m. */
    private static void insertRelay(NamespacePair net, String m, int rtt, int port) throws IOException {
        String b = net.b;
        ip("netns", "add", m);
        ip("-n", m, "link", "set", "lo", "up");
        ip("-n", b, "link", "set", "veth0", "netns", m);
        ip("-n", m, "address", "add", RELAY_A + "/25", "dev", "veth0");
        ip("-n", m, "link", "set", "veth0", "up");
        ip("-n", m, "link", "add", "veth1", "type", "veth", "peer", "name", "veth0", "netns", b);
        ip("-n", m, "address", "add", RELAY_B + "/25", "dev", "veth1");
        ip("-n", m, "link", "set", "veth1", "up");
        ip("-n", b, "address", "add", B_ADDRESS + "/25", "dev", "veth0");
        ip("-n", b, "link", "set", "veth0", "up");
        Path jar = Path.of(RttBench.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> relay = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar.toString(), DelayRelay.class.getName(), RELAY_A + ":" + port, RELAY_B,
                B_ADDRESS + ":" + port, Integer.toString(rtt / 2), "3600");
        Path log = java.nio.file.Files.createTempFile("relay", ".log");
        net.start(m, relay, log);
        dev.platoon.core.demo.Waits.until(Duration.ofSeconds(10), "the relay listening in " + m, () ->
                java.nio.file.Files.readString(log).contains("relay: listening"));
    }

    /** The mean of five pings from a to b's tunnel address, in ms (NaN when none answered). */
    private static double pingMs(NamespacePair net, String to) {
        Shell.Result r = net.exec(net.a, Duration.ofSeconds(20), "ping", "-q", "-c", "5", "-i", "0.2", to);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("= [0-9.]+/([0-9.]+)/").matcher(r.stdout());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static long txDropped(ProcessHandle p, String ifname) throws IOException {
        return KernelTunStats.txDropped(Path.of("/proc", Long.toString(p.pid()), "net"), ifname);
    }

    private static void ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(Arrays.asList(args));
        Shell.run(Duration.ofSeconds(10), cmd).orThrow();
    }

    private static int[] ints(String list) {
        return Arrays.stream(list.split(",")).mapToInt(Integer::parseInt).toArray();
    }
}
