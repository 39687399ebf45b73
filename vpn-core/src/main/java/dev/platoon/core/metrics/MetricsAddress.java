package dev.platoon.core.metrics;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Where {@code /metrics} is served: {@code PORT}, {@code :PORT}, {@code HOST:PORT} or {@code [IPV6]:PORT}.
 * Without a host it is loopback (127.0.0.1): metrics are only exposed further when asked for.
 */
public record MetricsAddress(String host, int port) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    /** The environment variable read when {@code --metrics} is not given. */
    public static final String ENV = "PLATOON_METRICS";

    /** Parses the option's value; throws IllegalArgumentException with one line naming the problem. */
    public static MetricsAddress parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("metrics address is empty (expected [HOST:]PORT)");
        }
        String s = spec.strip();
        String host;
        String port;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("metrics address '" + spec + "': expected [IPV6]:PORT");
            }
            host = s.substring(1, close);
            port = s.substring(close + 2);
        } else {
            int colon = s.lastIndexOf(':');
            if (colon >= 0 && s.indexOf(':') != colon) {
                throw new IllegalArgumentException("metrics address '" + spec
                        + "': write an IPv6 host in brackets, [" + s.substring(0, colon) + "]:PORT");
            }
            host = colon < 0 ? "" : s.substring(0, colon);
            port = colon < 0 ? s : s.substring(colon + 1);
        }
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("metrics address '" + spec + "': port must be 1-65535, not '"
                    + port + "'");
        }
        return new MetricsAddress(host.isEmpty() ? DEFAULT_HOST : host, p);
    }

    /** {@code --metrics} if given, else {@code PLATOON_METRICS} if set, else null (metrics off). */
    public static MetricsAddress fromOptionOrEnv(String option, String env) {
        if (option != null) {
            return parse(option);
        }
        return env == null || env.isBlank() ? null : parse(env);
    }

    public InetSocketAddress resolve() throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByName(host), port);
    }

    /** The form {@link #parse} reads back (passed on to the detached child). */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
