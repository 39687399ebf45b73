package dev.platoon.core.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "show", description = {
        "Show running interfaces like 'wg show' (peers, endpoints, latest handshake, transfer),",
        "plus the train counters (segments per frame, datagrams per GSO send and GRO batch) and drops."})
final class ShowCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws IOException {
        InterfaceFiles files = InterfaceFiles.system();
        List<String> names = new ArrayList<>();
        if (name != null) {
            InterfaceFiles.requireValidName(name);
            names.add(name);
        } else if (Files.isDirectory(files.runDir())) {
            try (var list = Files.list(files.runDir())) {
                list.map(p -> p.getFileName().toString()).filter(f -> f.endsWith(".pid"))
                        .map(f -> f.substring(0, f.length() - 4)).sorted().forEach(names::add);
            }
        }
        boolean first = true;
        int missing = 0;
        for (String n : names) {
            Path status = files.statusFile(n);
            if (Daemon.running(files, n).isEmpty() || !Files.exists(status)) {
                if (name != null) {
                    spec.commandLine().getErr().println("platoon: " + n + " is not up");
                }
                missing++;
                continue;
            }
            if (!first) {
                spec.commandLine().getOut().println();
            }
            first = false;
            spec.commandLine().getOut().print(Files.readString(status));
        }
        spec.commandLine().getOut().flush();
        return name != null && missing > 0 ? 1 : 0;
    }
}
