package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.nio.file.Path;

import dev.platoon.config.ConfigException;
import dev.platoon.config.WgConfig;

/** Reading a configuration file for the command line: parse, and warn about loose permissions like wg. */
final class ConfigFiles {
    private ConfigFiles() {
    }

    static WgConfig read(Path file, PrintWriter err) throws ConfigException, java.io.IOException {
        WgConfig config = dev.platoon.config.ConfigParser.parse(file);
        dev.platoon.config.KeyFilePermissions.check(file).ifPresent(warning -> err.println(warning));
        return config;
    }

    /** Every error of a configuration, one line each ({@code platoon: wg0.conf:7: ...}), in file order. */
    static void printErrors(ConfigException e, PrintWriter err) {
        if (e.errors().isEmpty()) {
            err.println("platoon: " + e.getMessage());
        }
        for (var error : e.errors()) {
            err.println("platoon: " + error);
        }
        err.flush();
    }
}
