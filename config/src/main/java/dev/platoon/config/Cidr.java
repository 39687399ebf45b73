package dev.platoon.config;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An IPv4 or IPv6 network: address and prefix length, normalised so the host bits are zero
 * ({@code 10.0.0.7/24} becomes {@code 10.0.0.0/24}, as the kernel's AllowedIPs do).
 */
public record Cidr(InetAddress address, int prefix) {

    public Cidr {
        Objects.requireNonNull(address, "address");
        int max = IpLiteral.maxPrefix(address);
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix " + prefix + " is outside 0.." + max);
        }
        address = mask(address, prefix);
    }

    /**
     * Parses {@code address[/prefix]}; without a prefix the whole address (/32 or /128) is meant, as in
     * wg(8). Only literals: a name is an error, never a DNS lookup.
     */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        String addressText = slash < 0 ? text : text.substring(0, slash);
        InetAddress address = IpLiteral.parse(addressText);
        if (address == null) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid CIDR (bad address)");
        }
        int max = IpLiteral.maxPrefix(address);
        if (slash < 0) {
            return new Cidr(address, max);
        }
        long prefix = Numbers.parseDecimal(text.substring(slash + 1));
        if (prefix < 0) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid CIDR (bad prefix)");
        }
        if (prefix > max) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid CIDR (prefix > " + max + ")");
        }
        return new Cidr(address, (int) prefix);
    }

    /** True when {@code candidate} lies in this network (an IPv4 address is never in an IPv6 network). */
    public boolean contains(InetAddress candidate) {
        if (IpLiteral.maxPrefix(candidate) != IpLiteral.maxPrefix(address)) {
            return false;
        }
        return mask(candidate, prefix).equals(address);
    }

    /** True for an IPv4 network. */
    public boolean isIpv4() {
        return IpLiteral.maxPrefix(address) == 32;
    }

    /** {@code 10.0.0.0/24}, {@code fd00:64::/64}. */
    @Override
    public String toString() {
        return IpLiteral.format(address) + "/" + prefix;
    }

    static InetAddress mask(InetAddress address, int prefix) {
        byte[] b = address.getAddress();
        boolean changed = false;
        for (int i = 0; i < b.length; i++) {
            int keep = Math.clamp(prefix - 8L * i, 0, 8);
            byte masked = (byte) (b[i] & (0xff00 >>> keep));
            changed |= masked != b[i];
            b[i] = masked;
        }
        if (!changed) {
            return address;
        }
        return IpLiteral.of(b);
    }
}
