package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.platoon.core.demo.NamespacePair;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.Waits;

/**
 * One implementation under test, running in its own pair of namespaces for the whole benchmark, with an
 * iperf3 server in namespace b. Each contender has namespaces of its own, so all can stay up at once
 * and the runner can alternate between them without restarting anything.
 */
abstract class Contender implements AutoCloseable {
    static final int IPERF_PORT = 5201;
    static final Duration UP = Duration.ofSeconds(40);

    final String name;
    private Process iperfServer;

    Contender(String name) {
        this.name = name;
    }

    /** The namespaces, and the process that starts a long-running command in one. */
    abstract NamespacePair net();

    /** Where the iperf3 client in namespace a connects: b's tunnel (or veth) address. */
    abstract String serverAddress();

    /** The endpoint processes on side a and side b, empty for the raw veth. */
    abstract Optional<ProcessHandle> endpointA();

    abstract Optional<ProcessHandle> endpointB();

    /** Brings the tunnel up and checks a packet gets through; throws naming what failed. */
    abstract void start() throws IOException;

    /** Stops everything it started and removes its namespaces. */
    @Override
    public abstract void close();

    /** A short line about what went wrong with the endpoints (their logs), for a failed measurement. */
    abstract String diagnose();

    boolean hasEndpoints() {
        return endpointA().isPresent();
    }

    boolean alive() {
        return endpointA().map(ProcessHandle::isAlive).orElse(true)
                && endpointB().map(ProcessHandle::isAlive).orElse(true)
                && iperfServer != null && iperfServer.isAlive();
    }

    /** The line platoon logged about its transport cipher at up, verbatim; empty for the others. */
    Optional<String> cipherLine() {
        return Optional.empty();
    }

    /**
     * Starts iperf3's server in namespace b and waits until it listens. It reports in JSON so that a
     * client's --get-server-output carries the receiver's per-second intervals (the cold start).
     */
    void startIperfServer(Path log) throws IOException {
        iperfServer = net().start(net().b, List.of("iperf3", "-s", "-J", "-p", String.valueOf(IPERF_PORT)), log);
        String listen = ":" + IPERF_PORT + " ";
        Waits.until(Duration.ofSeconds(10), "iperf3 server in " + net().b, () -> !iperfServer.isAlive()
                || net().exec(net().b, Duration.ofSeconds(5), "ss", "-ltnH").stdout().contains(listen));
        if (!iperfServer.isAlive()) {
            throw new IllegalStateException("iperf3 -s exited in " + net().b + ": " + Files.readString(log).strip());
        }
    }

    /** Where iperf3's client and the pings run: namespace a, or the VM behind a's tap. */
    String clientNamespace() {
        return net().a;
    }

    /** Runs one iperf3 client in {@link #clientNamespace()}: {@code iperf3 -c ADDRESS -t SECONDS -J ARGS}. */
    Shell.Result iperf(int seconds, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("iperf3", "-c", serverAddress(), "-p",
                String.valueOf(IPERF_PORT), "-t", String.valueOf(seconds), "-J", "--connect-timeout", "5000"));
        cmd.addAll(args);
        return net().exec(clientNamespace(), Duration.ofSeconds(seconds + 30L), cmd.toArray(String[]::new));
    }

    /** Waits until a ping from a (or a's VM) to b's address is answered. */
    void awaitPing(String address) {
        long deadline = System.nanoTime() + UP.toNanos();
        while (System.nanoTime() < deadline) {
            if (!endpointA().map(ProcessHandle::isAlive).orElse(true)
                    || !endpointB().map(ProcessHandle::isAlive).orElse(true)) {
                throw new IllegalStateException(name + ": an endpoint exited; " + diagnose());
            }
            if (net().exec(clientNamespace(), Duration.ofSeconds(5), "ping", "-c", "1", "-W", "1", address).ok()) {
                return;
            }
        }
        throw new IllegalStateException(name + ": no ping answer from " + address + " within " + UP.toSeconds()
                + " s; " + diagnose());
    }
}
