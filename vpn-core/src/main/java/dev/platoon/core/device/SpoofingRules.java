package dev.platoon.core.device;

import java.net.Inet4Address;
import java.util.List;

import dev.platoon.config.InterfaceAddress;

/**
 * wg-quick's nftables rules for a full tunnel ({@code add_default}), per family, in a table of their own
 * ({@code platoon-IF}): drop packets to the tunnel's addresses that arrive by another interface from a
 * source that is not local (a LAN neighbour spoofing its way into the tunnel), and keep the fwmark of
 * platoon's UDP flows in conntrack so that their replies carry it too (CONNMARK save and restore).
 * Deleting the table on {@code down} removes all of it.
 */
final class SpoofingRules {
    private SpoofingRules() {
    }

    /** The table's name: one per interface and family. */
    static String table(String ifname) {
        return "platoon-" + ifname;
    }

    /** {@code ip} for IPv4, {@code ip6} for IPv6: nft's family and its address keyword alike. */
    static String nftFamily(boolean ipv4) {
        return ipv4 ? "ip" : "ip6";
    }

    /** The script for {@code nft -f -}, as wg-quick writes it. */
    static String script(String ifname, boolean ipv4, List<InterfaceAddress> addresses, long fwmark) {
        String pf = nftFamily(ipv4);
        String t = pf + " " + table(ifname);
        StringBuilder s = new StringBuilder();
        s.append("add table ").append(t).append('\n');
        s.append("add chain ").append(t).append(" preraw { type filter hook prerouting priority -300; }\n");
        s.append("add chain ").append(t).append(" premangle { type filter hook prerouting priority -150; }\n");
        s.append("add chain ").append(t).append(" postmangle { type filter hook postrouting priority -150; }\n");
        for (InterfaceAddress a : addresses) {
            if ((a.address() instanceof Inet4Address) == ipv4) {
                s.append("add rule ").append(t).append(" preraw iifname != \"").append(ifname).append("\" ")
                        .append(pf).append(" daddr ").append(dev.platoon.config.IpLiteral.format(a.address()))
                        .append(" fib saddr type != local drop\n");
            }
        }
        s.append("add rule ").append(t).append(" postmangle meta l4proto udp mark ").append(fwmark)
                .append(" ct mark set mark\n");
        s.append("add rule ").append(t).append(" premangle meta l4proto udp meta mark set ct mark\n");
        return s.toString();
    }
}
