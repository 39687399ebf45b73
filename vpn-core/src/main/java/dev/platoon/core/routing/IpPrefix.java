package dev.platoon.core.routing;

import dev.platoon.config.IpLiteral;

import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An IPv4 or IPv6 prefix ("CIDR"), canonical: host bits past {@code bits} are always zero, so two
 * prefixes that route the same addresses are equal.
 *
 * <p>The address is kept as a 128-bit number (IPv4 in the top 32 bits of {@code hi}) because that is
 * how the trie compares keys; {@link #address()} gives the {@link InetAddress} back.
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

    /** Parses {@code 10.0.0.0/8}, {@code fd00::/64}; a bare address means a host prefix (/32 or /128). */
    public static IpPrefix parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        // Never InetAddress.getByName: it resolves names, and it turns ::ffff:a.b.c.d into IPv4.
        InetAddress ia = IpLiteral.parse(addr);
        if (ia == null) {
            throw new IllegalArgumentException("not an IP address: '" + addr + "'");
        }
        int max = ia instanceof Inet6Address ? 128 : 32;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + t + "'");
            }
        }
        return of(ia, bits);
    }

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

    public InetAddress address() {
        byte[] b = new byte[ipv6 ? 16 : 4];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i < 8 ? hi >>> (56 - 8 * i) : lo >>> (56 - 8 * (i - 8)));
        }
        return IpLiteral.of(b); // an IPv4-mapped prefix stays IPv6 (InetAddress.getByAddress would not)
    }

    /** True if {@code address} (4 or 16 bytes) lies inside this prefix. */
    public boolean contains(InetAddress address) {
        if ((address instanceof Inet6Address) != ipv6) {
            return false;
        }
        IpPrefix host = of(address, ipv6 ? 128 : 32);
        return maskHi(host.hi, bits) == hi && maskLo(host.lo, bits) == lo;
    }

    static long maskHi(long hi, int bits) {
        return bits >= 64 ? hi : bits == 0 ? 0 : hi & (-1L << (64 - bits));
    }

    static long maskLo(long lo, int bits) {
        return bits <= 64 ? 0 : bits == 128 ? lo : lo & (-1L << (128 - bits));
    }

    @Override
    public String toString() {
        return IpLiteral.format(address()) + "/" + bits; // RFC 5952, as wg show prints it
    }

}
