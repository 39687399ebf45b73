package dev.platoon.core.device;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.InterfaceConfig;
import dev.platoon.config.PeerConfig;
import dev.platoon.config.RouteTable;

/**
 * wg-quick's routes for the peers' AllowedIPs ({@code add_route}, {@code add_default}). Longest prefixes
 * first, each {@code ip route add CIDR dev IF} unless the device already routes it; {@code Table = off}
 * adds none, {@code Table = N} puts every route (a /0 too) into table N with no rules. With the default
 * table a /0 becomes a full tunnel: the default route goes into a table T of its own (the FwMark, or the
 * first free table from 51820 up), platoon's UDP sockets carry mark T, and two rules per family send
 * everything unmarked to T while the main table still answers for anything more specific than a default
 * route ({@code suppress_prefixlength 0}) — so the encrypted packets, marked, leave by the main table.
 *
 * <p>With nft(8) installed, a full tunnel also gets wg-quick's nftables rules ({@link SpoofingRules}):
 * spoofed packets to the tunnel addresses are dropped and the mark is kept in conntrack. Without nft
 * (wg-quick would fall back to iptables-restore) one warning says so. The routes vanish with the device;
 * {@link #remove} deletes exactly the rules and nftables tables {@link #apply} added.
 */
public final class PolicyRouting {
    static final long FIRST_TABLE = 51820;

    private final String ifname;
    private final Host host;
    private final Optional<RouteTable> table;
    private final List<IpPrefix> routes;
    private final List<dev.platoon.config.InterfaceAddress> addresses;
    private final long fwmark;
    private final Deque<List<String>> rulesAdded = new ArrayDeque<>();
    private boolean warnedNoNft;
    private UndoJournal journal = UndoJournal.NONE;

    private PolicyRouting(String ifname, Host host, Optional<RouteTable> table, List<IpPrefix> routes,
                          List<dev.platoon.config.InterfaceAddress> addresses, long fwmark) {
        this.ifname = ifname;
        this.host = host;
        this.table = table;
        this.routes = routes;
        this.addresses = addresses;
        this.fwmark = fwmark;
    }

    /**
     * Decides the routes and the fwmark before anything is made: the sockets need the mark when they
     * are bound, before the device's routes exist.
     */
    static PolicyRouting plan(String ifname, InterfaceConfig iface, List<PeerConfig> peers, Host host)
            throws DeviceException {
        Set<IpPrefix> unique = new LinkedHashSet<>();
        for (PeerConfig p : peers) {
            unique.addAll(p.allowedIps());
        }
        List<IpPrefix> routes = new ArrayList<>(unique);
        routes.sort(Comparator.comparingInt(IpPrefix::bits).reversed()); // wg-quick: sort -nr -k 2 -t /
        long mark = Integer.toUnsignedLong(iface.fwMark());
        boolean auto = iface.table().isEmpty() || iface.table().get().isAuto();
        if (auto && mark == 0 && routes.stream().anyMatch(c -> c.bits() == 0)) {
            mark = firstFreeTable(host);
        }
        return new PolicyRouting(ifname, host, iface.table(), routes, iface.addresses(), mark);
    }

    /** wg-quick: the first table from 51820 up with no IPv4 or IPv6 routes in it. */
    private static long firstFreeTable(Host host) throws DeviceException {
        for (long t = FIRST_TABLE; t < FIRST_TABLE + 1024; t++) {
            String id = Long.toString(t);
            if (quietly(host, List.of("ip", "-4", "route", "show", "table", id)).isBlank()
                    && quietly(host, List.of("ip", "-6", "route", "show", "table", id)).isBlank()) {
                return t;
            }
        }
        throw new DeviceException("no free routing table in " + FIRST_TABLE + ".." + (FIRST_TABLE + 1023)
                + " for the full tunnel (set FwMark or Table)");
    }

    /**
     * A query whose failure means "nothing there", as wg-quick's {@code 2>/dev/null}: ip fails with "FIB
     * table does not exist" for a table never used, and with no IPv6 at all.
     */
    private static String quietly(Host host, List<String> argv) {
        try {
            return host.query(argv);
        } catch (DeviceException e) {
            return "";
        }
    }

    /** Where each rule is written down as it is added, so that a process that dies cannot leave it. */
    void recordIn(UndoJournal j) {
        this.journal = j;
    }

    /** The SO_MARK for platoon's UDP sockets: the configured FwMark, or the full tunnel's table. */
    public int fwmark() {
        return (int) fwmark;
    }

    /**
     * Adds the routes and rules; on a failure deletes the rules it added and throws one line. Every route
     * but a full tunnel's default goes in one {@code ip -batch -}: 10,000 AllowedIPs are one process, not
     * 20,000 (wg-quick runs a query and an add per route). Routes need no undo: they go with the link.
     */
    void apply() throws DeviceException {
        if (table.isPresent() && table.get().isOff()) {
            return;
        }
        boolean named = table.isPresent() && !table.get().isAuto();
        try {
            List<List<String>> batch = new ArrayList<>();
            List<IpPrefix> defaults = new ArrayList<>();
            List<IpPrefix> routed = named ? List.of() : routedByDevice();
            for (IpPrefix cidr : routes) {
                String family = cidr.isIpv4() ? "-4" : "-6";
                if (named) {
                    batch.add(List.of("ip", family, "route", "add", cidr.toString(), "dev", ifname,
                            "table", table.get().toString()));
                } else if (cidr.bits() == 0) {
                    defaults.add(cidr);
                } else if (!covered(routed, cidr)) {
                    batch.add(List.of("ip", family, "route", "add", cidr.toString(), "dev", ifname));
                }
            }
            host.ipBatch(batch);
            for (IpPrefix cidr : defaults) {
                addDefault(cidr.isIpv4() ? "-4" : "-6", cidr.toString());
            }
        } catch (DeviceException e) {
            remove();
            throw e;
        }
    }

    /**
     * The main table's routes through the device, one query per family in use: wg-quick skips a route
     * that {@code ip route show dev IF match CIDR} finds — one the device already routes, such as its
     * address's network. Longest prefixes go first, so no route of the batch can cover a later one.
     */
    private List<IpPrefix> routedByDevice() {
        List<IpPrefix> routed = new ArrayList<>();
        for (String family : List.of("-4", "-6")) {
            boolean used = routes.stream().anyMatch(c -> c.bits() != 0 && c.isIpv4() == family.equals("-4"));
            if (used) {
                quietly(host, List.of("ip", family, "route", "show", "dev", ifname)).lines()
                        .map(l -> routePrefix(l, family.equals("-4"))).flatMap(Optional::stream).forEach(routed::add);
            }
        }
        return routed;
    }

    private static boolean covered(List<IpPrefix> routed, IpPrefix cidr) {
        for (IpPrefix r : routed) {
            if (r.bits() <= cidr.bits() && r.contains(cidr.address())) {
                return true;
            }
        }
        return false;
    }

    /** The destination of one line of {@code ip route show}: {@code [TYPE] PREFIX|default ...}. */
    static Optional<IpPrefix> routePrefix(String line, boolean ipv4) {
        String[] words = line.strip().split("\\s+");
        int i = words.length > 1 && ROUTE_TYPES.contains(words[0]) ? 1 : 0;
        if (words[i].isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(words[i].equals("default") ? IpPrefix.parse(ipv4 ? "0.0.0.0/0" : "::/0")
                    : IpPrefix.parse(words[i]));
        } catch (IllegalArgumentException notARoute) {
            return Optional.empty();
        }
    }

    private static final Set<String> ROUTE_TYPES = Set.of("unicast", "local", "broadcast", "multicast", "throw",
            "unreachable", "prohibit", "blackhole", "nat", "anycast");

    /** wg-quick's add_default: the table, the two rules, src_valid_mark, and the nftables rules. */
    private void addDefault(String family, String cidr) throws DeviceException {
        String t = Long.toString(fwmark);
        host.run(List.of("ip", family, "route", "add", cidr, "dev", ifname, "table", t), null);
        addRule(List.of("ip", family, "rule", "add", "not", "fwmark", t, "table", t));
        addRule(List.of("ip", family, "rule", "add", "table", "main", "suppress_prefixlength", "0"));
        if (family.equals("-4")) {
            // The reply to a marked packet passes the reverse-path filter only if the mark is considered.
            host.sysctl("net.ipv4.conf.all.src_valid_mark", "1");
        }
        addSpoofingRules(family.equals("-4"));
    }

    private void addSpoofingRules(boolean ipv4) throws DeviceException {
        if (!host.onPath("nft")) {
            if (!warnedNoNft) {
                warnedNoNft = true;
                host.log("platoon: warning: " + ifname + ": nft is not installed: no rules against spoofed"
                        + " packets to the tunnel addresses (wg-quick adds them; apt-get install nftables)");
            }
            return;
        }
        String pf = SpoofingRules.nftFamily(ipv4);
        host.run(List.of("nft", "-f", "-"), SpoofingRules.script(ifname, ipv4, addresses, fwmark));
        List<String> delete = List.of("nft", "delete", "table", pf, SpoofingRules.table(ifname));
        rulesAdded.push(delete);
        journal.added(delete);
    }

    private void addRule(List<String> add) throws DeviceException {
        host.run(add, null);
        List<String> delete = new ArrayList<>(add);
        delete.set(3, "delete");
        rulesAdded.push(delete);
        journal.added(delete);
    }

    /** The rules {@link #apply} added, as the commands that delete them, newest first. */
    List<List<String>> pendingDeletes() {
        return List.copyOf(rulesAdded);
    }

    /**
     * Deletes the rules this device added, newest first; a failure is logged and the rest go on. Each
     * delete names the rule fully and removes one rule, so an identical rule added by someone else stays.
     */
    void remove() {
        while (!rulesAdded.isEmpty()) {
            List<String> delete = rulesAdded.pop();
            try {
                host.run(delete, null);
            } catch (DeviceException e) {
                host.log("platoon: " + ifname + ": " + e.getMessage());
            } finally {
                journal.undone(delete);
            }
        }
    }
}
