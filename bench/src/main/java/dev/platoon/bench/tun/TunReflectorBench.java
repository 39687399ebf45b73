package dev.platoon.bench.tun;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import dev.platoon.tun.LinkConfig;
import dev.platoon.tun.Reflector;
import dev.platoon.tun.TunConfig;
import dev.platoon.tun.TunDevice;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The seed's experiment: an echo on one tun queue, pinned to one core, with and without offloads.
 * In a private namespace, iperf3 (pinned to the other core) sends TCP from 100.64.0.1 to
 * 100.64.0.2; the {@link Reflector} swaps the addresses and writes everything back, so client and
 * server talk through it. Prints packets per second through the reflector and Gb/s.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     dev.platoon.bench.tun.TunReflectorBench [seconds=10] [on|off|both=both]</pre>
 */
public final class TunReflectorBench {
    private static final int CLONE_NEWNET = 0x40000000;

    static {
        Native.register(TunReflectorBench.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int close(int fd);

    private static native int setns(int fd, int nstype) throws LastErrorException;

    private static native int sched_setaffinity(int pid, long size, long[] mask) throws LastErrorException;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        String mode = args.length > 1 ? args[1] : "both";
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf("tun reflector, %d s per run, %d CPUs, load average %s%n", seconds, cpus,
                new String(java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/loadavg"))).strip());
        for (boolean offloads : mode.equals("both") ? List.of(true, false) : List.of(mode.equals("on"))) {
            run(offloads, seconds, cpus);
        }
    }

    private static void run(boolean offloads, int seconds, int cpus) throws Exception {
        String ns = "pt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-bench";
        exec("ip", "netns", "add", ns);
        Thread hook = new Thread(() -> quietly("ip", "netns", "delete", ns));
        Runtime.getRuntime().addShutdownHook(hook);
        Exception[] failure = new Exception[1];
        Thread inside = new Thread(() -> {
            try {
                enter(ns);
                measure(offloads, seconds, cpus);
            } catch (Exception e) {
                failure[0] = e;
            }
        });
        inside.start();
        inside.join();
        quietly("ip", "netns", "delete", ns);
        Runtime.getRuntime().removeShutdownHook(hook);
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private static void measure(boolean offloads, int seconds, int cpus) throws Exception {
        exec("ip", "link", "set", "lo", "up");
        TunConfig cfg = TunConfig.tun("pt0").withOffloads(offloads);
        try (TunDevice dev = TunDevice.open(cfg)) {
            new LinkConfig(dev.name()).mtu(1500).txqueuelen(1000).addAddress("100.64.0.1/24").up();
            Reflector r = new Reflector(dev, 0, offloads, TimeUnit.SECONDS.toNanos(seconds + 30));
            long[] cpuStart = new long[1];
            Thread rt = new Thread(() -> {
                pin(cpus - 1);
                r.run();
            }, "reflector");
            rt.start();
            String loadCpu = "0"; // the reflector gets the last CPU, the load the first
            Process server = new ProcessBuilder("taskset", "-c", loadCpu, "iperf3", "-s", "-1", "-B", "100.64.0.1")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            waitListening(5201);
            long segments0 = r.segmentsRead, frames0 = r.framesRead, bytes0 = r.bytesRead;
            var mx = ManagementFactory.getThreadMXBean();
            cpuStart[0] = mx.getThreadCpuTime(rt.threadId());
            long t0 = System.nanoTime();
            String json = exec("taskset", "-c", loadCpu, "iperf3", "-c", "100.64.0.2", "-t", Integer.toString(seconds), "-J");
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long segments = r.segmentsRead - segments0, frames = r.framesRead - frames0, bytes = r.bytesRead - bytes0;
            double cpu = (mx.getThreadCpuTime(rt.threadId()) - cpuStart[0]) / 1e9 / elapsed;
            r.stop();
            rt.join();
            server.destroy();
            server.waitFor(5, TimeUnit.SECONDS);
            double goodput = number(json, "\"sum_received\":\\s*\\{[^}]*\"bits_per_second\":\\s*([0-9.e+]+)");
            double retr = number(json, "\"sum_sent\":\\s*\\{[^}]*\"retransmits\":\\s*([0-9]+)");
            System.out.printf("offloads %-3s (%s): %.2f Mpps through the reflector (%.0f k frames/s, %.1f segments/frame), "
                            + "%.2f Gb/s through it, iperf3 TCP %.2f Gb/s, %d retransmits, reflector thread %.0f%% of a core "
                            + "(%.2f Mpps per busy core), write errors %d, drops %d%n",
                    offloads ? "on" : "off", dev.offloads(), segments / elapsed / 1e6, frames / elapsed / 1e3,
                    (double) segments / Math.max(1, frames), bytes * 8 / elapsed / 1e9, goodput / 1e9, (long) retr,
                    cpu * 100, segments / elapsed / 1e6 / Math.max(cpu, 1e-9), r.writeErrors, r.dropped);
        }
    }

    private static void waitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String needle = ":" + port;
        while (!exec("ss", "-ltn").contains(needle)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3 server did not listen on " + port);
            }
            Thread.onSpinWait();
        }
    }

    private static double number(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static void enter(String ns) {
        int fd = open("/var/run/netns/" + ns, 0x80000);
        try {
            setns(fd, CLONE_NEWNET);
        } finally {
            close(fd);
        }
    }

    private static void pin(int cpu) {
        try {
            sched_setaffinity(0, 8, new long[] {1L << cpu});
        } catch (LastErrorException e) {
            System.err.println("could not pin the reflector to CPU " + cpu + ": errno " + e.getErrorCode());
        }
    }

    private static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out.strip());
        }
        return out;
    }

    private static void quietly(String... cmd) {
        try {
            exec(cmd);
        } catch (Exception ignored) {
            // cleanup is best effort
        }
    }
}
