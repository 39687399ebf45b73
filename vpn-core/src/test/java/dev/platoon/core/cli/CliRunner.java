package dev.platoon.core.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runs {@link Main#run} in this JVM with a given standard input, capturing standard output and error.
 * It swaps System.in/out/err for the call (Main.run wraps System.out/err and PubKeyCommand takes
 * System.in when Main.run builds the commands), so calls are serialised.
 */
final class CliRunner {
    private static final Object LOCK = new Object();

    record Result(int exitCode, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }

        List<String> outLines() {
            return out.lines().toList();
        }
    }

    private CliRunner() {}

    static Result run(byte[] stdin, String... args) {
        synchronized (LOCK) {
            InputStream oldIn = System.in;
            PrintStream oldOut = System.out;
            PrintStream oldErr = System.err;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setIn(new ByteArrayInputStream(stdin));
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int code = Main.run(args);
                System.out.flush();
                System.err.flush();
                return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            } finally {
                System.setIn(oldIn);
                System.setOut(oldOut);
                System.setErr(oldErr);
            }
        }
    }

    static Result run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.US_ASCII), args);
    }
}
