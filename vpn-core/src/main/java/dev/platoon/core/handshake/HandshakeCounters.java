package dev.platoon.core.handshake;

import dev.platoon.core.peer.NamedDropCounts;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.platoon.crypto.HandshakeException;

/**
 * Device-wide handshake statistics: what the worker sent, and every handshake message it refused,
 * by reason (snake_case, the {@code reason} label of {@code platoon_drops_total}).
 */
public final class HandshakeCounters {
    public static final String QUEUE_FULL = "handshake_queue_full";
    public static final String BAD_SIZE = "handshake_bad_size";
    public static final String BAD_TYPE = "handshake_bad_type";
    public static final String INVALID_MAC1 = "invalid_mac1";
    public static final String RATE_LIMITED = "handshake_rate_limited";
    /** Under load, a message without a cookie whose source (or the device) had its cookie replies for now. */
    public static final String COOKIE_REPLY_LIMITED = "cookie_reply_limited";
    public static final String UNKNOWN_PEER = "unknown_peer";
    public static final String UNKNOWN_INDEX = "unknown_index";
    public static final String INVALID_COOKIE_REPLY = "invalid_cookie_reply";
    public static final String INITIATION_FLOOD = "initiation_flood";
    public static final String NO_ENDPOINT = "no_endpoint";

    public final LongAdder initiationsSent = new LongAdder();
    public final LongAdder responsesSent = new LongAdder();
    public final LongAdder cookieRepliesSent = new LongAdder();
    public final LongAdder cookiesReceived = new LongAdder();

    private final NamedDropCounts drops = new NamedDropCounts();

    public void drop(String reason) {
        drops.add(reason, 1);
    }

    /** A message crypto refused: counted as "handshake_" + the reason in lower case. */
    void refused(HandshakeException e) {
        drop("handshake_" + e.reason().name().toLowerCase(Locale.ROOT));
    }

    public long drops(String reason) {
        return drops.sum(reason);
    }

    public Map<String, Long> dropsSnapshot() {
        return drops.snapshot();
    }
}
