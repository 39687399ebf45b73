package dev.platoon.core.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

import dev.platoon.crypto.Keys;

/** {@code platoon genkey} and {@code platoon genpsk}: print a new random key in base64, like wg's. */
final class NewKeyCommand implements CliCommand {
    private final CommandSpec spec;
    private final Supplier<byte[]> newKey;

    private NewKeyCommand(CommandSpec spec, Supplier<byte[]> newKey) {
        this.spec = spec;
        this.newKey = newKey;
    }

    static NewKeyCommand genKey() {
        return new NewKeyCommand(CommandSpec.of("genkey", "Print a new private key (base64), like 'wg genkey'."),
                Keys::generatePrivateKey);
    }

    static NewKeyCommand genPsk() {
        return new NewKeyCommand(CommandSpec.of("genpsk", "Print a new preshared key (base64), like 'wg genpsk'."),
                Keys::generatePresharedKey);
    }

    @Override
    public CommandSpec spec() {
        return spec;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) {
        out.println(Keys.toBase64(newKey.get()));
        out.flush();
        return 0;
    }
}
