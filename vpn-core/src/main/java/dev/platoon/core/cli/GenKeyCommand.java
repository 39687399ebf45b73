package dev.platoon.core.cli;

import java.io.PrintWriter;

import dev.platoon.crypto.Keys;

/** {@code platoon genkey}. */
final class GenKeyCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("genkey", "Print a new private key (base64), like 'wg genkey'.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) {
        out.println(Keys.toBase64(Keys.generatePrivateKey()));
        out.flush();
        return 0;
    }
}
