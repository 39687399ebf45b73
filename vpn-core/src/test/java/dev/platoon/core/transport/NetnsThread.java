package dev.platoon.core.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.platoon.core.demo.InNamespace;

/**
 * A test network namespace ({@code ip netns add}) and one thread that has setns()'d into it: sockets and tun
 * devices created on that thread belong to the namespace. Deleted on close and by a shutdown hook.
 */
public final class NetnsThread implements AutoCloseable {
    public final String name;
    private final ExecutorService thread;
    private final Thread hook;

    public NetnsThread(String prefix) throws Exception {
        this.name = prefix + Long.toHexString(Double.doubleToLongBits(Math.random())).substring(0, 8);
        this.hook = new Thread(() -> deleteQuietly(name));
        Runtime.getRuntime().addShutdownHook(hook);
        run("ip", "netns", "add", name);
        run("ip", "-n", name, "link", "set", "lo", "up");
        this.thread = Executors.newSingleThreadExecutor(r -> new Thread(r, "netns-" + name));
        call(() -> {
            InNamespace.enter(name);
            return null;
        });
    }

    /** Runs {@code task} on the thread inside the namespace. */
    public <T> T call(Callable<T> task) throws Exception {
        return thread.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** Runs a command inside the namespace ({@code ip netns exec}) and returns its stdout. */
    public String exec(String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
        cmd.addAll(List.of(command));
        return run(cmd.toArray(String[]::new));
    }

    public static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.trim());
        }
        return out;
    }

    private static void deleteQuietly(String ns) {
        try {
            run("ip", "netns", "del", ns);
        } catch (Exception ignored) {
            // already gone
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
        deleteQuietly(name);
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }
}
