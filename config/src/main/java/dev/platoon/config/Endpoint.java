package dev.platoon.config;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A peer's endpoint as written in the file: a host and a UDP port. The host is an IP literal (kept
 * in canonical text) or a host name, which stays unresolved: resolving it, and when, is the
 * caller's decision.
 */
public record Endpoint(String host, int port) {

    public Endpoint {
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
        InetAddress literal = IpLiteral.parse(host);
        if (literal != null) {
            host = IpLiteral.format(literal);
        } else if (!isHostName(host)) {
            throw new IllegalArgumentException(Quote.of(host) + " is neither an IP address nor a host name");
        }
    }

    /** Parses {@code host:port}, {@code [ipv6]:port} or {@code name:port}. */
    public static Endpoint parse(String text) {
        String host;
        String portText;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException(Quote.of(text) + " is not a valid endpoint (expected [address]:port)");
            }
            host = text.substring(1, close);
            portText = text.substring(close + 2);
            if (IpLiteral.parse6(host) == null) {
                throw new IllegalArgumentException(Quote.of(text) + " is not a valid endpoint (bad IPv6 address)");
            }
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(Quote.of(text) + " is not a valid endpoint (missing :port)");
            }
            host = text.substring(0, colon);
            portText = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException(Quote.of(text)
                        + " is not a valid endpoint (write an IPv6 address as [address]:port)");
            }
            if (IpLiteral.looksLikeIp(host) && IpLiteral.parse(host) == null) {
                throw new IllegalArgumentException(Quote.of(text) + " is not a valid endpoint (bad IPv4 address)");
            }
            if (IpLiteral.parse(host) == null && !isHostName(host)) {
                throw new IllegalArgumentException(Quote.of(text) + " is not a valid endpoint (bad host name)");
            }
        }
        long port = Numbers.parseDecimal(portText);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid endpoint (port "
                    + (port < 0 ? "is not a number" : "out of range 1..65535") + ")");
        }
        return new Endpoint(host, (int) port);
    }

    /** The address when the host is an IP literal; empty for a host name (which this never resolves). */
    public Optional<InetAddress> literalAddress() {
        return Optional.ofNullable(IpLiteral.parse(host));
    }

    /** True when the host is a name that needs resolving. */
    public boolean isHostName() {
        return IpLiteral.parse(host) == null;
    }

    /** {@code 192.0.2.1:51820}, {@code [fd00:64::1]:51820}, {@code vpn.example.com:51820}. */
    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** RFC 1123 host name: dot-separated labels of letters, digits, '-' (and '_', seen in the wild). */
    static boolean isHostName(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        if (n.isEmpty() || n.length() > 253) {
            return false;
        }
        for (String label : n.split("\\.", -1)) {
            if (label.isEmpty() || label.length() > 63 || label.startsWith("-") || label.endsWith("-")) {
                return false;
            }
            for (int i = 0; i < label.length(); i++) {
                char c = label.charAt(i);
                boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || c == '-' || c == '_';
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }
}
