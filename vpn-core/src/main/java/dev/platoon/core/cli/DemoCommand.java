package dev.platoon.core.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
/** {@code platoon demo}: two namespaces, two platoons, pings and a transfer, then everything removed. */
final class DemoCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("demo",
                    "Run a WireGuard tunnel between two network namespaces, end to end, and remove everything after.")
            .details("Two platoons, a handshake, pings (IPv4 and IPv6), a bounded TCP transfer, and the train counters.")
            .option(OptionSpec.number("--seconds", "N", 1, 30, "Length of the TCP transfer, 1-30 s (default: 5)."))
            .option(OptionSpec.flag("--tap", "Tap (L2) mode: side a's platoon runs a tap on a bridge, and a \"VM\""
                    + " namespace behind that bridge, which knows nothing of WireGuard, sends and receives the traffic."));

    private int seconds;
    private boolean tap;
    private boolean havePing;
    private boolean haveIperf;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception {
        this.seconds = args.integer("--seconds", 5);
        this.tap = args.flag("--tap");
        this.out = out;
        this.err = err;
        if (!Shell.run(Duration.ofSeconds(5), "id", "-u").stdout().strip().equals("0")) {
            err.println("platoon demo: needs root (it creates network namespaces and tun devices)");
            return 1;
        }
        if (!Shell.onPath("ip")) {
            err.println("platoon demo: needs the 'ip' tool, which is not installed: apt-get install iproute2"
                    + " (Debian, Ubuntu) or dnf install iproute (Fedora); ./platoon demo installs it by itself");
            return 1;
        }
        havePing = Shell.onPath("ping");
        haveIperf = Shell.onPath("iperf3");
        if (tap) {
            say("platoon demo --tap: a \"VM\" namespace on a bridge with a tap-mode platoon; its peer in tun mode.");
            say("    VM eth0 100.64.0.1 fd00:64::1");
            say("      | veth                                 namespace a | namespace b");
            say("    vmport -- br0 -- tap (platoon --tap) -- 192.0.2.1 <-UDP-> 192.0.2.2 -- tun (platoon)"
                    + " 100.64.0.2 fd00:64::2");
        } else {
            say("platoon demo: two namespaces joined by a veth pair (192.0.2.1 <-> 192.0.2.2),");
            say("  one platoon in each, tunnel 100.64.0.1 <-> 100.64.0.2 and fd00:64::1 <-> fd00:64::2.");
        }
        if (!havePing) {
            say("  ping is not installed (Debian: iputils-ping): platoon sends its own ICMP echo requests.");
        }
        if (!haveIperf) {
            say("  iperf3 is not installed: platoon's built-in TCP transfer measures the tunnel instead.");
        }
        try (TunnelBed bed = TunnelBed.create("platoon-demo")) {
            String failure;
            try {
                failure = runIn(bed);
            } catch (Exception e) {
                failure = Main.oneLine(e);
            }
            if (failure == null) {
                say("platoon demo: done; removing namespaces and interfaces.");
                return 0;
            }
            err.println("platoon demo: " + failure);
            DemoLogs.keep(bed, err);
            return 1;
        }
    }

    /** The demo's steps; null when all went well, else what failed. */
    private String runIn(TunnelBed bed) throws Exception {
        int steps = tap ? 5 : 4;
        if (tap) {
            bed.tapAtA();
        }
        bed.writeConfig(bed.a, true, List.of());
        bed.writeConfig(bed.b, true, List.of());
        bed.startPlatoon(bed.a, List.of());
        bed.startPlatoon(bed.b, List.of());
        bed.awaitUp(bed.a, Duration.ofSeconds(30));
        bed.awaitUp(bed.b, Duration.ofSeconds(30));
        say("[1/" + steps + "] both interfaces are up: " + bed.a.ifname + " in " + bed.a.namespace + ", "
                + bed.b.ifname + " in " + bed.b.namespace);
        long t0 = System.nanoTime();
        if (!ping(bed, false, Duration.ofSeconds(15))) {
            return "no IPv4 ping answer through the tunnel";
        }
        say(String.format("[2/%d] handshake done and IPv4 ping answered in %.0f ms%s", steps,
                (System.nanoTime() - t0) / 1e6, tap ? " (from the VM)" : ""));
        if (!ping(bed, true, Duration.ofSeconds(10))) {
            return "no IPv6 ping answer through the tunnel";
        }
        say("[3/" + steps + "] IPv6 ping answered");
        if (tap) {
            say("[4/" + steps + "] " + TapDemo.neighbours(bed));
        }
        TunnelBed.Side from = bed.a;
        TunnelBed.Side to = bed.b;
        for (int way = 0; way < (tap ? 2 : 1); way++) {
            String transferFailure = haveIperf ? iperf(bed, from, to) : builtInTransfer(bed, from, to);
            if (transferFailure != null) {
                return transferFailure;
            }
            from = bed.b; // tap mode: back again, so that trains are written into the tap too
            to = bed.a;
        }
        say("[" + steps + "/" + steps + "] train counters:");
        for (TunnelBed.Side side : List.of(bed.a, bed.b)) {
            Shell.Result show = bed.net.exec(side.namespace, Duration.ofSeconds(20),
                    JavaCommand.platoon(List.of("show", side.ifname)).toArray(String[]::new));
            show.stdout().lines().forEach(l -> say("    " + l));
        }
        return null;
    }

    /** ping when installed, else platoon's own ICMP echo ({@link EchoCommand}) in side a's namespace. */
    private boolean ping(TunnelBed bed, boolean ipv6, Duration timeout) {
        if (havePing) {
            return bed.ping(bed.a, ipv6, timeout);
        }
        String target = ipv6 ? bed.b.tunnel6 : bed.b.tunnel4;
        List<String> echo = JavaCommand.platoon(List.of("echo", "--address", target,
                "--timeout", String.valueOf(timeout.toSeconds())));
        return bed.net.exec(bed.a.trafficNamespace(), timeout.plusSeconds(10), echo.toArray(String[]::new)).ok();
    }

    private String iperf(TunnelBed bed, TunnelBed.Side from, TunnelBed.Side to) throws Exception {
        say("      TCP through the tunnel with iperf3 for " + seconds + " s, " + name(from) + " to " + name(to) + " ...");
        Process server = bed.net.start(to.trafficNamespace(), List.of("iperf3", "-s", "-1", "-B", to.tunnel4),
                bed.workDir().resolve("iperf3-server-" + to.ifname + ".log"));
        dev.platoon.core.demo.Waits.until(Duration.ofSeconds(10), "iperf3 server", () -> bed.net.exec(
                to.trafficNamespace(), Duration.ofSeconds(5), "ss", "-ltn").stdout().contains(":5201"));
        Process client = new ProcessBuilder(Shell.inNamespace(from.trafficNamespace(), List.of("iperf3", "-c",
                to.tunnel4, "-t", String.valueOf(seconds), "-i", "1", "--forceflush")))
                .redirectErrorStream(true).start();
        String summary = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.contains("bits/sec")) {
                    if (line.contains("receiver")) {
                        summary = line;
                    } else if (!line.contains("sender")) {
                        out.print("\r      " + line.strip() + "   ");
                        out.flush();
                    }
                }
            }
        }
        client.waitFor(seconds + 30L, TimeUnit.SECONDS);
        server.waitFor(10, TimeUnit.SECONDS);
        out.println();
        if (summary == null) {
            return "iperf3 through the tunnel gave no result";
        }
        say("      result: " + summary.strip().replaceAll("\\s+", " "));
        return null;
    }

    private String builtInTransfer(TunnelBed bed, TunnelBed.Side from, TunnelBed.Side to) throws Exception {
        long bytes = 256L << 20;
        say("      a built-in TCP transfer of " + (bytes >> 20) + " MiB through the tunnel, " + name(from) + " to "
                + name(to) + " ...");
        Path log = bed.workDir().resolve("recv-" + to.ifname + ".log");
        Process recv = bed.net.start(to.trafficNamespace(), JavaCommand.platoon(List.of("transfer", "recv",
                "--address", to.tunnel4)), log);
        dev.platoon.core.demo.Waits.until(Duration.ofSeconds(15), "transfer receiver", () -> bed.net.exec(
                to.trafficNamespace(), Duration.ofSeconds(5), "ss", "-ltn").stdout().contains(":5201"));
        Process send = new ProcessBuilder(Shell.inNamespace(from.trafficNamespace(), JavaCommand.platoon(List.of(
                "transfer", "send", "--address", to.tunnel4, "--bytes", String.valueOf(bytes), "--progress"))))
                .start();
        String result = "?";
        try (BufferedReader r = new BufferedReader(new InputStreamReader(send.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("progress ")) {
                    out.print("\r      " + line.substring(9) + "   ");
                    out.flush();
                }
            }
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(send.getInputStream(),
                StandardCharsets.UTF_8))) {
            result = r.lines().filter(l -> l.startsWith("bytes=")).findFirst().orElse("?");
        }
        boolean ok = send.waitFor(120, TimeUnit.SECONDS) && send.exitValue() == 0;
        out.println();
        recv.waitFor(30, TimeUnit.SECONDS);
        String received = java.nio.file.Files.readString(log);
        say("      sent:     " + result);
        say("      received: " + received.lines().filter(l -> l.startsWith("bytes=")).findFirst().orElse("?"));
        return ok ? null : "the built-in transfer through the tunnel failed";
    }

    /** How the demo calls a side: the VM for a tap-mode side, else its namespace's letter. */
    private static String name(TunnelBed.Side side) {
        return side.vm != null ? "VM" : side.namespace.substring(side.namespace.length() - 1);
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
