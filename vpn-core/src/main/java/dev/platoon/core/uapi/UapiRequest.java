package dev.platoon.core.uapi;

import java.util.List;

/** One framed request read from the socket by {@link UapiFrameDecoder}. */
sealed interface UapiRequest {

    /** {@code get=1\n\n}. */
    record Get() implements UapiRequest {
    }

    /** {@code show=1\n\n}: platoon's status text ({@link UapiText#SHOW}). */
    record Show() implements UapiRequest {
    }

    /** {@code set=1\n} + these lines + {@code \n}; not yet parsed. */
    record Set(List<String> lines) implements UapiRequest {
    }

    /**
     * Framing failed (unknown operation, line or request too long, junk after {@code get=1}):
     * answer with this errno and close, since the stream cannot be resynchronised.
     */
    record Malformed(int errno, String reason) implements UapiRequest {
    }
}
