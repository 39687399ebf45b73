package dev.platoon.core.device;

import dev.platoon.core.drop.Drop;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

import dev.platoon.core.handshake.HandshakeCounters;
import dev.platoon.core.handshake.HandshakeWorker;
import dev.platoon.core.transport.KernelTunStats;
import dev.platoon.core.transport.KernelUdpStats;

/**
 * Tells the operator when the device is under handshake load (the worker's queue at least 1/8 full, or
 * it was within the last second: initiations then need a cookie) — one log line when it begins, one
 * when it ends with what it cost — and renders the load section of {@code platoon show}. Ticked by the
 * device's timer thread; {@link #lines} may be called from any thread.
 */
public final class LoadWatch {
    private static final Logger LOG = Logger.getLogger(LoadWatch.class.getName());
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

    /** The kernel's loss counters for this device; -1 when one cannot be read. */
    public record KernelLoss(LongSupplier udpReceiveBufferDrops, LongSupplier tunTxDropped) {
        /** The calling thread's network namespace: UDP RcvbufErrors (v4 + v6) and the tun's tx_dropped. */
        public static KernelLoss of(String ifname) {
            return new KernelLoss(() -> {
                try {
                    return KernelUdpStats.read().rcvbufErrors();
                } catch (IOException | RuntimeException e) {
                    return -1;
                }
            }, () -> {
                try {
                    return KernelTunStats.txDropped(KernelUdpStats.PROC_NET, ifname);
                } catch (IOException | RuntimeException e) {
                    return -1;
                }
            });
        }
    }

    /** What one load episode cost, from its start to its end. */
    record Episode(Instant start, Duration length, long cookieReplies, long queueFull, long kernelDrops) {
    }

    private final String name;
    private final HandshakeWorker worker;
    private final KernelLoss kernel;
    private final InstantSource wall;
    // Written by the ticking thread only; read by show.
    private volatile Instant since;
    private volatile Episode last;
    private long cookiesAtStart;
    private long queueFullAtStart;
    private long kernelAtStart;

    public LoadWatch(String name, HandshakeWorker worker, KernelLoss kernel, InstantSource wall) {
        this.name = name;
        this.worker = worker;
        this.kernel = kernel;
        this.wall = wall;
    }

    /** Notes a change of load state (call every timer tick). */
    public void tick() {
        boolean load = worker.isUnderLoad();
        if (load && since == null) {
            since = wall.instant();
            cookiesAtStart = worker.counters().cookieRepliesSent.sum();
            queueFullAtStart = worker.counters().drops(Drop.HANDSHAKE_QUEUE_FULL);
            kernelAtStart = kernel.udpReceiveBufferDrops().getAsLong();
            LOG.warning(name + ": under handshake load since " + CLOCK.format(since) + " (queue "
                    + worker.pendingMessages() + " of " + HandshakeWorker.QUEUE_CAPACITY
                    + "): initiations are answered with cookie replies until it ends");
        } else if (!load && since != null) {
            Instant start = since;
            long kernelNow = kernel.udpReceiveBufferDrops().getAsLong();
            Episode e = new Episode(start, Duration.between(start, wall.instant()),
                    worker.counters().cookieRepliesSent.sum() - cookiesAtStart,
                    worker.counters().drops(Drop.HANDSHAKE_QUEUE_FULL) - queueFullAtStart,
                    kernelNow < 0 || kernelAtStart < 0 ? -1 : kernelNow - kernelAtStart);
            last = e;
            since = null;
            LOG.info(name + ": handshake load ended after " + seconds(e.length()) + ": " + cost(e));
        }
    }

    /** The start of the current load episode, or null when there is none. */
    public Instant underLoadSince() {
        return since;
    }

    /** The load section of {@code platoon show}. */
    public List<String> lines(Instant now) {
        HandshakeCounters hc = worker.counters();
        Instant s = since;
        Episode e = last;
        String state = s != null ? "yes, since " + CLOCK.format(s) + " (" + seconds(Duration.between(s, now)) + ")"
                : e == null ? "no (never)"
                : "no (last: " + CLOCK.format(e.start()) + " for " + seconds(e.length()) + ", " + cost(e) + ")";
        long rcvbuf = kernel.udpReceiveBufferDrops().getAsLong();
        long tun = kernel.tunTxDropped().getAsLong();
        return List.of(
                "load:",
                "  under handshake load: " + state,
                "  handshake queue: " + worker.pendingMessages() + " of " + HandshakeWorker.QUEUE_CAPACITY
                        + ", dropped when full: " + hc.drops(Drop.HANDSHAKE_QUEUE_FULL),
                "  cookie replies: " + hc.cookieRepliesSent.sum() + " sent, " + hc.cookiesReceived.sum() + " received, "
                        + hc.drops(Drop.COOKIE_REPLY_LIMITED) + " held back by their limits",
                "  kernel drops: UDP receive buffer " + known(rcvbuf) + ", tun queue (tx_dropped) " + known(tun));
    }

    private static String cost(Episode e) {
        return e.cookieReplies() + " cookie replies sent, " + e.queueFull() + " handshake messages dropped (queue full), "
                + (e.kernelDrops() < 0 ? "kernel drops unknown" : e.kernelDrops() + " datagrams dropped by the kernel");
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + " s";
    }

    private static String known(long v) {
        return v < 0 ? "unknown" : Long.toString(v);
    }
}
