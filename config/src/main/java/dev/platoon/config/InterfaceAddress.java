package dev.platoon.config;

import java.net.InetAddress;
import java.util.Objects;

/**
 * An address of the interface itself (wg-quick's {@code Address}): the host address with the prefix
 * of its on-link network. Unlike {@link IpPrefix} the host bits are kept: {@code 10.0.0.7/24} stays.
 */
public record InterfaceAddress(InetAddress address, int prefix) {

    public InterfaceAddress {
        Objects.requireNonNull(address, "address");
        int max = IpLiteral.maxPrefix(address);
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException("prefix " + prefix + " is outside 0.." + max);
        }
    }

    /** Parses {@code address[/prefix]}; without a prefix, /32 or /128 (as wg-quick hands it to ip-address). */
    public static InterfaceAddress parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid IP address");
        }
        int max = IpLiteral.maxPrefix(address);
        if (slash < 0) {
            return new InterfaceAddress(address, max);
        }
        long prefix = Numbers.parseDecimal(text.substring(slash + 1));
        if (prefix < 0 || prefix > max) {
            throw new IllegalArgumentException(Quote.of(text) + " is not a valid address/prefix (prefix "
                    + (prefix < 0 ? "is not a number" : "> " + max) + ")");
        }
        return new InterfaceAddress(address, (int) prefix);
    }

    /** The network this address is on: {@code 10.0.0.7/24} gives {@code 10.0.0.0/24}. */
    public IpPrefix network() {
        return IpPrefix.of(address, prefix);
    }

    /** {@code 10.0.0.7/24}, {@code fd00:64::1/64}. */
    @Override
    public String toString() {
        return IpLiteral.format(address) + "/" + prefix;
    }
}
