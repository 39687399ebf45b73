package dev.platoon.config;

import java.util.Objects;

/**
 * One problem in a configuration file.
 *
 * @param source  the display name of the file ({@code wg0.conf})
 * @param line    1-based line number, or 0 when the problem is not on one line (e.g. the file is unreadable)
 * @param message what is wrong, one line, never containing a private key
 */
public record ConfigError(String source, int line, String message) {
    public ConfigError {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(message, "message");
    }

    /** {@code wg0.conf:7: AllowedIPs: "10.0.0.0/33" is not a valid CIDR (prefix > 32)}. */
    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ": " + message : source + ": " + message;
    }
}
