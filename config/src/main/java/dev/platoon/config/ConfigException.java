package dev.platoon.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration file that cannot be used. A file with any error gives no configuration at all.
 *
 * <p>{@link #getMessage()} is exactly one line, the first error in file order, ready to show a user:
 * {@code wg0.conf:7: AllowedIPs: "10.0.0.0/33" is not a valid CIDR (prefix > 32)}. All errors found
 * are in {@link #errors()} (and {@link #allMessages()}, one per line).
 */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.isEmpty() ? "invalid configuration" : errors.getFirst().toString(), null, false, false);
        this.errors = List.copyOf(errors);
    }

    public ConfigException(ConfigError error) {
        this(List.of(error));
    }

    /** Every error found, in file order; never empty. */
    public List<ConfigError> errors() {
        return errors;
    }

    /** All errors, one per line (the first line is {@link #getMessage()}). */
    public String allMessages() {
        return errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n"));
    }
}
