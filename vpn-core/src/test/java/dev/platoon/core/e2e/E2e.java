package dev.platoon.core.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.Shell;
import dev.platoon.core.demo.TunnelBed;
import dev.platoon.core.demo.TunnelBed.Side;

/** What the end-to-end tests share: starting sides, bounded transfers, and waiting on statuses. */
final class E2e {
    static final Duration UP = Duration.ofSeconds(30);
    static final Duration FIRST_PING = Duration.ofSeconds(20);
    static final Duration PING = Duration.ofSeconds(10);
    static final Duration TRANSFER = Duration.ofSeconds(120);
    /** How long a status (asked of the device) may take to show what happened: margin for a busy machine. */
    static final Duration STATUS_LAG = Duration.ofSeconds(8);
    static final long MB = 1_000_000L;

    private static final Pattern RESULT = Pattern.compile(
            "bytes=([0-9]+) seconds=([0-9.,]+) gbps=([0-9.,]+) sha256=([0-9a-f]{64})");

    /** What one end of {@code platoon transfer} printed. */
    record TransferEnd(long bytes, double seconds, double gbps, String sha256) {
    }

    /** Both ends of one transfer. */
    record Transfer(TransferEnd sent, TransferEnd received) {
    }

    private E2e() {
    }

    /** Starts platoon on a side and waits until its interface is up. */
    static void startPlatoon(TunnelBed bed, Side side, boolean withEndpoint, List<String> args)
            throws IOException {
        bed.writeConfig(side, withEndpoint, List.of());
        startPlatoon(bed, side, args);
    }

    /** As above, with the side's config already written. */
    static void startPlatoon(TunnelBed bed, Side side, List<String> args) throws IOException {
        bed.startPlatoon(side, args);
        bed.awaitUp(side, UP);
        // The link is up before the rest of `up` is done (the metrics server, PostUp): "is up" ends it.
        dev.platoon.core.demo.Waits.until(UP, "'is up' in " + side.log, () -> !side.process.isAlive()
                || java.nio.file.Files.readString(side.log).contains(" is up: "));
        assertTrue(side.process.isAlive(), "platoon for " + side.ifname + " exited: " + TunnelBed.lastLine(side.log));
    }

    /** The status of a platoon side once it satisfies {@code condition}; fails with the last status. */
    static PlatoonStatus awaitStatus(Side side, Duration timeout, String what, Predicate<PlatoonStatus> condition)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        PlatoonStatus last = null;
        while (true) {
            PlatoonStatus s = PlatoonStatus.read(side.ifname);
            if (s != null) {
                last = s;
                if (condition.test(s)) {
                    return s;
                }
            }
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + side.ifname + ": " + what
                        + "; last status:\n" + (last == null ? "(none)" : last.text()) + "\nlog tail: "
                        + logTail(side));
            }
            Thread.sleep(100);
        }
    }

    /** The status of a platoon side as soon as it has one. */
    static PlatoonStatus status(Side side) throws IOException, InterruptedException {
        return awaitStatus(side, STATUS_LAG, "a status file", s -> true);
    }

    /** Pings until answered; fails naming the direction and the logs otherwise. */
    static void assertPing(TunnelBed bed, Side from, boolean ipv6, Duration timeout) throws IOException {
        assertTrue(bed.ping(from, ipv6, timeout), "no " + (ipv6 ? "IPv6" : "IPv4") + " ping answer from "
                + from.ifname + " to " + bed.other(from).ifname + " within " + timeout.toSeconds() + " s; "
                + from.ifname + ": " + logTail(from) + "; " + bed.other(from).ifname + ": "
                + logTail(bed.other(from)));
    }

    /**
     * A bounded TCP transfer from one side's namespace to the other side's tunnel address, through the
     * tunnel; asserts both ends saw the same number of bytes and the same SHA-256.
     */
    static Transfer transfer(TunnelBed bed, Side from, Side to, long bytes, int port)
            throws IOException, InterruptedException {
        return transfer(bed, from, to, bytes, 0, port);
    }

    /**
     * As {@link #transfer(TunnelBed, Side, Side, long, int)}, but the sender stops after {@code seconds}
     * (when not 0) if the bytes are not all sent by then: a transfer that lasts whatever the speed.
     */
    static Transfer transfer(TunnelBed bed, Side from, Side to, long bytes, int seconds, int port)
            throws IOException, InterruptedException {
        Path recvLog = bed.workDir().resolve("recv-" + to.ifname + "-" + port + ".log");
        int timeout = (int) TRANSFER.toSeconds();
        Process recv = bed.net.start(to.trafficNamespace(), JavaCommand.platoon(List.of("transfer", "recv",
                "--address", to.tunnel4, "--port", String.valueOf(port), "--timeout", String.valueOf(timeout))),
                recvLog);
        // Java's sockets are dual-stack: ss shows [::ffff:100.64.0.2]:5201, so match the port only.
        String listen = ":" + port + " ";
        dev.platoon.core.demo.Waits.until(Duration.ofSeconds(30), "transfer receiver on " + to.tunnel4 + listen,
                () -> !recv.isAlive() || bed.net.exec(to.trafficNamespace(), Duration.ofSeconds(5), "ss", "-ltnH")
                        .stdout().contains(listen));
        assertTrue(recv.isAlive(), "transfer receiver exited early: " + Files.readString(recvLog));
        long t0 = System.nanoTime();
        List<String> sendArgs = new java.util.ArrayList<>(List.of("transfer", "send", "--address", to.tunnel4,
                "--port", String.valueOf(port), "--bytes", String.valueOf(bytes), "--timeout", String.valueOf(timeout)));
        if (seconds > 0) {
            sendArgs.addAll(List.of("--seconds", String.valueOf(seconds)));
        }
        Shell.Result send = bed.net.exec(from.trafficNamespace(), TRANSFER.plusSeconds(10),
                JavaCommand.platoon(sendArgs).toArray(String[]::new));
        assertTrue(send.ok(), "transfer " + from.ifname + " -> " + to.ifname + " failed after "
                + (System.nanoTime() - t0) / 1_000_000_000 + " s (exit " + send.exitCode() + "): "
                + send.stderr().strip() + " | receiver: " + Files.readString(recvLog).strip()
                + " | sender log: " + logTail(from) + " | receiver log: " + logTail(to));
        assertTrue(recv.waitFor(30, TimeUnit.SECONDS), "transfer receiver did not finish");
        TransferEnd sent = parse(send.stdout(), "sender");
        TransferEnd received = parse(Files.readString(recvLog), "receiver");
        if (seconds == 0) {
            assertEquals(bytes, sent.bytes(), "bytes the sender reports");
        } else {
            assertTrue(sent.bytes() > 0 && sent.bytes() <= bytes, "bytes the sender reports: " + sent.bytes());
        }
        assertEquals(sent.bytes(), received.bytes(), "bytes the receiver got through the tunnel");
        assertEquals(sent.sha256(), received.sha256(), "SHA-256 of what went in vs what came out");
        System.out.printf("[e2e] %s %s -> %s %s: %d MB in %.2f s = %.3f Gb/s%n", from.kind, from.ifname,
                to.kind, to.ifname, sent.bytes() / MB, received.seconds(), sent.bytes() * 8 / sent.seconds() / 1e9);
        return new Transfer(sent, received);
    }

    /**
     * A {@link #transfer} of {@code bytes} from platoon's side to {@code to}, then waits until platoon's
     * status shows it read trains from its device (segments per frame > 1 over the transfer); prints
     * and returns that mean.
     */
    static double transferReadingTrains(TunnelBed bed, Side platoon, Side to, long bytes, int port, String what)
            throws IOException, InterruptedException {
        PlatoonStatus before = status(platoon);
        transfer(bed, platoon, to, bytes, port);
        PlatoonStatus sent = awaitStatus(platoon, STATUS_LAG, "segments per frame read > 1 while " + what,
                s -> s.framesRead() > before.framesRead() && s.segmentsPerFrameSince(before) > 1.0);
        double mean = sent.segmentsPerFrameSince(before);
        System.out.printf("[e2e] %s: segments per frame read %.1f (max %d)%n", what, mean, sent.maxSegmentsPerFrame());
        return mean;
    }

    private static TransferEnd parse(String output, String who) {
        Matcher m = RESULT.matcher(output);
        if (!m.find()) {
            fail("no result line from the transfer " + who + ": " + output.strip());
        }
        return new TransferEnd(Long.parseLong(m.group(1)), Double.parseDouble(m.group(2).replace(',', '.')),
                Double.parseDouble(m.group(3).replace(',', '.')), m.group(4));
    }

    /**
     * Records one cell of the interop matrix (docs/interop.md): a line {@code [interop] peer|outer|feature}
     * on standard output, printed only once the test has checked it; {@code docs/interop-matrix.sh}
     * collects them from a test run.
     */
    static void interop(String peer, String outer, String feature) {
        System.out.println("[interop] " + peer + "|" + outer + "|" + feature);
    }

    /** {@code wg show IFNAME WHAT} in a side's namespace (for wireguard-go sides). */
    static String wgShow(TunnelBed bed, Side side, String what) {
        return bed.net.exec(side.namespace, Duration.ofSeconds(10), "wg", "show", side.ifname, what)
                .orThrow().stdout().strip();
    }

    /** Packets sent on the namespace's veth, from {@code ip -s link}. */
    static long vethTxPackets(TunnelBed bed, Side side) {
        String out = bed.net.exec(side.namespace, Duration.ofSeconds(10), "ip", "-s", "-o", "link", "show",
                "dev", "veth0").orThrow().stdout();
        // one line: ... RX: bytes packets ... \    N N ... TX: bytes packets ... \    N N ...
        Matcher m = Pattern.compile("TX:[^\\\\]*\\\\\\s+([0-9]+)\\s+([0-9]+)").matcher(out);
        if (!m.find()) {
            fail("cannot read TX packets from: " + out);
        }
        return Long.parseLong(m.group(2));
    }

    static String logTail(Side side) {
        try {
            if (side.log == null || !Files.exists(side.log)) {
                return "(no log)";
            }
            List<String> lines = Files.readAllLines(side.log);
            List<String> tail = new ArrayList<>(lines.subList(Math.max(0, lines.size() - 5), lines.size()));
            return tail.isEmpty() ? "(empty log)" : String.join(" / ", tail);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }
}
