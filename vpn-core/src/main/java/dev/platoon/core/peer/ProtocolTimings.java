package dev.platoon.core.peer;

import java.time.Duration;

/**
 * The protocol's timer constants for one device (WireGuard whitepaper §6.1). {@link #DEFAULT} has the
 * spec's values; tests and end-to-end runs may shorten them (e.g. rekey after 5 s) to watch a rekey
 * happen in seconds. Message-count limits are unsigned 64-bit numbers.
 */
public record ProtocolTimings(
        long rekeyAfterTimeNanos,
        long rejectAfterTimeNanos,
        long rekeyAttemptTimeNanos,
        long rekeyTimeoutNanos,
        long rekeyTimeoutJitterMaxNanos,
        long keepaliveTimeoutNanos,
        long rekeyAfterMessages,
        long rejectAfterMessages) {

    /** 2^60. */
    public static final long REKEY_AFTER_MESSAGES = 1L << 60;
    /** 2^64 − 2^13 − 1 as an unsigned long. */
    public static final long REJECT_AFTER_MESSAGES = 0xFFFF_FFFF_FFFF_DFFFL;

    public static final ProtocolTimings DEFAULT = new ProtocolTimings(
            Duration.ofSeconds(120).toNanos(),  // REKEY_AFTER_TIME
            Duration.ofSeconds(180).toNanos(),  // REJECT_AFTER_TIME
            Duration.ofSeconds(90).toNanos(),   // REKEY_ATTEMPT_TIME
            Duration.ofSeconds(5).toNanos(),    // REKEY_TIMEOUT
            Duration.ofMillis(333).toNanos(),   // jitter added to REKEY_TIMEOUT (wireguard-go: < 334 ms)
            Duration.ofSeconds(10).toNanos(),   // KEEPALIVE_TIMEOUT
            REKEY_AFTER_MESSAGES,
            REJECT_AFTER_MESSAGES);

    public ProtocolTimings {
        if (rekeyTimeoutNanos <= 0 || keepaliveTimeoutNanos <= 0 || rekeyAfterTimeNanos <= 0
                || rejectAfterTimeNanos <= rekeyAfterTimeNanos || rekeyAttemptTimeNanos < rekeyTimeoutNanos
                || rekeyTimeoutJitterMaxNanos < 0) {
            throw new IllegalArgumentException("inconsistent protocol timings: " + this);
        }
    }

    /** The defaults with a shorter REKEY_AFTER_TIME; REJECT_AFTER_TIME keeps the spec's 60 s margin. */
    public static ProtocolTimings withRekeyAfter(Duration rekeyAfter) {
        long r = rekeyAfter.toNanos();
        return new ProtocolTimings(r, r + Duration.ofSeconds(60).toNanos(), DEFAULT.rekeyAttemptTimeNanos,
                DEFAULT.rekeyTimeoutNanos, DEFAULT.rekeyTimeoutJitterMaxNanos, DEFAULT.keepaliveTimeoutNanos,
                DEFAULT.rekeyAfterMessages, DEFAULT.rejectAfterMessages);
    }

    /** Initiation retries before giving up (REKEY_ATTEMPT_TIME / REKEY_TIMEOUT = 18 by default). */
    public int maxTimerHandshakes() {
        return (int) (rekeyAttemptTimeNanos / rekeyTimeoutNanos);
    }

    /** All key material is erased after this long without a new handshake (3 × REJECT_AFTER_TIME). */
    public long zeroKeyMaterialAfterNanos() {
        return 3 * rejectAfterTimeNanos;
    }

    /** The initiator renews on receive once its key is this old, so it never meets REJECT_AFTER_TIME. */
    public long rekeyOnReceiveAgeNanos() {
        return rejectAfterTimeNanos - keepaliveTimeoutNanos - rekeyTimeoutNanos;
    }
}
