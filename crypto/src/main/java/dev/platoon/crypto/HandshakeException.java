package dev.platoon.crypto;

/**
 * A refused handshake message. Carries a {@link Reason} for the drop counter and a one-line message
 * for the log; it has no stack trace (it is an expected outcome of bad input, not a bug).
 */
public final class HandshakeException extends Exception {
    public enum Reason {
        /** Wrong length or type byte. */
        MALFORMED,
        /** An AEAD field did not authenticate (tampered message, or encrypted for another key). */
        DECRYPTION_FAILED,
        /** A Curve25519 result was all zero (low-order point). */
        ZERO_SHARED_SECRET,
        /** The initiation came from a static key other than this peer's. */
        WRONG_STATIC_KEY,
        /** TAI64N timestamp not greater than the greatest one seen from this peer. */
        REPLAYED_TIMESTAMP,
        /** The response names a receiver index that is not our pending initiation's. */
        WRONG_RECEIVER_INDEX,
        /** The call does not fit the handshake's state (e.g. a response without an initiation). */
        UNEXPECTED_STATE
    }

    private final Reason reason;

    public HandshakeException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
