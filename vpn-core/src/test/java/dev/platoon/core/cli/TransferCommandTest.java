package dev.platoon.core.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The hidden transfer tool on loopback: both ends agree on bytes and SHA-256, bounded by bytes or by time. */
class TransferCommandTest {
    private static final Pattern RESULT = Pattern.compile("bytes=(\\d+) seconds=\\S+ gbps=\\S+ sha256=([0-9a-f]{64})");

    @Test
    void byteBoundedTransferMovesExactlyTheBytes() throws Exception {
        String[] ends = transfer("--bytes", "1000003");
        assertEquals("1000003", ends[0]);
        assertEquals(ends[0] + " " + ends[1], ends[2] + " " + ends[3], "sender vs receiver");
    }

    @Test
    void timeBoundedTransferStopsBeforeItsBytes() throws Exception {
        // 1 TiB cannot go over loopback in 1 s: the time limit ends it, and both ends still agree.
        String[] ends = transfer("--bytes", String.valueOf(1L << 40), "--seconds", "1");
        long sent = Long.parseLong(ends[0]);
        assertTrue(sent > 0 && sent < 1L << 40, "bytes sent: " + sent);
        assertEquals(ends[0] + " " + ends[1], ends[2] + " " + ends[3], "sender vs receiver");
    }

    /** Runs recv and send on a free loopback port; returns {sent bytes, sent sha, received bytes, received sha}. */
    private static String[] transfer(String... sendOptions) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        String[] common = {"--address", "127.0.0.1", "--port", String.valueOf(port), "--timeout", "30"};
        CountDownLatch listening = new CountDownLatch(1);
        StringWriter recvErr = new StringWriter() {
            @Override
            public void flush() {   // println with autoflush: the receiver's "listening on" line is complete
                if (toString().contains("listening on")) {
                    listening.countDown();
                }
            }
        };
        CompletableFuture<String> recv = CompletableFuture.supplyAsync(() -> runTransfer("recv", common, recvErr));
        assertTrue(listening.await(20, TimeUnit.SECONDS), "the receiver did not listen: " + recvErr);
        String sent = runTransfer("send", concat(common, sendOptions), new StringWriter());
        String received = recv.get(30, TimeUnit.SECONDS);
        Matcher s = match(sent);
        Matcher r = match(received);
        return new String[] {s.group(1), s.group(2), r.group(1), r.group(2)};
    }

    private static String runTransfer(String mode, String[] options, StringWriter err) {
        TransferCommand command = new TransferCommand();
        StringWriter out = new StringWriter();
        try {
            ParsedArgs args = ArgParser.parse(command.spec(), concat(new String[] {mode}, options), 0);
            int code = command.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            assertEquals(0, code, err.toString());
        } catch (Exception e) {
            throw new AssertionError(mode + ": " + e + " " + err, e);
        }
        return out.toString();
    }

    private static Matcher match(String output) {
        Matcher m = RESULT.matcher(output);
        assertTrue(m.find(), "no result line in: " + output);
        return m;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
