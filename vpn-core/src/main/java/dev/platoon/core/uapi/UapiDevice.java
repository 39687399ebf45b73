package dev.platoon.core.uapi;

/**
 * What the control socket needs from a device. Implemented by the device; called by
 * {@link UapiServer} on its request executor (never on a Netty event loop), so both methods may
 * block briefly (take a lock, rebind a socket). With the server's default executor calls are
 * serialised; with an executor of your own they may run concurrently and must be thread-safe.
 */
public interface UapiDevice {

    /**
     * One consistent view of the interface and its peers for {@code get=1} (take it under the
     * device's configuration lock so a concurrent {@code apply} is seen entirely or not at all).
     */
    UapiSnapshot snapshot();

    /**
     * Applies a parsed, syntactically valid {@code set=1} request transactionally: either every
     * change takes effect, or — when the device cannot carry one out — none does and a
     * {@link UapiException} with the errno to report is thrown (e.g. {@link UapiErrno#PORT_IN_USE}
     * when the new listen port cannot be bound, {@link UapiErrno#INVALID} for a value the device
     * refuses). Any other exception is reported as {@link UapiErrno#UNKNOWN}.
     */
    void apply(UapiSetRequest request) throws UapiException;

    /**
     * The answer to {@code show=1}: what {@code platoon show} prints, rendered now (nothing renders it
     * ahead of a reader). Null when the device has no such text (the request is then refused).
     */
    default String status() {
        return null;
    }
}
