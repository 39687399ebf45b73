package dev.platoon.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A network namespace made for one test ({@code pt-<random>-<tag>}), removed by {@link #close()} and,
 * should the JVM end first, by a shutdown hook. Commands run inside with {@code ip netns exec}; Java code
 * runs inside on a thread that {@code setns()}'d into it, so the sockets and tun devices it opens belong
 * to the namespace (and stay there whichever thread uses them afterwards).
 */
public final class NetNs implements AutoCloseable {
    /** How long one command or one call inside may take before the test is failed. */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);
    private static final Set<String> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(NetNs::delete), "netns-cleanup"));
    }

    private final String name;

    private NetNs(String name) {
        this.name = name;
    }

    /** Creates {@code pt-<random>-<tag>} with its loopback up. */
    public static NetNs create(String tag) {
        String name = "pt-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff)) + "-" + tag;
        Proc.run(COMMAND_TIMEOUT, "ip", "netns", "add", name).orThrow();
        LIVE.add(name);
        NetNs ns = new NetNs(name);
        try {
            ns.exec("ip", "link", "set", "lo", "up");
        } catch (RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** Runs a command inside; returns its standard output, or throws with its output when it fails. */
    public String exec(String... cmd) {
        return run(COMMAND_TIMEOUT, cmd).orThrow().stdout();
    }

    /** Runs a command inside with a deadline; the result whatever the exit. */
    public Proc.Result run(Duration timeout, String... cmd) {
        return run(timeout, null, cmd);
    }

    /** As {@link #run(Duration, String...)} with {@code env} as the command's whole environment (null: ours). */
    public Proc.Result run(Duration timeout, Map<String, String> env, String... cmd) {
        return Proc.run(timeout, null, env, builder(cmd).command().toArray(String[]::new));
    }

    /**
     * A builder for a long-running command inside (a daemon, a child JVM); the caller starts it, reads
     * it, and ends it with {@link Proc#kill} in a finally.
     */
    public ProcessBuilder builder(String... cmd) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(cmd));
        return new ProcessBuilder(full);
    }

    /** Joins the calling thread to this namespace (for a thread the caller owns and ends). */
    public void enter() {
        Libc.enterNetns(name);
    }

    /** Runs {@code task} on a fresh thread inside this namespace and returns its result. */
    public <T> T call(Callable<T> task) throws Exception {
        return call(name, task);
    }

    /** Runs {@code task} on a fresh thread inside the named namespace (made by anyone) and returns its result. */
    public static <T> T call(String namespace, Callable<T> task) throws Exception {
        FutureTask<T> f = new FutureTask<>(() -> {
            Libc.enterNetns(namespace);
            return task.call();
        });
        Thread t = Thread.ofPlatform().name("in-" + namespace).daemon().start(f);
        try {
            return f.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        } catch (TimeoutException e) {
            t.interrupt();
            throw new AssertionError("call in " + namespace + " did not finish within " + CALL_TIMEOUT.toSeconds()
                    + " s");
        }
    }

    /** Starts a daemon thread inside this namespace. */
    public Thread start(String threadName, Runnable body) {
        return Thread.ofPlatform().name(threadName).daemon().start(() -> {
            enter();
            body.run();
        });
    }

    /** Joins two namespaces with a veth pair ({@code aIf} in a, {@code bIf} in b), both up. */
    public static void veth(NetNs a, String aIf, NetNs b, String bIf) {
        a.exec("ip", "link", "add", aIf, "type", "veth", "peer", "name", bIf, "netns", b.name);
        a.exec("ip", "link", "set", aIf, "up");
        b.exec("ip", "link", "set", bIf, "up");
    }

    /** Deletes the namespace and everything in it (links, sockets' addresses); never throws. */
    @Override
    public void close() {
        delete(name);
        LIVE.remove(name);
    }

    private static void delete(String name) {
        try {
            Proc.run(COMMAND_TIMEOUT, "ip", "netns", "delete", name);
        } catch (RuntimeException ignored) {
            // best effort: cleanup must not mask the test's own failure
        }
    }
}
