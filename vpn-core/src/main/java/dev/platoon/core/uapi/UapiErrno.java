package dev.platoon.core.uapi;

/**
 * The {@code errno=} values a UAPI server answers with. They are wireguard-go's (ipc/uapi_unix.go):
 * negated Linux errno numbers, because {@code wg} negates the value it reads after a {@code set}
 * and reports {@code strerror} of the result ({@code errno=-22} → "Invalid argument").
 */
public final class UapiErrno {
    /** Success. */
    public static final int OK = 0;
    /** -EIO: reading or writing the socket failed, or a line/request was longer than allowed. */
    public static final int IO = -5;
    /** -EINVAL: an unknown key, or a value that does not parse. */
    public static final int INVALID = -22;
    /** -ENOANO: wireguard-go's "other error" code, used for unexpected failures inside the device. */
    public static final int UNKNOWN = -55;
    /** -EPROTO: a line that is not {@code key=value}. */
    public static final int PROTOCOL = -71;
    /** -EADDRINUSE: the listen port (or fwmark on its socket) could not be applied. */
    public static final int PORT_IN_USE = -98;

    private UapiErrno() {
    }

    /** A short name for logs ("EINVAL"), or the number. */
    public static String name(int errno) {
        return switch (errno) {
            case OK -> "OK";
            case IO -> "EIO";
            case INVALID -> "EINVAL";
            case UNKNOWN -> "ENOANO";
            case PROTOCOL -> "EPROTO";
            case PORT_IN_USE -> "EADDRINUSE";
            default -> Integer.toString(errno);
        };
    }
}
