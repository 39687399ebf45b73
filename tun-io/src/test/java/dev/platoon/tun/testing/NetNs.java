package dev.platoon.tun.testing;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A network namespace made for one test ({@code pt-<random>-<tag>}), removed by {@link #close()}
 * and, should the JVM die first, by a shutdown hook. Commands run inside with
 * {@code ip netns exec}; Java code runs inside on a thread that {@code setns()}'d into it, so
 * sockets and tun devices it opens live there.
 */
public final class NetNs implements AutoCloseable {
    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY = 0, O_CLOEXEC = 0x80000;
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Native.register(NetNs.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (String ns : LIVE) {
                runQuietly("ip", "netns", "delete", ns);
            }
        }, "netns-cleanup"));
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int close(int fd);

    private static native int setns(int fd, int nstype) throws LastErrorException;

    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates {@code pt-<random>-<tag>} with its loopback up. */
    public static NetNs create(String tag) {
        String name = "pt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-" + tag;
        run("ip", "netns", "add", name);
        LIVE.add(name);
        NetNs ns = new NetNs(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside; returns its output, or throws with the output when it fails. */
    public String exec(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return run(full.toArray(String[]::new));
    }

    /** Joins the calling thread to this namespace (for a thread the caller owns and ends). */
    public void enter() {
        int fd = open("/var/run/netns/" + name, O_RDONLY | O_CLOEXEC);
        try {
            setns(fd, CLONE_NEWNET);
        } finally {
            close(fd);
        }
    }

    /** Runs {@code task} on a fresh thread inside this namespace and returns its result. */
    public <T> T call(Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(() -> {
            enter();
            return task.call();
        });
        Thread t = new Thread(f, "in-" + name);
        t.start();
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    /** Starts a daemon thread inside this namespace. */
    public Thread start(String threadName, Runnable body) {
        Thread t = new Thread(() -> {
            enter();
            body.run();
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Joins two namespaces with a veth pair ({@code aIf} in a, {@code bIf} in b), both up. */
    public static void veth(NetNs a, String aIf, NetNs b, String bIf) {
        a.exec("ip", "link", "add", aIf, "type", "veth", "peer", "name", bIf, "netns", b.name);
        a.exec("ip", "link", "set", aIf, "up");
        b.exec("ip", "link", "set", bIf, "up");
    }

    @Override
    public void close() {
        runQuietly("ip", "netns", "delete", name);
        LIVE.remove(name);
    }

    /** Runs a command (in the root namespace: only `ip netns` bookkeeping), failing with its output. */
    public static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + ": timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void runQuietly(String... cmd) {
        try {
            run(cmd);
        } catch (RuntimeException ignored) {
            // best effort: cleanup must not mask the test's own failure
        }
    }
}
