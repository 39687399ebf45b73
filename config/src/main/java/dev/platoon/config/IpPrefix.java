package dev.platoon.config;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 network ("CIDR"): address and prefix length, canonical so the host bits past
 * {@code bits} are zero ({@code 10.0.0.7/24} becomes {@code 10.0.0.0/24}, as the kernel's and
 * wireguard-go's AllowedIPs do), so two prefixes naming the same network are equal. The configuration
 * files, the control socket and the routing trie all use this one type.
 *
 * <p>The address is kept as a 128-bit number (IPv4 in the top 32 bits of {@code hi}) because that is
 * how the routing trie compares keys, with no {@link InetAddress} per lookup; {@link #address()} gives
 * the {@link InetAddress} back. An IPv4-mapped IPv6 prefix stays IPv6.
 */
public record IpPrefix(boolean ipv6, long hi, long lo, int bits) {

    public IpPrefix {
        int max = ipv6 ? 128 : 32;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
        }
        if (!ipv6 && (lo != 0 || (hi & 0xffffffffL) != 0)) {
            throw new IllegalArgumentException("IPv4 prefix must live in the top 32 bits");
        }
        hi = maskHi(hi, bits);
        lo = maskLo(lo, bits);
    }

    /**
     * Parses {@code address[/prefix]}; without a prefix the whole address (/32 or /128) is meant, as in
     * wg(8). Only literals: a name is an error, never a DNS lookup.
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiteral.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid CIDR (bad address)");
        }
        int max = IpLiteral.maxPrefix(address);
        if (slash < 0) {
            return of(address, max);
        }
        long prefix = Numbers.parseDecimal(text.substring(slash + 1));
        if (prefix < 0) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid CIDR (bad prefix)");
        }
        if (prefix > max) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid CIDR (prefix > " + max + ")");
        }
        return of(address, (int) prefix);
    }

    /** The network of {@code address} with {@code bits} leading bits kept. */
    public static IpPrefix of(InetAddress address, int bits) {
        return of(address.getAddress(), bits);
    }

    /** From 4 or 16 raw address bytes (network order). */
    public static IpPrefix of(byte[] address, int bits) {
        if (address.length == 4) {
            long v = 0;
            for (int i = 0; i < 4; i++) {
                v = (v << 8) | (address[i] & 0xff);
            }
            return new IpPrefix(false, v << 32, 0, bits);
        }
        if (address.length == 16) {
            long h = 0, l = 0;
            for (int i = 0; i < 8; i++) {
                h = (h << 8) | (address[i] & 0xff);
                l = (l << 8) | (address[i + 8] & 0xff);
            }
            return new IpPrefix(true, h, l, bits);
        }
        throw new IllegalArgumentException("address must be 4 or 16 bytes, was " + address.length);
    }

    /** The network address (host bits zero); 16 bytes stay IPv6 even when IPv4-mapped. */
    public InetAddress address() {
        byte[] b = new byte[ipv6 ? 16 : 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
        }
        return IpLiteral.of(b);
    }

    /** True for an IPv4 network. */
    public boolean isIpv4() {
        return !ipv6;
    }

    /** True when {@code candidate} lies in this network (an IPv4 address is never in an IPv6 network). */
    public boolean contains(InetAddress candidate) {
        if ((candidate instanceof Inet6Address) != ipv6) {
            return false;
        }
        IpPrefix host = of(candidate, ipv6 ? 128 : 32);
        return maskHi(host.hi, bits) == hi && maskLo(host.lo, bits) == lo;
    }

    /** The top 64 address bits with everything past {@code bits} cleared. */
    public static long maskHi(long hi, int bits) {
        return bits >= 64 ? hi : bits == 0 ? 0 : hi & (-1L << (64 - bits));
    }

    /** The low 64 address bits with everything past {@code bits} cleared. */
    public static long maskLo(long lo, int bits) {
        return bits <= 64 ? 0 : bits == 128 ? lo : lo & (-1L << (128 - bits));
    }

    /** {@code 10.0.0.0/24}, {@code fd00:64::/64} (RFC 5952, as wg show prints it). */
    @Override
    public String toString() {
        return IpLiteral.format(address()) + "/" + bits;
    }
}
