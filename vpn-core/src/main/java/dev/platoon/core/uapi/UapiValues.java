package dev.platoon.core.uapi;

import dev.platoon.config.IpLiteral;
import dev.platoon.config.IpPrefix;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;

/**
 * Strict parsing and canonical formatting of UAPI values: 32-byte keys in hex, unsigned numbers,
 * IP literals and endpoints. Nothing here resolves a host name: {@code wg} only ever sends literals.
 */
public final class UapiValues {
    /** Key length in bytes (Curve25519 keys and preshared keys). */
    public static final int KEY_LEN = 32;

    private static final HexFormat HEX = HexFormat.of();

    private UapiValues() {
    }

    /** 64 lowercase hex digits. */
    public static String keyToHex(byte[] key) {
        if (key.length != KEY_LEN) {
            throw new IllegalArgumentException("key must be 32 bytes");
        }
        return HEX.formatHex(key);
    }

    /** Exactly 64 hex digits (either case, like wireguard-go's hex.DecodeString) → 32 bytes. */
    public static byte[] hexToKey(String hex) {
        if (hex.length() != KEY_LEN * 2) {
            throw new IllegalArgumentException("expected 64 hex digits, got " + hex.length() + " characters");
        }
        for (int i = 0; i < hex.length(); i++) {
            char c = hex.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                throw new IllegalArgumentException("non-hex character at position " + i);
            }
        }
        return HEX.parseHex(hex);
    }

    /** True when every byte is zero (the "no key" / "remove key" value). */
    public static boolean isZero(byte[] key) {
        int acc = 0;
        for (byte b : key) {
            acc |= b; // no early exit: keys are secrets
        }
        return acc == 0;
    }

    static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** A decimal number in {@code 0..max} (digits only, as Go's ParseUint). */
    public static long parseUnsigned(String text, long max) {
        if (text.isEmpty() || text.length() > 19 || !allDigits(text)) {
            throw new IllegalArgumentException("not a decimal number");
        }
        long v = Long.parseLong(text);
        if (v > max) {
            throw new IllegalArgumentException("out of range 0.." + max);
        }
        return v;
    }

    /** Four decimal octets without leading zeros, like Go's netip (no "1.2", no "010.0.0.1"). */
    /**
     * Parses an allowed-IPs {@code address/bits} strictly: a dotted-quad IPv4 address or an IPv6 literal
     * without a zone, and a decimal length (the control socket has no bare-address shorthand).
     */
    static IpPrefix parsePrefix(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("missing /length");
        }
        String host = text.substring(0, slash);
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !allDigits(len)) {
            throw new IllegalArgumentException("bad prefix length");
        }
        InetAddress address = host.indexOf(':') >= 0 ? parseIpv6(host, false) : parseIpv4(host);
        return IpPrefix.of(address, Integer.parseInt(len));
    }

    static Inet4Address parseIpv4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == '.') {
                String octet = s.substring(start, i);
                if (part > 3 || octet.isEmpty() || octet.length() > 3 || !allDigits(octet)
                        || (octet.length() > 1 && octet.charAt(0) == '0')) {
                    throw new IllegalArgumentException("bad IPv4 address");
                }
                int v = Integer.parseInt(octet);
                if (v > 255) {
                    throw new IllegalArgumentException("bad IPv4 address");
                }
                out[part++] = (byte) v;
                start = i + 1;
            }
        }
        if (part != 4) {
            throw new IllegalArgumentException("bad IPv4 address");
        }
        try {
            return (Inet4Address) InetAddress.getByAddress(out);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * An IPv6 literal. An IPv4-mapped address stays an {@link Inet6Address} (the JDK would turn it
     * into IPv4, but WireGuard keeps the families apart). A zone ({@code %eth0}) only if allowed.
     */
    static Inet6Address parseIpv6(String s, boolean allowZone) {
        if (!allowZone && s.indexOf('%') >= 0) {
            throw new IllegalArgumentException("zone not allowed here");
        }
        if (s.isEmpty() || s.length() > 64 || s.indexOf(':') < 0) {
            throw new IllegalArgumentException("bad IPv6 address");
        }
        InetAddress a = Inet6Address.ofLiteral(s); // IllegalArgumentException when not a literal
        if (a instanceof Inet6Address v6) {
            return v6;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(a.getAddress(), 0, mapped, 12, 4);
        try {
            return Inet6Address.getByAddress(null, mapped, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** {@code 192.0.2.9:51820} or {@code [2001:db8::1]:51820} (zone allowed), port 0..65535. */
    public static InetSocketAddress parseEndpoint(String text) {
        String host;
        String port;
        InetAddress address;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [address]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
            address = parseIpv6(host, true);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException("expected address:port");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
            if (host.indexOf(':') >= 0) {
                throw new IllegalArgumentException("an IPv6 endpoint needs brackets: [address]:port");
            }
            address = parseIpv4(host);
        }
        return new InetSocketAddress(address, (int) parseUnsigned(port, 0xffff));
    }

    /** The inverse of {@link #parseEndpoint}. */
    public static String formatEndpoint(InetSocketAddress endpoint) {
        InetAddress a = endpoint.getAddress();
        if (a == null) {
            throw new IllegalArgumentException("unresolved endpoint");
        }
        String host = formatAddress(a);
        return (a instanceof Inet6Address ? "[" + host + "]" : host) + ":" + endpoint.getPort();
    }

    /** Dotted quad, or RFC 5952 IPv6 (lowercase, longest zero run as {@code ::}), plus {@code %zone}. */
    public static String formatAddress(InetAddress a) {
        String text = IpLiteral.format(a);
        if (!(a instanceof Inet6Address v6)) {
            return text;
        }
        if (v6.getScopedInterface() != null) {
            return text + '%' + v6.getScopedInterface().getName();
        }
        return v6.getScopeId() != 0 ? text + '%' + v6.getScopeId() : text;
    }


    /** A value quoted for an error message: printable ASCII only, at most 64 characters. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < value.length() && i < 64; i++) {
            char c = value.charAt(i);
            sb.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return sb.append(value.length() > 64 ? "...\"" : "\"").toString();
    }
}
