package dev.platoon.core.tap;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

import dev.platoon.core.routing.AllowedIps;

/**
 * The addresses the tap answers ARP requests and neighbour solicitations for: those routed into the
 * tunnel and the device's own. Asked only for ARP and ND frames, never per data packet.
 */
@FunctionalInterface
public interface NeighbourTargets {

    /** Whether to answer for the 4-byte ({@code ipv6} false) or 16-byte address at {@code offset}. */
    boolean answers(ByteBuffer buf, int offset, boolean ipv6);

    /**
     * Addresses some peer's AllowedIPs route ({@code tunnel} gives the device's routing table, read at
     * each question so peers added later count) and {@code own}.
     */
    static NeighbourTargets routedOrOwn(Supplier<? extends AllowedIps<?>> tunnel, List<InetAddress> own) {
        List<byte[]> mine = own.stream().map(InetAddress::getAddress).toList();
        return (buf, offset, ipv6) -> {
            byte[] a = new byte[ipv6 ? 16 : 4];
            buf.get(offset, a);
            for (byte[] m : mine) {
                if (Arrays.equals(m, a)) {
                    return true;
                }
            }
            AllowedIps<?> routes = tunnel.get();
            return routes != null && routes.lookup(a) != null;
        };
    }
}
