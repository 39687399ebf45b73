package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code platoon show [NAME]}: prints the status files the running interfaces rewrite every second. */
final class ShowCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("show",
                    "Show running interfaces like 'wg show', plus the train counters and drops.")
            .details("Peers, endpoints, latest handshake and transfer as 'wg show' prints them; then the train"
                    + " counters (segments per frame, datagrams per GSO send and GRO batch) and the drops by reason.")
            .param("NAME", false, "The interface to show (default: every running one).");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
        String name = args.param(0);
        InterfaceFiles files = InterfaceFiles.system();
        Daemon.requireRunDirAccess(files, "show");
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
            if (PidFile.running(files, n).isEmpty() || !Files.exists(status)) {
                if (name != null) {
                    err.println("platoon: " + n + " is not up");
                }
                missing++;
                continue;
            }
            if (!first) {
                out.println();
            }
            first = false;
            out.print(Files.readString(status));
        }
        out.flush();
        return name != null && missing > 0 ? 1 : 0;
    }
}
