package dev.platoon.bench.tunnel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The runner's command line. Bad input is one line naming the option (an IllegalArgumentException). */
record BenchOptions(int seconds, int runs, List<IperfTest> tests, List<String> contenders, Path page, Path chart,
        boolean writeDocs, Path wireguardGo, boolean coldStart, int coldRuns, List<String> args) {

    /**
     * The modern upstream wireguard-go, from the shared folder beside the checkout (the launcher runs
     * the bench in the repository's root). It is never downloaded or built here.
     */
    static final Path DEFAULT_WIREGUARD_GO = Path.of("..", "shared", "peers", "wireguard-go-0.0.20250522");

    static final String USAGE = """
            usage: ./platoon bench [--quick] [--seconds N] [--runs N] [--tests LIST] [--only LIST]
                                   [--docs PAGE.md | --no-docs] [--chart FILE.png]
                                   [--wireguard-go PATH] [--cold-runs N | --no-cold-start]
              --seconds N   iperf3 -t per test (default 5)
              --runs N      repetitions, alternating over the implementations (default 3)
              --tests LIST  of tcp1,tcp4,tcpR,udp,udp64 (default all)
              --only LIST   of raw,platoon,platoon-tap,wireguard-go,wireguard-go-debian,openvpn (default
                            all that are installed); platoon-tap is platoon with one side in tap mode, its
                            traffic from a VM namespace behind a bridge; wireguard-go is the --wireguard-go
                            binary, wireguard-go-debian
                            Debian's 2022 build at /usr/bin/wireguard-go; platoon-1rx (only when
                            named) is platoon reading one datagram per receive wake-up
              --wireguard-go PATH
                            the modern wireguard-go binary platoon is measured against
                            (default ../shared/peers/wireguard-go-0.0.20250522, skipped when absent)
              --cold-runs N fresh starts of each tunnel for the cold start, a 5 s TCP transfer right
                            after up (before warm-up); the table has the median of each second
                            (default 3, 1 with --quick)
              --no-cold-start
                            no cold start
              --quick       defaults of 1 run, 2 s, TCP 1 stream, docs untouched (a smoke test)
              --docs PAGE   the page whose "Tunnel benchmark" section is rewritten (default docs/benchmarks.md)
              --chart FILE  the PNG (default: benchmarks-tunnel.png beside the page)
              --no-docs     print the tables only

            The real-RTT experiment (a delay relay between the endpoints, docs/benchmarks.md "Real
            round-trip times"): ./platoon bench --rtt 10,40,120 [--txqueuelen 1000,500,100,10] [--runs N]
                [--seconds N] [--only LIST] [--chart FILE.png]
            Floods at the listen port: ./platoon bench flood [--rate N] [--seconds N] [--runs N]
                [--sources N] [--also wireguard-go] [--wakeups 16]""";

    static BenchOptions parse(String... argv) {
        Integer seconds = null;
        Integer runs = null;
        List<IperfTest> tests = null;
        List<String> contenders = Contenders.ALL;
        Path page = Path.of("docs", "benchmarks.md");
        Path chart = null;
        Boolean docs = null;
        boolean quick = false;
        Path wireguardGo = DEFAULT_WIREGUARD_GO;
        boolean coldStart = true;
        Integer coldRuns = null;
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            switch (a) {
                case "--quick" -> quick = true;
                case "--seconds" -> seconds = positive(a, value(argv, ++i, a));
                case "--runs" -> runs = positive(a, value(argv, ++i, a));
                case "--tests" -> tests = tests(value(argv, ++i, a));
                case "--only" -> contenders = contenders(value(argv, ++i, a));
                case "--docs" -> {
                    page = Path.of(value(argv, ++i, a));
                    docs = true;
                }
                case "--chart" -> chart = Path.of(value(argv, ++i, a));
                case "--no-docs" -> docs = false;
                case "--wireguard-go" -> wireguardGo = Path.of(value(argv, ++i, a));
                case "--no-cold-start" -> coldStart = false;
                case "--cold-runs" -> coldRuns = positive(a, value(argv, ++i, a));
                default -> throw new IllegalArgumentException("unknown option '" + a + "'");
            }
        }
        // --quick changes the defaults; options given explicitly still win.
        seconds = seconds != null ? seconds : quick ? 2 : 5;
        runs = runs != null ? runs : quick ? 1 : 3;
        tests = tests != null ? tests : quick ? List.of(IperfTest.TCP_1) : List.of(IperfTest.values());
        if (chart == null) {
            Path dir = page.toAbsolutePath().getParent();
            chart = dir.resolve("benchmarks-tunnel.png");
        }
        coldRuns = coldRuns != null ? coldRuns : quick ? 1 : 3;
        boolean writeDocs = docs != null ? docs : !quick;
        return new BenchOptions(seconds, runs, tests, contenders, page, chart, writeDocs, wireguardGo, coldStart,
                coldRuns, List.of(argv));
    }

    private static String value(String[] argv, int i, String option) {
        if (i >= argv.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return argv[i];
    }

    private static int positive(String option, String v) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // said below
        }
        throw new IllegalArgumentException(option + " needs a whole number ≥ 1, not '" + v + "'");
    }

    private static List<IperfTest> tests(String list) {
        List<IperfTest> out = new ArrayList<>();
        for (String name : list.split(",")) {
            IperfTest t = null;
            for (IperfTest c : IperfTest.values()) {
                if (c.shortName.equalsIgnoreCase(name.strip())) {
                    t = c;
                }
            }
            if (t == null) {
                throw new IllegalArgumentException("--tests: unknown test '" + name + "' (tcp1,tcp4,tcpR,udp,udp64)");
            }
            out.add(t);
        }
        return out;
    }

    private static List<String> contenders(String list) {
        List<String> out = new ArrayList<>();
        for (String name : list.split(",")) {
            String n = name.strip().toLowerCase(Locale.ROOT);
            String c = Contenders.KNOWN.stream().filter(x -> Contenders.shortName(x).equals(n))
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("--only: unknown implementation '"
                            + name + "' (" + String.join(",", Contenders.KNOWN.stream().map(Contenders::shortName)
                                    .toList()) + ")"));
            out.add(c);
        }
        // Keep the canonical order, so tables and charts always read the same way.
        return Contenders.KNOWN.stream().filter(out::contains).toList();
    }

    /** The command that reproduces this run, for the page. */
    String command() {
        return ("./platoon bench " + String.join(" ", args)).strip();
    }
}
