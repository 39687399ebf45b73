package dev.platoon.core.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

import dev.platoon.crypto.Keys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "pubkey",
        description = "Read a private key (base64) on standard input, print its public key, like 'wg pubkey'.")
final class PubKeyCommand implements Callable<Integer> {
    /** Longer than any key plus white space: more input than this is not a key. */
    private static final int MAX_INPUT = 1024;

    @Spec
    CommandSpec spec;

    InputStream in = System.in;

    @Override
    public Integer call() throws IOException {
        byte[] raw = in.readNBytes(MAX_INPUT + 1);
        String text = new String(raw, StandardCharsets.US_ASCII);
        Arrays.fill(raw, (byte) 0);
        if (raw.length > MAX_INPUT) {
            spec.commandLine().getErr().println("platoon pubkey: standard input is not a key (too long)");
            return 1;
        }
        byte[] privateKey;
        try {
            privateKey = Keys.fromBase64(text);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("platoon pubkey: standard input: " + e.getMessage());
            return 1;
        }
        spec.commandLine().getOut().println(Keys.toBase64(Keys.publicKey(privateKey)));
        spec.commandLine().getOut().flush();
        Arrays.fill(privateKey, (byte) 0);
        return 0;
    }
}
