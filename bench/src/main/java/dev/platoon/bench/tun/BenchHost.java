package dev.platoon.bench.tun;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * What the tun reflector benchmarks do to the machine around them: enter a network namespace, pin a
 * thread to a CPU, run a command and read its output, wait for iperf3 to listen.
 */
final class BenchHost {
    private static final int CLONE_NEWNET = 0x40000000;

    static {
        Native.register(BenchHost.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    private BenchHost() {
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int close(int fd);

    private static native int setns(int fd, int nstype) throws LastErrorException;

    private static native int sched_setaffinity(int pid, long size, long[] mask) throws LastErrorException;

    /** Moves the calling thread into network namespace {@code ns}. */
    static void enter(String ns) {
        int fd = open("/var/run/netns/" + ns, 0x80000);
        try {
            setns(fd, CLONE_NEWNET);
        } finally {
            close(fd);
        }
    }

    /** Pins the calling thread to {@code cpu}; says so on stderr (naming {@code what}) when it cannot. */
    static void pin(int cpu, String what) {
        try {
            sched_setaffinity(0, 8, new long[] {1L << cpu});
        } catch (LastErrorException e) {
            System.err.println("could not pin " + what + " to CPU " + cpu + ": errno " + e.getErrorCode());
        }
    }

    /** Runs a command to its end (at most 120 s); its output, or one line naming it and what it said. */
    static String exec(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + out.strip());
        }
        return out;
    }

    /** As {@link #exec}, for cleanup: a failure is ignored. */
    static void quietly(String... cmd) {
        try {
            exec(cmd);
        } catch (Exception ignored) {
            // cleanup is best effort
        }
    }

    /** Waits (at most 10 s) until something listens on TCP {@code port} in this namespace. */
    static void waitListening(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String needle = ":" + port;
        while (!exec("ss", "-ltn").contains(needle)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("iperf3 server did not listen on " + port);
            }
            Thread.onSpinWait();
        }
    }

    /** The first group of {@code regex} in {@code json} as a number, NaN when absent. */
    static double number(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
