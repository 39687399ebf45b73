package dev.platoon.core.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.platoon.config.ConfigException;
import dev.platoon.config.ConfigParser;
import dev.platoon.config.ParseMode;
import dev.platoon.config.WgConfig;
import dev.platoon.core.device.SyncRequest;
import dev.platoon.core.uapi.UapiClient;
import dev.platoon.core.uapi.UapiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "syncconf", description = {
        "Make a running interface's peers match FILE without dropping live sessions, like 'wg syncconf'.",
        "FILE may be a wg-quick file (its Address, DNS, MTU, hooks are ignored) or a wg(8) file."})
final class SyncConfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME")
    String name;

    @Parameters(index = "1", paramLabel = "FILE")
    Path file;

    @Override
    public Integer call() throws Exception {
        InterfaceFiles.requireValidName(name);
        WgConfig config;
        try {
            config = parse(file);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println("platoon: " + e.getMessage());
            return 1;
        }
        try (UapiClient client = UapiClient.connect(name)) {
            client.set(SyncRequest.of(config.stripped(), client.get()));
        } catch (UapiException e) {
            spec.commandLine().getErr().println("platoon: " + name + ": the interface refused the change: "
                    + e.getMessage());
            return 1;
        } catch (java.io.IOException e) {
            spec.commandLine().getErr().println("platoon: " + name + " is not up (control socket: "
                    + Main.oneLine(e) + ")");
            return 1;
        }
        spec.commandLine().getOut().println("platoon: " + name + " synchronised with " + file);
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
