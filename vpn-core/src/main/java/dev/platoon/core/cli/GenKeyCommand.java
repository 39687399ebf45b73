package dev.platoon.core.cli;

import java.util.concurrent.Callable;

import dev.platoon.crypto.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "genkey", description = "Print a new private key (base64), like 'wg genkey'.")
final class GenKeyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(Keys.toBase64(Keys.generatePrivateKey()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
