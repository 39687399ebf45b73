package dev.platoon.core.handshake;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * One rate for a whole device, lock-free: the generic cell rate algorithm, a token bucket kept as the
 * single time at which the bucket would be full again. {@link #allow} may be called from every queue
 * loop at once; a lost race retries.
 */
final class RateBudget {
    private final LongSupplier nanoClock;
    private final long interval;
    private final long tolerance;
    private final AtomicLong fullAt;

    /** {@code perSecond} on average, {@code burst} at once after an idle spell. */
    RateBudget(LongSupplier nanoClock, int perSecond, int burst) {
        this.nanoClock = nanoClock;
        this.interval = 1_000_000_000L / perSecond;
        this.tolerance = interval * burst;
        this.fullAt = new AtomicLong(nanoClock.getAsLong());
    }

    /** True if one more event fits the rate now (and takes its place), false to refuse it. */
    boolean allow() {
        long now = nanoClock.getAsLong();
        while (true) {
            long full = fullAt.get();
            long next = Math.max(full, now) + interval;
            if (next - now > tolerance) {
                return false;
            }
            if (fullAt.compareAndSet(full, next)) {
                return true;
            }
        }
    }
}
