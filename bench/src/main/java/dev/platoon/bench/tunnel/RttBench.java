package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.transport.KernelTunStats;

/**
 * TCP through a tunnel at a real round-trip time, the seed's tail-drop experiment: the two endpoints'
 * namespaces are joined through a third, where {@link DelayRelay} holds every outer datagram for RTT/2
 * each way, and one iperf3 TCP stream runs for each tun txqueuelen, recording the kernel's
 * {@code tx_dropped} of the sending side's tun (packets the kernel could not queue for the VPN to read).
 *
 * <pre>
 *   a: 192.0.2.1/24 ── veth ── 192.0.2.2/25  m  192.0.2.129/25 ── veth ── 192.0.2.130/25 :b
 *      endpoint of b = 192.0.2.2:51820 (the relay)        relay → 192.0.2.130:51820
 * </pre>
 *
 * <p>usage: {@code RttBench [--rtt 0,10,40,120] [--txqueuelen 1000,100,10] [--seconds S]
 * [--only platoon,wireguard-go,wireguard-go-debian]}. Needs root; prints a markdown table.
 */
public final class RttBench {
    private static final String RELAY_A = "192.0.2.2";
    private static final String RELAY_B = "192.0.2.129";
    private static final String B_ADDRESS = "192.0.2.130";

    private record Row(String impl, int rtt, double pingMs, int txqueuelen, double mbps, long tunTxDropped) {
    }

    private RttBench() {
    }

    public static void main(String[] argv) throws Exception {
        int[] rtts = {0, 10, 40, 120};
        int[] queues = {1000, 100, 10};
        int seconds = 10;
        List<String> only = List.of(Contenders.PLATOON, Contenders.WG_GO, Contenders.WG_GO_DEBIAN);
        for (int i = 0; i < argv.length; i++) {
            switch (argv[i]) {
                case "--rtt" -> rtts = ints(argv[++i]);
                case "--txqueuelen" -> queues = ints(argv[++i]);
                case "--seconds" -> seconds = Integer.parseInt(argv[++i]);
                case "--only" -> only = BenchOptions.parse("--only", argv[++i]).contenders();
                default -> throw new IllegalArgumentException("unknown option " + argv[i]);
            }
        }
        BenchOptions options = BenchOptions.parse();
        CpuInfo cpu = CpuInfo.read();
        System.out.println("CPU: " + cpu.model() + " (" + cpu.notableFlags() + ")");
        List<Row> rows = new ArrayList<>();
        for (int rtt : rtts) {
            for (String name : only) {
                Contenders.missing(name, options).ifPresent(why -> {
                    throw new IllegalStateException(name + ": " + why);
                });
                rows.addAll(measure(name, options, rtt, queues, seconds));
            }
        }
        System.out.printf(Locale.ROOT, "%n| RTT (ping through the tunnel) | txqueuelen | implementation | TCP 1 stream |"
                + " sender's tun tx_dropped |%n| --- | --- | --- | --- | --- |%n");
        for (Row r : rows) {
            System.out.printf(Locale.ROOT, "| %d ms (%.1f) | %d | %s | %.0f Mb/s | %d |%n", r.rtt(), r.pingMs(),
                    r.txqueuelen(), r.impl(), r.mbps(), r.tunTxDropped());
        }
    }

    private static List<Row> measure(String name, BenchOptions options, int rtt, int[] queues, int seconds)
            throws Exception {
        String label = Contenders.label(name, options);
        List<Row> out = new ArrayList<>();
        try (Contenders.WireGuardPair c = (Contenders.WireGuardPair) Contenders.create(name, options)) {
            TunnelBed bed = c.bed();
            String m = bed.net.a.substring(0, bed.net.a.length() - 2) + "-m";
            try {
                insertRelay(bed, m, rtt);
                c.start(); // a initiates to b's endpoint, 192.0.2.2: the relay
                c.iperf(3, IperfTest.TCP_1.args); // unrecorded: the endpoints compile, the window opens
                double ping = pingMs(bed);
                for (int q : queues) {
                    for (TunnelBed.Side side : List.of(bed.a, bed.b)) {
                        bed.net.exec(side.namespace, Duration.ofSeconds(5), "ip", "link", "set", "dev", side.ifname,
                                "txqueuelen", Integer.toString(q)).orThrow();
                    }
                    long before = txDropped(bed.a);
                    Shell.Result r = c.iperf(seconds, IperfTest.TCP_1.args);
                    double mbps;
                    try {
                        mbps = IperfTest.TCP_1.figureAndLoss(Json.parse(r.stdout()))[0] * 1000;
                    } catch (RuntimeException e) {
                        System.out.println("  iperf3 failed: " + e.getMessage() + "; " + c.diagnose());
                        mbps = 0;
                    }
                    Row row = new Row(label, rtt, ping, q, mbps, txDropped(bed.a) - before);
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
    private static void insertRelay(TunnelBed bed, String m, int rtt) throws IOException {
        String b = bed.net.b;
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
                "-cp", jar.toString(), DelayRelay.class.getName(), RELAY_A + ":" + TunnelBed.LISTEN_PORT, RELAY_B,
                B_ADDRESS + ":" + TunnelBed.LISTEN_PORT, Integer.toString(rtt / 2), "3600");
        Path log = java.nio.file.Files.createTempFile("relay", ".log");
        bed.net.start(m, relay, log);
        dev.platoon.core.demo.Waits.until(Duration.ofSeconds(10), "the relay listening in " + m, () ->
                java.nio.file.Files.readString(log).contains("relay: listening"));
    }

    /** The mean of five pings from a to b's tunnel address, in ms (NaN when none answered). */
    private static double pingMs(TunnelBed bed) {
        Shell.Result r = bed.net.exec(bed.a.namespace, Duration.ofSeconds(20), "ping", "-q", "-c", "5", "-i", "0.2",
                bed.b.tunnel4);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("= [0-9.]+/([0-9.]+)/").matcher(r.stdout());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static long txDropped(TunnelBed.Side side) throws IOException {
        return KernelTunStats.txDropped(Path.of("/proc", Long.toString(side.process.pid()), "net"), side.ifname);
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
