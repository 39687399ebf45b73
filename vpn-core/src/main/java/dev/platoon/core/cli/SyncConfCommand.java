package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.platoon.config.ConfigException;
import dev.platoon.config.ConfigParser;
import dev.platoon.config.ParseMode;
import dev.platoon.config.WgConfig;
import dev.platoon.core.device.SyncRequest;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;
/** {@code platoon syncconf NAME FILE}: through the interface's UAPI socket, as {@code wg syncconf} would. */
final class SyncConfCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("syncconf",
                    "Make a running interface's peers match FILE without dropping live sessions, like 'wg syncconf'.")
            .param("NAME", true, null)
            .param("FILE", true, "A wg-quick file (its Address, DNS, MTU, hooks are ignored) or a wg(8) file.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws Exception {
        String name = args.param(0);
        Path file = Path.of(args.param(1));
        InterfaceFiles.requireValidName(name);
        WgConfig config;
        try {
            config = parse(file);
        } catch (ConfigException e) {
            ConfigFiles.printErrors(e, err);
            return 1;
        }
        try (UapiClient client = UapiClient.connect(name)) {
            client.set(SyncRequest.of(config.stripped(), client.get()));
        } catch (UapiException e) {
            err.println("platoon: " + name + ": the interface refused the change: "
                    + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            err.println("platoon: " + name + " is not up (control socket: "
                    + Main.oneLine(e) + ")");
            return 1;
        }
        out.println("platoon: " + name + " synchronised with " + file);
        return 0;
    }

    /** A wg-quick file first (the usual case); a wg(8) file, which may lack PrivateKey, second. */
    static WgConfig parse(Path file) throws ConfigException {
        try {
            return ConfigParser.parse(file, ParseMode.WG_QUICK);
        } catch (ConfigException quick) {
            try {
                return ConfigParser.parse(file, ParseMode.WG);
            } catch (ConfigException wg) {
                throw quick;
            }
        }
    }
}
