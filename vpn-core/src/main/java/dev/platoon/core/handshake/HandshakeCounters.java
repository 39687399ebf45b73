package dev.platoon.core.handshake;

import dev.platoon.core.drop.Drop;
import dev.platoon.core.drop.DropCounts;

import java.util.concurrent.atomic.LongAdder;

import dev.platoon.crypto.HandshakeException;

/**
 * Device-wide handshake statistics: what the worker sent, and every handshake message it refused,
 * by the registry's reason ({@link Drop}).
 */
public final class HandshakeCounters {
    public final LongAdder initiationsSent = new LongAdder();
    public final LongAdder responsesSent = new LongAdder();
    public final LongAdder cookieRepliesSent = new LongAdder();
    public final LongAdder cookiesReceived = new LongAdder();

    private final DropCounts drops = new DropCounts();

    public void drop(Drop reason) {
        drops.add(reason);
    }

    /** A message crypto refused, counted under the registry's name for its reason. */
    void refused(HandshakeException e) {
        drop(Drop.refused(e.reason()));
    }

    public long drops(Drop reason) {
        return drops.sum(reason);
    }
}
