package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;
import dev.platoon.core.uapi.UapiServer;

/**
 * {@code platoon show [NAME]}: asks each running interface for its status over its control socket
 * ({@code show=1}), which the device renders then; nothing renders it ahead of a reader.
 */
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
            String status = PidFile.running(files, n).isEmpty() ? null : ask(n, err);
            if (status == null) {
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
            out.print(status);
        }
        out.flush();
        return name != null && missing > 0 ? 1 : 0;
    }

    /** The status the process renders when asked, or null (one line on stderr) when it cannot answer. */
    private static String ask(String name, PrintWriter err) {
        Path socket = UapiServer.socketPath(UapiServer.DEFAULT_DIRECTORY, name);
        if (!Files.exists(socket)) {
            return null; // still coming up, or going down
        }
        try (UapiClient client = UapiClient.connect(socket, UapiClient.DEFAULT_TIMEOUT)) {
            return client.show();
        } catch (IOException | UapiException e) {
            err.println("platoon: " + name + ": no status from " + socket + ": " + e.getMessage());
            return null;
        }
    }
}
