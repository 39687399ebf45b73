package dev.platoon.core.device;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Walks of every peer and allowed IP in this process: a status render ({@code platoon show}), a
 * {@code get} snapshot ({@code wg show}, syncconf, SaveConfig). Each happens because someone asked; at
 * thousands of peers one costs milliseconds, so none may run on a timer. A test holds the count still
 * while an idle device runs.
 */
final class PeerWalks {
    private static final AtomicLong COUNT = new AtomicLong();

    private PeerWalks() {
    }

    static void walked() {
        COUNT.incrementAndGet();
    }

    static long count() {
        return COUNT.get();
    }
}
