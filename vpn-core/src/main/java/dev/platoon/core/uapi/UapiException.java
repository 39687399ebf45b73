package dev.platoon.core.uapi;

/**
 * A UAPI request that failed with an {@code errno=} code ({@link UapiErrno}) and a one-line reason.
 * Thrown by the parser for malformed requests, by {@link UapiDevice#apply} when the device refuses a
 * well-formed request (e.g. the listen port is in use), and by {@link UapiClient} when the server
 * answers with a non-zero errno. Messages never contain key material.
 */
public final class UapiException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int errno;

    public UapiException(int errno, String message) {
        super(message, null, false, false);
        if (errno == UapiErrno.OK) {
            throw new IllegalArgumentException("a UapiException needs a non-zero errno");
        }
        this.errno = errno;
    }

    /** The non-zero errno to answer with (negative, wireguard-go style). */
    public int errno() {
        return errno;
    }

    @Override
    public String toString() {
        return "UAPI error " + UapiErrno.name(errno) + " (" + errno + "): " + getMessage();
    }
}
