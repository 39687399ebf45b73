package dev.platoon.core.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * A bounded TCP transfer whose both ends print the SHA-256 of the bytes they saw, so a test can prove
 * that what went into the tunnel came out unchanged. Used by {@code platoon demo} when iperf3 is
 * missing, and by the end-to-end tests. Hidden: a tool, not a feature.
 */
@Command(name = "transfer", hidden = true,
        description = "Send or receive a bounded TCP stream and print bytes, seconds and SHA-256.")
final class TransferCommand implements Callable<Integer> {
    private static final int CHUNK = 64 * 1024;

    @Parameters(index = "0", description = "send or recv")
    String mode;

    @Option(names = "--address", required = true, description = "recv: address to listen on; send: peer")
    String address;

    @Option(names = "--port", defaultValue = "5201")
    int port;

    @Option(names = "--bytes", defaultValue = "104857600", description = "send: how many bytes")
    long bytes;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    @Option(names = "--timeout", defaultValue = "120", description = "seconds before giving up")
    int timeoutSeconds;

    @Option(names = "--progress", description = "send: a line on stderr every second (bytes so far, Gb/s)")
    boolean progress;

    @Override
    public Integer call() throws IOException, NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long start = System.nanoTime();
        long moved;
        if (mode.equals("recv")) {
            moved = receive(sha);
        } else if (mode.equals("send")) {
            moved = send(sha);
        } else {
            System.err.println("platoon transfer: mode must be send or recv, not '" + mode + "'");
            return 2;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("bytes=%d seconds=%.3f gbps=%.3f sha256=%s%n", moved, seconds,
                moved * 8 / seconds / 1e9, HexFormat.of().formatHex(sha.digest()));
        return 0;
    }

    private long receive(MessageDigest sha) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.setSoTimeout(timeoutSeconds * 1000);
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            System.err.println("listening on " + address + ":" + port);
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
            while (left > 0) {
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
                long now = System.nanoTime();
                if (progress && now >= nextReport) {
                    long done = bytes - left;
                    System.err.printf("progress bytes=%d gbps=%.3f%n", done, done * 8 / ((now - start) / 1e9) / 1e9);
                    nextReport = now + 1_000_000_000L;
                }
            }
            socket.shutdownOutput();
            // Wait for the receiver to close, so "done" means it has everything.
            socket.getInputStream().read();
            return bytes;
        }
    }
}
