package dev.platoon.core.cli;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.InterfaceAddress;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.WgConfig;

/**
 * A new client's tunnel addresses, taken from the server interface's own subnets: the lowest host
 * number that no interface address and no peer's AllowedIPs hold, as /32 in the first IPv4 subnet and
 * the same host number as /128 in the first IPv6 one (100.64.0.7 and fd00:64::7), so the two stay in
 * step. A peer's prefix wider than the subnet (a site behind it, 0.0.0.0/0) does not count as taking
 * every address.
 */
final class PeerAddresses {
    /** How far an IPv6-only subnet is searched; a server with more clients names their addresses. */
    static final int MAX_HOSTS = 1 << 16;

    private PeerAddresses() {
    }

    /** The next free addresses; one line of IllegalArgumentException when there is no room or no subnet. */
    static List<IpPrefix> next(WgConfig server, String file) {
        Optional<InterfaceAddress> v4 = first(server, true);
        Optional<InterfaceAddress> v6 = first(server, false);
        if (v4.isEmpty() && v6.isEmpty()) {
            throw new IllegalArgumentException(file + " has no Address to take a client's tunnel address from;"
                    + " give one with --address");
        }
        InterfaceAddress lead = v4.isPresent() ? v4.get() : v6.get();
        BigInteger size = BigInteger.ONE.shiftLeft(bits(lead) - lead.prefix());
        long hosts = size.min(BigInteger.valueOf(MAX_HOSTS)).longValue();
        for (long n = 1; n < hosts - (v4.isPresent() ? 1 : 0); n++) { // not the network, not broadcast
            IpPrefix a = host(lead, n);
            Optional<IpPrefix> b = v4.isPresent() && v6.isPresent() ? Optional.of(host(v6.get(), n)) : Optional.empty();
            if (free(server, a) && b.map(x -> free(server, x)).orElse(true)) {
                List<IpPrefix> out = new ArrayList<>(List.of(a));
                b.ifPresent(out::add);
                return out;
            }
        }
        throw new IllegalArgumentException(file + ": no free address left in " + lead.network()
                + "; give one with --address");
    }

    /** {@code --address A[,B]}: host addresses (a prefix length given is ignored) that no one holds yet. */
    static List<IpPrefix> given(WgConfig server, String text) {
        List<IpPrefix> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.strip();
            IpPrefix c;
            try {
                c = IpPrefix.parse(p.contains("/") ? p.substring(0, p.indexOf('/')) : p);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--address: " + e.getMessage());
            }
            if (!free(server, c)) {
                throw new IllegalArgumentException("--address: " + c + " is already the interface's or a peer's");
            }
            out.add(c);
        }
        return out;
    }

    static boolean free(WgConfig server, IpPrefix candidate) {
        for (InterfaceAddress a : server.iface().addresses()) {
            if (a.address().equals(candidate.address())) {
                return false;
            }
        }
        for (PeerConfig p : server.peers()) {
            for (IpPrefix c : p.allowedIps()) {
                if (c.isIpv4() == candidate.isIpv4() && c.bits() >= subnetPrefix(server, c.isIpv4())
                        && (c.contains(candidate.address()) || candidate.contains(c.address()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static int subnetPrefix(WgConfig server, boolean ipv4) {
        return first(server, ipv4).map(InterfaceAddress::prefix).orElse(0);
    }

    private static Optional<InterfaceAddress> first(WgConfig server, boolean ipv4) {
        return server.iface().addresses().stream()
                .filter(a -> (a.address() instanceof Inet4Address) == ipv4 && a.prefix() < bits(a) - 1)
                .findFirst();
    }

    private static int bits(InterfaceAddress a) {
        return a.address() instanceof Inet4Address ? 32 : 128;
    }

    private static IpPrefix host(InterfaceAddress subnet, long n) {
        byte[] net = subnet.network().address().getAddress();
        BigInteger value = new BigInteger(1, net).add(BigInteger.valueOf(n));
        byte[] raw = value.toByteArray();
        byte[] out = new byte[net.length];
        int copy = Math.min(raw.length, out.length);
        System.arraycopy(raw, raw.length - copy, out, out.length - copy, copy);
        try {
            return IpPrefix.of(InetAddress.getByAddress(out), out.length * 8);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // a 4 or 16-byte array is always an address
        }
    }
}
