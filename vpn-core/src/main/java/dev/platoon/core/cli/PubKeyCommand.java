package dev.platoon.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import dev.platoon.crypto.Keys;

/** {@code platoon pubkey}. */
final class PubKeyCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("pubkey",
            "Read a private key (base64) on standard input, print its public key, like 'wg pubkey'.");

    /** Longer than any key plus white space: more input than this is not a key. */
    private static final int MAX_INPUT = 1024;

    /** Taken when Main.run builds the commands, so a test's System.setIn reaches it. */
    InputStream in = System.in;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
        byte[] raw = in.readNBytes(MAX_INPUT + 1);
        String text = new String(raw, StandardCharsets.US_ASCII);
        Arrays.fill(raw, (byte) 0);
        if (raw.length > MAX_INPUT) {
            err.println("platoon pubkey: standard input is not a key (too long)");
            return 1;
        }
        byte[] privateKey;
        try {
            privateKey = Keys.fromBase64(text);
        } catch (IllegalArgumentException e) {
            err.println("platoon pubkey: standard input: " + e.getMessage());
            return 1;
        }
        out.println(Keys.toBase64(Keys.publicKey(privateKey)));
        out.flush();
        Arrays.fill(privateKey, (byte) 0);
        return 0;
    }
}
