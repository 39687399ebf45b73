package dev.platoon.core.cli;

import java.io.PrintWriter;

import dev.platoon.crypto.Keys;

/** {@code platoon genpsk}. */
final class GenPskCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("genpsk", "Print a new preshared key (base64), like 'wg genpsk'.");

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) {
        out.println(Keys.toBase64(Keys.generatePresharedKey()));
        out.flush();
        return 0;
    }
}
