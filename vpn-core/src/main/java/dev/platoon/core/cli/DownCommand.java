package dev.platoon.core.cli;

import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "down", description = "Tear down an interface brought up by 'platoon up', like 'wg-quick down'.")
final class DownCommand implements Callable<Integer> {
    private static final long GRACE_SECONDS = 15;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME|CONFIG")
    String nameOrConfig;

    @Override
    public Integer call() throws Exception {
        String name = nameOrConfig.endsWith(".conf")
                ? InterfaceFiles.interfaceName(java.nio.file.Path.of(nameOrConfig)) : nameOrConfig;
        InterfaceFiles.requireValidName(name);
        Optional<ProcessHandle> process = Daemon.running(InterfaceFiles.system(), name);
        if (process.isEmpty()) {
            spec.commandLine().getErr().println("platoon: " + name + " is not up (no running platoon for it)");
            return 1;
        }
        // SIGTERM: the process tears down its routes, addresses and device, runs PreDown/PostDown.
        ProcessHandle p = process.get();
        p.destroy();
        try {
            p.onExit().get(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            spec.commandLine().getErr().println("platoon: " + name + " (pid " + p.pid()
                    + ") did not stop within " + GRACE_SECONDS + " s");
            return 1;
        }
        spec.commandLine().getOut().println("platoon: " + name + " is down");
        return 0;
    }
}
