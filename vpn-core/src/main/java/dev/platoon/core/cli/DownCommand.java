package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** {@code platoon down NAME|CONFIG}: SIGTERM to the interface's process, then wait for it to finish. */
final class DownCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("down",
                    "Tear down an interface brought up by 'platoon up', like 'wg-quick down'.")
            .param("NAME|CONFIG", true, null);

    private static final long GRACE_SECONDS = 15;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception {
        String nameOrConfig = args.param(0);
        String name = nameOrConfig.endsWith(".conf")
                ? InterfaceFiles.interfaceName(java.nio.file.Path.of(nameOrConfig)) : nameOrConfig;
        InterfaceFiles.requireValidName(name);
        Daemon.requireRunDirAccess(InterfaceFiles.system(), "down");
        InterfaceFiles files = InterfaceFiles.system();
        // The process holding NAME's lock (up, or still coming up: its up is then cancelled cleanly). A pid
        // file left by a crash names nobody, whatever process has that pid now.
        Optional<ProcessHandle> process = PidFile.holder(files, name);
        if (process.isEmpty()) {
            PidFile.whileLocked(files, name, () -> Leftovers.clear(files, name, err));
            err.println("platoon: " + name + " is not up (no running platoon for it)");
            return 1;
        }
        // SIGTERM: the process tears down its routes, addresses and device, runs PreDown/PostDown.
        ProcessHandle p = process.get();
        // A detached interface logs its teardown ([#] lines, hooks): show it here, as wg-quick down does.
        LogFollower follower = new LogFollower(InterfaceFiles.system().logFile(name));
        p.destroy();
        try {
            p.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
            follower.printNewLines(err, line -> false);
        } catch (java.util.concurrent.TimeoutException e) {
            follower.printNewLines(err, line -> false);
            err.println("platoon: " + name + " (pid " + p.pid()
                    + ") did not stop within " + GRACE_SECONDS + " s");
            return 1;
        }
        out.println("platoon: " + name + " is down");
        return 0;
    }
}
