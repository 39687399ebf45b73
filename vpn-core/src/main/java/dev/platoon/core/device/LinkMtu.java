package dev.platoon.core.device;

import java.net.InetAddress;
import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interface's MTU when the file has no {@code MTU =}, chosen as wg-quick chooses it: the largest MTU
 * of the routes to the peers' endpoints ({@code ip route get}: the route's own {@code mtu}, locked or
 * not, else its device's MTU), or of the default route when no endpoint has one, else 1500; minus 80,
 * WireGuard's worst-case overhead (IPv6 40 + UDP 8 + WireGuard 32). A 1400-byte link gives 1320.
 */
final class LinkMtu {
    /** IPv6 header, UDP header, and WireGuard's type, index, counter and tag. */
    static final int OVERHEAD = 80;
    static final int LINK_FALLBACK = 1500;
    private static final Pattern ROUTE_MTU = Pattern.compile("\\bmtu (?:lock )?(\\d+)");
    private static final Pattern DEV = Pattern.compile("\\bdev (\\S+)");
    private static final Pattern LINK_MTU = Pattern.compile("\\bmtu (\\d+)");

    private LinkMtu() {
    }

    /** The tunnel MTU for these endpoints (those not known yet are left out). */
    static int choose(Host host, List<InetAddress> endpoints) {
        int link = 0;
        for (InetAddress endpoint : endpoints) {
            link = Math.max(link, routeMtu(host, List.of("ip", "route", "get", endpoint.getHostAddress()), false)
                    .orElse(0));
        }
        if (link == 0) {
            link = routeMtu(host, List.of("ip", "route", "show", "default"), true).orElse(0); // the first, as wg-quick
        }
        return (link > 0 ? link : LINK_FALLBACK) - OVERHEAD;
    }

    /** The MTU of the route a query prints: its own, else its device's; empty when neither is known. */
    static OptionalInt routeMtu(Host host, List<String> query, boolean firstLineOnly) {
        String route;
        try {
            route = host.query(query).strip();
            if (firstLineOnly) {
                route = route.lines().findFirst().orElse("");
            }
        } catch (DeviceException e) {
            return OptionalInt.empty(); // no route: this endpoint tells nothing
        }
        if (route.isEmpty()) {
            return OptionalInt.empty();
        }
        Matcher m = ROUTE_MTU.matcher(route);
        if (m.find()) {
            return OptionalInt.of(Integer.parseInt(m.group(1)));
        }
        Matcher dev = DEV.matcher(route.lines().findFirst().orElse(""));
        if (!dev.find()) {
            return OptionalInt.empty();
        }
        try {
            Matcher linkMtu = LINK_MTU.matcher(host.query(List.of("ip", "link", "show", "dev", dev.group(1))));
            return linkMtu.find() ? OptionalInt.of(Integer.parseInt(linkMtu.group(1))) : OptionalInt.empty();
        } catch (DeviceException e) {
            return OptionalInt.empty();
        }
    }
}
