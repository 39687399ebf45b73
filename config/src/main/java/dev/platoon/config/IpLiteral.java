package dev.platoon.config;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Strict IPv4/IPv6 literal parsing and RFC 5952 formatting. {@link #parse}, {@link #of} and
 * {@link #format} are public: vpn-core reads and prints addresses (routes, the control socket) with them.
 *
 * <p>WHY our own: {@code InetAddress.getByName} falls back to a DNS lookup for anything that is not
 * a literal, and the configuration model must never resolve names (that is the caller's job, and a
 * parser that blocks on DNS is a parser that hangs). Like inet_pton, IPv4 octets are plain decimal
 * without leading zeros, and IPv6 allows one "::" and a trailing dotted IPv4 part.
 */
public final class IpLiteral {
    private IpLiteral() {}

    /** Parses an IPv4 or IPv6 literal, or returns null when {@code text} is not one. */
    public static InetAddress parse(String text) {
        byte[] bytes = text.indexOf(':') >= 0 ? parse6(text) : parse4(text);
        return bytes == null ? null : of(bytes);
    }

    /** An address from 4 or 16 bytes; 16 bytes stay IPv6 even when IPv4-mapped. */
    public static InetAddress of(byte[] bytes) {
        try {
            // Inet6Address.getByAddress keeps an IPv4-mapped address as IPv6 (InetAddress.getByAddress would not).
            return bytes.length == 4 ? InetAddress.getByAddress(bytes) : Inet6Address.getByAddress(null, bytes, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // only thrown for a wrong array length
        }
    }

    /** True when {@code text} has only the characters an IP literal can have (so it is not a name). */
    static boolean looksLikeIp(String text) {
        if (text.isEmpty()) {
            return false;
        }
        if (text.indexOf(':') >= 0) {
            return true;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '.' && (c < '0' || c > '9')) {
                return false;
            }
        }
        return true;
    }

    static byte[] parse4(String s) {
        byte[] out = new byte[4];
        int part = 0;
        int i = 0;
        int n = s.length();
        while (true) {
            int start = i;
            int value = 0;
            while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                value = value * 10 + (s.charAt(i) - '0');
                i++;
                if (i - start > 3) {
                    return null;
                }
            }
            int digits = i - start;
            if (digits == 0 || value > 255 || (digits > 1 && s.charAt(start) == '0') || part == 4) {
                return null;
            }
            out[part++] = (byte) value;
            if (i == n) {
                return part == 4 ? out : null;
            }
            if (s.charAt(i) != '.') {
                return null;
            }
            i++;
        }
    }

    static byte[] parse6(String s) {
        int[] groups = new int[8];
        int count = 0;
        int gap = -1; // index in groups where "::" stands
        int n = s.length();
        int i = 0;
        if (s.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) {
                return new byte[16];
            }
        } else if (s.startsWith(":")) {
            return null;
        }
        while (i < n) {
            int start = i;
            while (i < n && hex(s.charAt(i)) >= 0) {
                i++;
            }
            if (i < n && s.charAt(i) == '.') {
                // Dotted IPv4 tail: takes the last two groups.
                byte[] v4 = count <= 6 ? parse4(s.substring(start)) : null;
                if (v4 == null) {
                    return null;
                }
                groups[count++] = ((v4[0] & 0xff) << 8) | (v4[1] & 0xff);
                groups[count++] = ((v4[2] & 0xff) << 8) | (v4[3] & 0xff);
                i = n;
                break;
            }
            int digits = i - start;
            if (digits == 0 || digits > 4 || count == 8) {
                return null;
            }
            int value = 0;
            for (int k = start; k < i; k++) {
                value = (value << 4) | hex(s.charAt(k));
            }
            groups[count++] = value;
            if (i == n) {
                break;
            }
            if (s.charAt(i) != ':') {
                return null;
            }
            i++;
            if (i < n && s.charAt(i) == ':') {
                if (gap >= 0) {
                    return null;
                }
                gap = count;
                i++;
                if (i == n) {
                    break;
                }
            } else if (i == n) {
                return null; // trailing single ':'
            }
        }
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        int[] full = new int[8];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, 8 - tail, tail);
        }
        byte[] out = new byte[16];
        for (int g = 0; g < 8; g++) {
            out[2 * g] = (byte) (full[g] >>> 8);
            out[2 * g + 1] = (byte) full[g];
        }
        return out;
    }

    /** The canonical text of an address: dotted quad, or RFC 5952 (lowercase, longest zero run as "::"). */
    public static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1; // RFC 5952 4.2.2: a single zero group is not shortened
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }

    /** ASCII hex digit value, or -1 (Character.digit would also take non-ASCII digits). */
    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    static int maxPrefix(InetAddress address) {
        return address instanceof Inet4Address ? 32 : 128;
    }
}
