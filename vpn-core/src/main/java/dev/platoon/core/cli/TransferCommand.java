package dev.platoon.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A bounded TCP transfer (in bytes, and optionally in time) whose both ends print the SHA-256 of the
 * bytes they saw, so a test can prove that what went into the tunnel came out unchanged. Used by {@code platoon demo} when iperf3 is
 * missing, and by the end-to-end tests. Hidden: a tool, not a feature.
 */
final class TransferCommand implements CliCommand {
    static final CommandSpec SPEC = CommandSpec.of("transfer",
                    "Send or receive a bounded TCP stream and print bytes, seconds and SHA-256.")
            .param("MODE", true, "send or recv")
            .option(OptionSpec.text("--address", "ADDRESS", "recv: address to listen on; send: peer").required())
            .option(OptionSpec.number("--port", "N", 1, 65535, "TCP port (default: 5201)"))
            .option(OptionSpec.number("--bytes", "N", 0, Long.MAX_VALUE, "send: how many bytes (default: 100 MiB)"))
            .option(OptionSpec.number("--seconds", "S", 1, 86_400,
                    "send: stop after S seconds if --bytes are not sent by then (default: no time limit)"))
            .option(OptionSpec.number("--seed", "N", Long.MIN_VALUE, Long.MAX_VALUE, "send: seed of the bytes (default: 1)"))
            // seconds, and at most what fits an int of milliseconds for the socket timeouts
            .option(OptionSpec.number("--timeout", "SECONDS", 1, Integer.MAX_VALUE / 1000,
                    "seconds before giving up (default: 120)"))
            .option(OptionSpec.flag("--progress", "send: a line on stderr every second (bytes so far, Gb/s)"))
            .hidden();

    private static final int CHUNK = 64 * 1024;

    private String address;
    private int port;
    private long bytes;
    private long sendNanos;   // 0: no time limit
    private long seed;
    private int timeoutSeconds;
    private boolean progress;
    private PrintWriter err;

    @Override
    public CommandSpec spec() {
        return SPEC;
    }

    @Override
    public int run(ParsedArgs args, PrintWriter out, PrintWriter err)
            throws IOException, NoSuchAlgorithmException, UsageException {
        String mode = args.param(0);
        if (!mode.equals("recv") && !mode.equals("send")) {
            throw new UsageException(SPEC, "MODE must be send or recv, not '" + mode + "'");
        }
        address = args.text("--address");
        port = args.integer("--port", 5201);
        bytes = args.longValue("--bytes", 104857600L);
        sendNanos = args.longValue("--seconds", 0) * 1_000_000_000L;
        seed = args.longValue("--seed", 1);
        timeoutSeconds = args.integer("--timeout", 120);
        progress = args.flag("--progress");
        this.err = err;
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long start = System.nanoTime();
        long moved = mode.equals("recv") ? receive(sha) : send(sha);
        double seconds = (System.nanoTime() - start) / 1e9;
        out.printf("bytes=%d seconds=%.3f gbps=%.3f sha256=%s%n", moved, seconds,
                moved * 8 / seconds / 1e9, HexFormat.of().formatHex(sha.digest()));
        return 0;
    }

    private long receive(MessageDigest sha) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.setSoTimeout(timeoutSeconds * 1000);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            err.println("listening on " + address + ":" + port);
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(timeoutSeconds * 1000);
                InputStream in = socket.getInputStream();
                byte[] buf = new byte[CHUNK];
                long total = 0;
                int n;
                while ((n = in.read(buf)) > 0) {
                    sha.update(buf, 0, n);
                    total += n;
                }
                return total;
            }
        }
    }

    private long send(MessageDigest sha) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(address), port), timeoutSeconds * 1000);
            socket.setSoTimeout(timeoutSeconds * 1000);
            OutputStream out = socket.getOutputStream();
            SplittableRandom random = new SplittableRandom(seed);
            long start = System.nanoTime();
            long nextReport = start + 1_000_000_000L;
            byte[] buf = new byte[CHUNK];
            long left = bytes;
            long now = start;
            while (left > 0 && (sendNanos == 0 || now - start < sendNanos)) {
                int n = (int) Math.min(buf.length, left);
                for (int i = 0; i < n; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8 && i + j < n; j++) {
                        buf[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
                now = System.nanoTime();
                if (progress && now >= nextReport) {
                    long done = bytes - left;
                    err.printf("progress bytes=%d gbps=%.3f%n", done, done * 8 / ((now - start) / 1e9) / 1e9);
                    nextReport = now + 1_000_000_000L;
                }
            }
            socket.shutdownOutput();
            // Wait for the receiver to close, so "done" means it has everything.
            socket.getInputStream().read();
            return bytes - left;
        }
    }
}
