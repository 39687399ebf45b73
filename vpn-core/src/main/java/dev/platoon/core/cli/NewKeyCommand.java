package dev.platoon.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
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
        warnIfWorldAccessible(Path.of("/proc/self/fd/1"), err);
        out.println(Keys.toBase64(newKey.get()));
        out.flush();
        return 0;
    }

    /**
     * wg's warning when a key goes to a file others may read ({@code platoon genkey > key} under umask 022):
     * standard output is a regular file with any permission for others.
     */
    static void warnIfWorldAccessible(Path stdout, PrintWriter err) {
        try {
            var attributes = Files.readAttributes(stdout, PosixFileAttributes.class);
            if (attributes.isRegularFile() && attributes.permissions().stream().anyMatch(p -> p.name().startsWith("OTHERS_"))) {
                err.println("Warning: writing to world accessible file.");
                err.println("Consider setting the umask to 077 and trying again.");
                err.flush();
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a file, or no /proc: nothing to warn about
        }
    }
}
