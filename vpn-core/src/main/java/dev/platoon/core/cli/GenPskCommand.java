package dev.platoon.core.cli;

import java.util.concurrent.Callable;

import dev.platoon.crypto.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "genpsk", description = "Print a new preshared key (base64), like 'wg genpsk'.")
final class GenPskCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(Keys.toBase64(Keys.generatePresharedKey()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
