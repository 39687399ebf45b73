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
}
