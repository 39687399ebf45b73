package dev.platoon.core.handshake;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token bucket per source address for handshake messages while the device is under load, as
 * wireguard-go's ratelimiter: 20 packets per second, a burst of 5 (other limits for cookie replies). Tokens are nanoseconds of credit;
 * a packet costs 1 s / rate.
 *
 * <p>The queue loops call {@link #allow} (see {@link HandshakeAdmission}); it is thread-safe with a
 * lock per source, uncontended because one source's datagrams reach one loop. Idle entries (no packet for a second, i.e. the bucket would be full again) are
 * dropped by a sweep that {@code allow} runs at most once a second, so no extra thread is needed.
 * The table is bounded: a flood of spoofed sources cannot grow it past {@link #MAX_ENTRIES}; new
 * sources are refused while it is full (the kernel's ratelimiter does the same).
 */
public final class RateLimiter {
    public static final int PACKETS_PER_SECOND = 20;
    public static final int PACKETS_BURSTABLE = 5;
    public static final int MAX_ENTRIES = 65_536;
    static final long PACKET_COST = 1_000_000_000L / PACKETS_PER_SECOND;
    static final long GARBAGE_COLLECT_NANOS = 1_000_000_000L;

    private static final class Bucket {
        long lastNanos;
        long tokens;
    }

    private final LongSupplier nanoTime;
    private final long packetCost;
    private final long maxTokens;
    private final ConcurrentHashMap<InetAddress, Bucket> table = new ConcurrentHashMap<>();
    private volatile long lastSweep;

    /** wireguard-go's limits: {@link #PACKETS_PER_SECOND}, a burst of {@link #PACKETS_BURSTABLE}. */
    public RateLimiter(LongSupplier nanoTime) {
        this(nanoTime, PACKETS_PER_SECOND, PACKETS_BURSTABLE);
    }

    public RateLimiter(LongSupplier nanoTime, int packetsPerSecond, int burst) {
        this.nanoTime = nanoTime;
        this.packetCost = 1_000_000_000L / packetsPerSecond;
        this.maxTokens = packetCost * burst;
        this.lastSweep = nanoTime.getAsLong();
    }

    /** True if a handshake message from {@code source} may be processed now (and charges for it). */
    public boolean allow(InetAddress source) {
        long now = nanoTime.getAsLong();
        if (now - lastSweep > GARBAGE_COLLECT_NANOS) {
            cleanup(now);
        }
        Bucket b = table.get(source);
        if (b == null) {
            if (table.size() >= MAX_ENTRIES) {
                return false;
            }
            Bucket fresh = new Bucket();
            fresh.lastNanos = now;
            fresh.tokens = maxTokens - packetCost;
            b = table.putIfAbsent(source, fresh);
            if (b == null) {
                return true;
            }
        }
        synchronized (b) {
            b.tokens = Math.min(maxTokens, b.tokens + Math.max(0, now - b.lastNanos));
            b.lastNanos = now;
            // ">=" as the kernel does: with a frozen clock exactly PACKETS_BURSTABLE pass, which is
            // what wireguard-go's test expects (its own ">" relies on the clock moving between calls).
            if (b.tokens >= packetCost) {
                b.tokens -= packetCost;
                return true;
            }
            return false;
        }
    }

    /** Forgets sources idle for more than a second: their bucket would be full again anyway. */
    public void cleanup(long nowNanos) {
        lastSweep = nowNanos;
        table.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return nowNanos - e.getValue().lastNanos > GARBAGE_COLLECT_NANOS;
            }
        });
    }

    /** Number of tracked sources (for tests and metrics). */
    public int size() {
        return table.size();
    }
}
