package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.platoon.config.ConfigException;
import dev.platoon.config.WgConfig;
import dev.platoon.core.device.Device;
import dev.platoon.core.device.DeviceOptions;
import dev.platoon.core.metrics.MetricsAddress;
import dev.platoon.core.metrics.MetricsServer;
import dev.platoon.core.peer.ProtocolTimings;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "up", description = {
        "Bring up an interface from a wg-quick file, like 'wg-quick up'.",
        "CONFIG is a path to NAME.conf, or a NAME looked up in /etc/platoon then /etc/wireguard."})
final class UpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG")
    String config;

    @Option(names = "--foreground", description = "Stay attached, log to stderr, tear down on SIGTERM/SIGINT.")
    boolean foreground;

    @Option(names = "--queues", description = "Tun queues and loops (default: number of CPUs).")
    Integer queues;

    @Option(names = "--metrics", paramLabel = "[HOST:]PORT", description = {
            "Serve Prometheus metrics at http://HOST:PORT/metrics (HOST defaults to 127.0.0.1).",
            "Also from the environment variable " + MetricsAddress.ENV + ". Off unless asked."})
    String metrics;

    // Hidden: the protocol's timers, shortened so tests can watch a rekey or a give-up in seconds.
    @Option(names = "--rekey-after-seconds", hidden = true)
    Integer rekeyAfterSeconds;

    @Option(names = "--rekey-timeout-ms", hidden = true)
    Integer rekeyTimeoutMs;

    @Option(names = "--rekey-attempt-seconds", hidden = true)
    Integer rekeyAttemptSeconds;

    @Option(names = "--keepalive-seconds", hidden = true)
    Integer keepaliveSeconds;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Path file = InterfaceFiles.resolveConfig(config);
        String name = InterfaceFiles.interfaceName(file);
        WgConfig wg;
        try {
            wg = ConfigFiles.read(file, err);
        } catch (ConfigException e) {
            err.println("platoon: " + e.getMessage());
            return 1;
        }
        MetricsAddress metricsAt;
        try {
            metricsAt = MetricsAddress.fromOptionOrEnv(metrics, System.getenv(MetricsAddress.ENV));
        } catch (IllegalArgumentException e) {
            err.println("platoon: " + e.getMessage());
            return 1;
        }
        InterfaceFiles files = InterfaceFiles.system();
        var running = Daemon.running(files, name);
        if (running.isPresent() && running.get().pid() != ProcessHandle.current().pid()) {
            err.println("platoon: " + name + " is already up (pid " + running.get().pid() + ")");
            return 1;
        }
        if (!foreground) {
            return Daemon.detach(files, name, file, passThroughArgs(), out, err);
        }
        DeviceOptions options = DeviceOptions.defaults()
                .withQueues(queues == null ? Runtime.getRuntime().availableProcessors() : queues)
                .withTimings(timings())
                .withStatusFile(files.statusFile(name));
        Daemon.createPrivateDir(files.runDir());
        var iface = wg.iface();
        if (!Hooks.run("PreUp", iface.preUp(), name, err)) {
            return 1;
        }
        Device device;
        try {
            device = Device.up(name, file, wg, options);
        } catch (dev.platoon.core.device.DeviceException e) {
            err.println("platoon: " + e.getMessage());
            return 1;
        }
        MetricsServer metricsServer = null;
        if (metricsAt != null) {
            try {
                metricsServer = MetricsServer.serve(device, metricsAt);
            } catch (java.io.IOException e) {
                err.println("platoon: " + e.getMessage());
                device.close();
                return 1;
            }
        }
        final MetricsServer metricsToClose = metricsServer;
        if (!Hooks.run("PostUp", iface.postUp(), name, err)) {
            if (metricsToClose != null) {
                metricsToClose.close();
            }
            device.close();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Hooks.run("PreDown", iface.preDown(), name, err);
            if (metricsToClose != null) {
                metricsToClose.close();
            }
            device.close();
            Hooks.run("PostDown", iface.postDown(), name, err);
            try {
                java.nio.file.Files.deleteIfExists(files.pidFile(name));
            } catch (java.io.IOException ignored) {
                // best effort: a stale pid file names a dead process and is ignored
            }
            stopped.countDown();
        }, "platoon-teardown"));
        reloadOnHangup(device, file, err);
        // The line first, then the pid file that the detaching parent waits for: whoever sees the pid
        // file also finds the "is up" line (and the cipher it names) in the log.
        err.println("platoon: " + name + " is up: " + device.describe()
                + (metricsToClose == null ? "" : ", metrics at http://" + metricsAt + "/metrics"));
        err.flush();
        Daemon.writePidFile(files, name);
        stopped.await();
        return 0;
    }

    /** SIGHUP re-reads the file the interface came from and syncs the peers (sessions live on). */
    private static void reloadOnHangup(Device device, Path file, PrintWriter err) {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
            try {
                device.sync(SyncConfCommand.parse(file).stripped());
                err.println("platoon: " + device.name() + ": reloaded " + file);
            } catch (ConfigException | dev.platoon.core.device.DeviceException e) {
                err.println("platoon: " + device.name() + ": reload refused: " + e.getMessage());
            } catch (RuntimeException e) {
                err.println("platoon: " + device.name() + ": reload failed: " + Main.oneLine(e));
            }
            err.flush();
        });
    }

    private ProtocolTimings timings() {
        ProtocolTimings d = rekeyAfterSeconds == null ? ProtocolTimings.DEFAULT
                : ProtocolTimings.withRekeyAfter(Duration.ofSeconds(rekeyAfterSeconds));
        return new ProtocolTimings(d.rekeyAfterTimeNanos(), d.rejectAfterTimeNanos(),
                rekeyAttemptSeconds == null ? d.rekeyAttemptTimeNanos() : Duration.ofSeconds(rekeyAttemptSeconds).toNanos(),
                rekeyTimeoutMs == null ? d.rekeyTimeoutNanos() : Duration.ofMillis(rekeyTimeoutMs).toNanos(),
                rekeyTimeoutMs == null ? d.rekeyTimeoutJitterMaxNanos() : Duration.ofMillis(rekeyTimeoutMs / 15).toNanos(),
                keepaliveSeconds == null ? d.keepaliveTimeoutNanos() : Duration.ofSeconds(keepaliveSeconds).toNanos(),
                d.rekeyAfterMessages(), d.rejectAfterMessages());
    }

    private List<String> passThroughArgs() {
        List<String> args = new ArrayList<>();
        if (queues != null) {
            args.add("--queues=" + queues);
        }
        if (metrics != null) {
            args.add("--metrics=" + metrics);
        }
        if (rekeyAfterSeconds != null) {
            args.add("--rekey-after-seconds=" + rekeyAfterSeconds);
        }
        if (rekeyTimeoutMs != null) {
            args.add("--rekey-timeout-ms=" + rekeyTimeoutMs);
        }
        if (rekeyAttemptSeconds != null) {
            args.add("--rekey-attempt-seconds=" + rekeyAttemptSeconds);
        }
        if (keepaliveSeconds != null) {
            args.add("--keepalive-seconds=" + keepaliveSeconds);
        }
        return args;
    }
}
