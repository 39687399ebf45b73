package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.platoon.config.ConfigException;
import dev.platoon.config.WgConfig;
import dev.platoon.core.device.Device;
import dev.platoon.core.device.DeviceOptions;
import dev.platoon.core.metrics.MetricsAddress;
import dev.platoon.core.metrics.MetricsServer;
import dev.platoon.core.peer.ProtocolTimings;
import java.time.Duration;

/** {@code platoon up CONFIG}: detaches (a child with --foreground does the work) unless --foreground. */
final class UpCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("up", "Bring up an interface from a wg-quick file, like 'wg-quick up'.")
            .param("CONFIG", true, "A path to NAME.conf, or a NAME looked up in /etc/platoon then /etc/wireguard.")
            .option(OptionSpec.flag("--foreground", "Stay attached, log to stderr, tear down on SIGTERM/SIGINT."))
            .option(OptionSpec.number("--queues", "N", 1, 64, "Tun queues and loops, 1-64 (default: number of CPUs)."))
            .option(OptionSpec.flag("--tap", "Tap (L2) mode: an Ethernet device that bridges and VMs plug into;"
                    + " platoon answers ARP and neighbour solicitations for the tunnel's addresses."))
            .option(OptionSpec.text("--metrics", "[HOST:]PORT",
                    "Serve Prometheus metrics at http://HOST:PORT/metrics (HOST defaults to 127.0.0.1)."
                            + " Also from the environment variable " + MetricsAddress.ENV + ". Off unless asked."))
            // Hidden: the protocol's timers, shortened so tests can watch a rekey or a give-up in seconds.
            .option(OptionSpec.number("--rekey-after-seconds", "N", 1, Integer.MAX_VALUE, null).hidden())
            .option(OptionSpec.number("--rekey-timeout-ms", "N", 1, Integer.MAX_VALUE, null).hidden())
            .option(OptionSpec.number("--rekey-attempt-seconds", "N", 1, Integer.MAX_VALUE, null).hidden())
            .option(OptionSpec.number("--keepalive-seconds", "N", 1, Integer.MAX_VALUE, null).hidden())
            // Hidden: how long a detaching up waits for a sign of progress (tests give up in seconds).
            .option(OptionSpec.number("--stall-seconds", "N", 1, 3600, null).hidden());

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception {
        String config = args.param(0);
        Integer queues = args.integer("--queues");
        Path file = InterfaceFiles.resolveConfig(config);
        String name = InterfaceFiles.interfaceName(file);
        WgConfig wg;
        try {
            wg = ConfigFiles.read(file, err);
        } catch (ConfigException e) {
            ConfigFiles.printErrors(e, err);
            return 1;
        }
        MetricsAddress metricsAt;
        try {
            metricsAt = MetricsAddress.fromOptionOrEnv(args.text("--metrics"), System.getenv(MetricsAddress.ENV));
        } catch (IllegalArgumentException e) {
            err.println("platoon: " + e.getMessage());
            return 1;
        }
        InterfaceFiles files = InterfaceFiles.system();
        var holder = PidFile.holder(files, name);
        if (holder.isPresent()) {
            err.println("platoon: " + name + (PidFile.running(files, name).isPresent() ? " is already up" : " is coming up")
                    + " (pid " + holder.get().pid() + ")");
            return 1;
        }
        if (!args.flag("--foreground")) {
            Integer stall = args.integer("--stall-seconds");
            return Daemon.detach(files, name, file, passThroughArgs(args),
                    stall == null ? Daemon.STALL_TIMEOUT : Duration.ofSeconds(stall), out, err);
        }
        DeviceOptions options = DeviceOptions.defaults()
                .withQueues(queues == null ? Runtime.getRuntime().availableProcessors() : queues)
                .withTimings(timings(args))
                .withStatusFile(files.statusFile(name))
                .withUndoFile(files.undoFile(name))
                .withTap(args.flag("--tap"));
        var other = PidFile.lockName(files, name); // NAME is this process's from here until it exits
        if (other.isPresent()) {
            err.println("platoon: " + name + " is already up or coming up (pid " + other.get() + ")");
            return 1;
        }
        Leftovers.clear(files, name, err); // a process of this name that is gone: its rules, socket, files
        var iface = wg.iface();
        Teardown teardown = new Teardown(name, file, wg, files, err); // from here SIGTERM leaves nothing
        if (!Hooks.run("PreUp", iface.preUp(), name, err)) {
            teardown.runNow();
            return 1;
        }
        Device device;
        try {
            device = Device.up(name, file, wg, options);
        } catch (dev.platoon.core.device.DeviceException e) {
            err.println("platoon: " + e.getMessage());
            teardown.runNow();
            return 1;
        }
        teardown.device(device);
        // The tun device deleted under us (ip link del) or unreadable: one line, the teardown, exit 1.
        device.onFailure(reason -> {
            String line = "platoon: " + name + ": " + reason + "; shutting down";
            err.println(line);
            err.flush();
            Syslog.send(Syslog.ERR, line);
            System.exit(1);
        });
        MetricsServer metricsServer = null;
        if (metricsAt != null) {
            try {
                metricsServer = MetricsServer.serve(device, metricsAt);
            } catch (java.io.IOException e) {
                err.println("platoon: " + e.getMessage());
                teardown.runNow();
                return 1;
            }
            teardown.metrics(metricsServer);
        }
        if (!Hooks.run("PostUp", iface.postUp(), name, err)) {
            teardown.runNow();
            return 1;
        }
        teardown.upComplete();
        if (!device.hasPrivateKey()) {
            err.println("platoon: warning: " + name + " has no private key: no handshake completes until"
                    + " 'wg set " + name + " private-key FILE'");
        }
        reloadOnHangup(device, file, err);
        // The line first, then the pid file that the detaching parent waits for: whoever sees the pid
        // file also finds the "is up" line (and the cipher it names) in the log.
        err.println("platoon: " + name + " is up: " + device.describe()
                + (metricsServer == null ? "" : ", metrics at http://" + metricsAt + "/metrics"));
        err.flush();
        PidFile.writeReady(files, name);
        // Under systemd (Type=notify): the interface serves now, units ordered after this one may start.
        notifySystemd("READY=1\nSTATUS=" + name + " is up\nMAINPID=" + ProcessHandle.current().pid(), err);
        teardown.await();
        return 0;
    }

    static void notifySystemd(String state, PrintWriter err) {
        try {
            SystemdNotify.notifyIfAsked(state);
        } catch (java.io.IOException e) {
            err.println("platoon: warning: " + e.getMessage());
            err.flush();
        }
    }

    /** SIGHUP re-reads the file the interface came from and syncs the peers (sessions live on). */
    private static void reloadOnHangup(Device device, Path file, PrintWriter err) {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> {
            try {
                device.sync(SyncConfCommand.parse(file).stripped());
                err.println("platoon: " + device.name() + ": reloaded " + file);
            } catch (ConfigException | dev.platoon.core.device.DeviceException e) {
                refused("platoon: " + device.name() + ": reload refused: " + e.getMessage(), err);
            } catch (RuntimeException e) {
                refused("platoon: " + device.name() + ": reload failed: " + Main.oneLine(e), err);
            }
            err.flush();
        });
    }

    /**
     * A refused reload is said where the log file is not the only place: the system log (a detached
     * interface's log may sit on a full disk, and nobody reads it while the reload is asked for).
     */
    private static void refused(String line, PrintWriter err) {
        err.println(line);
        Syslog.send(Syslog.WARNING, line);
    }

    private static ProtocolTimings timings(ParsedArgs args) {
        Integer rekeyAfterSeconds = args.integer("--rekey-after-seconds");
        Integer rekeyTimeoutMs = args.integer("--rekey-timeout-ms");
        Integer rekeyAttemptSeconds = args.integer("--rekey-attempt-seconds");
        Integer keepaliveSeconds = args.integer("--keepalive-seconds");
        ProtocolTimings d = rekeyAfterSeconds == null ? ProtocolTimings.DEFAULT
                : ProtocolTimings.withRekeyAfter(Duration.ofSeconds(rekeyAfterSeconds));
        return new ProtocolTimings(d.rekeyAfterTimeNanos(), d.rejectAfterTimeNanos(),
                rekeyAttemptSeconds == null ? d.rekeyAttemptTimeNanos() : Duration.ofSeconds(rekeyAttemptSeconds).toNanos(),
                rekeyTimeoutMs == null ? d.rekeyTimeoutNanos() : Duration.ofMillis(rekeyTimeoutMs).toNanos(),
                rekeyTimeoutMs == null ? d.rekeyTimeoutJitterMaxNanos() : Duration.ofMillis(rekeyTimeoutMs / 15).toNanos(),
                keepaliveSeconds == null ? d.keepaliveTimeoutNanos() : Duration.ofSeconds(keepaliveSeconds).toNanos(),
                d.rekeyAfterMessages(), d.rejectAfterMessages());
    }

    /** Every option with a value that was given, as --name=value, for the --foreground child. */
    static List<String> passThroughArgs(ParsedArgs args) {
        List<String> pass = new ArrayList<>();
        for (OptionSpec o : SPEC.options) {
            String value = args.text(o.name);
            if (o.takesValue() && value != null) {
                pass.add(o.name + "=" + value);
            } else if (!o.takesValue() && !o.name.equals("--foreground") && args.flag(o.name)) {
                pass.add(o.name); // the detached child runs in the foreground by itself
            }
        }
        return pass;
    }
}
