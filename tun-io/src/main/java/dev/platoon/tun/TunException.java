package dev.platoon.tun;

import java.io.IOException;

/** A device or link failure, with a message of one line that names what and why. */
public final class TunException extends IOException {
    private final int errno;

    public TunException(String message) {
        this(message, 0);
    }

    public TunException(String message, int errno) {
        super(message);
        this.errno = errno;
    }

    /** The errno behind it, or 0. */
    public int errno() {
        return errno;
    }

    static String describe(int errno) {
        String s = LibC.strerror(errno);
        return s == null ? "errno " + errno : s;
    }
}
