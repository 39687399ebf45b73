package dev.platoon.core.uapi;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An allowed-IPs prefix such as {@code 100.64.0.9/32} or {@code fd00:64::/64}. The host bits are
 * cleared on construction, as the kernel and wireguard-go do when they insert a prefix, so two
 * prefixes naming the same network are equal and {@code wg} shows the network form.
 *
 * @param address an {@link Inet4Address} or {@link Inet6Address} (an IPv4-mapped IPv6 address stays
 *                IPv6 with up to 128 bits); host bits cleared
 * @param bits    0..32 for IPv4, 0..128 for IPv6
 */
public record IpPrefix(InetAddress address, int bits) {

    public IpPrefix {
        int max = address.getAddress().length * 8;
        if (bits < 0 || bits > max) {
            throw new IllegalArgumentException("prefix length " + bits + " out of range 0.." + max);
        }
        address = masked(address, bits);
    }

    /** IPv4 or IPv6. */
    public boolean isIpv4() {
        return address.getAddress().length == 4;
    }

    /**
     * Parses {@code address/bits} strictly: a dotted-quad IPv4 address or an IPv6 literal without a
     * zone, and a decimal length. Never resolves names.
     */
    public static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("missing /length");
        }
        String host = text.substring(0, slash);
        String len = text.substring(slash + 1);
        if (len.isEmpty() || len.length() > 3 || !UapiValues.allDigits(len)) {
            throw new IllegalArgumentException("bad prefix length");
        }
        InetAddress address = host.indexOf(':') >= 0 ? UapiValues.parseIpv6(host, false) : UapiValues.parseIpv4(host);
        return new IpPrefix(address, Integer.parseInt(len));
    }

    /** {@code 100.64.0.0/24}, {@code fd00:64::/64} (RFC 5952 form). */
    @Override
    public String toString() {
        return UapiValues.formatAddress(address) + "/" + bits;
    }

    private static InetAddress masked(InetAddress address, int bits) {
        byte[] raw = address.getAddress();
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            out[i] &= (byte) (0xff00 >>> keep);
        }
        if (Arrays.equals(raw, out) && (raw.length == 4 || ((Inet6Address) address).getScopeId() == 0)) {
            return address;
        }
        try {
            return raw.length == 4 ? InetAddress.getByAddress(out) : Inet6Address.getByAddress(null, out, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e); // length is always 4 or 16
        }
    }
}
