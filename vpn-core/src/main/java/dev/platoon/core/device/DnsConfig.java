package dev.platoon.core.device;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.platoon.config.IpPrefix;
import dev.platoon.config.InterfaceConfig;

/**
 * wg-quick's {@code DNS =} ({@code set_dns}, {@code unset_dns}): the servers and search domains go to
 * {@code resolvconf -a IF -m 0 -x} while the interface is up and are taken back with
 * {@code resolvconf -d IF -f}. Without resolvconf on PATH it says so in one line and goes on:
 * platoon never edits /etc/resolv.conf itself (that file belongs to whatever manages it).
 */
public final class DnsConfig {
    /** Debian's resolvconf orders interfaces by name patterns; wg-quick names itself after the first. */
    static final Path INTERFACE_ORDER = Path.of("/etc/resolvconf/interface-order");
    private static final Pattern ORDER_ENTRY = Pattern.compile("^([A-Za-z0-9-]+)\\*$");

    private final String ifname;
    private final Host host;
    private final List<InetAddress> servers;
    private final List<String> search;
    private String record;
    private UndoJournal journal = UndoJournal.NONE;

    private DnsConfig(String ifname, Host host, List<InetAddress> servers, List<String> search) {
        this.ifname = ifname;
        this.host = host;
        this.servers = servers;
        this.search = search;
    }

    static DnsConfig of(String ifname, InterfaceConfig iface, Host host) {
        return new DnsConfig(ifname, host, iface.dns(), iface.dnsSearch());
    }

    /** What resolvconf reads on stdin: a nameserver line per server, then one search line. */
    static String resolvconfInput(List<InetAddress> servers, List<String> search) {
        StringBuilder sb = new StringBuilder();
        for (InetAddress a : servers) {
            sb.append("nameserver ").append(literal(a)).append('\n');
        }
        if (!search.isEmpty()) {
            sb.append("search ").append(String.join(" ", search)).append('\n');
        }
        return sb.toString();
    }

    /** wg-quick's resolvconf_iface_prefix: "tun." when interface-order lists "tun*" first, and so on. */
    static String interfacePrefix(List<String> interfaceOrder) {
        for (String line : interfaceOrder) {
            Matcher m = ORDER_ENTRY.matcher(line.strip());
            if (m.matches()) {
                return m.group(1) + ".";
            }
        }
        return "";
    }

    /** Where the resolvconf record is written down, so that a process that dies cannot leave it. */
    void recordIn(UndoJournal j) {
        this.journal = j;
    }

    /** Hands the servers to resolvconf, or warns that they are not applied. */
    void apply() throws DeviceException {
        if (servers.isEmpty()) {
            return;
        }
        if (!host.onPath("resolvconf")) {
            host.log("platoon: " + ifname + ": warning: DNS = " + String.join(", ",
                    servers.stream().map(DnsConfig::literal).toList())
                    + " not applied: resolvconf is not installed (platoon does not edit /etc/resolv.conf)");
            return;
        }
        String name = interfacePrefix(host.readLines(INTERFACE_ORDER)) + ifname;
        host.run(List.of("resolvconf", "-a", name, "-m", "0", "-x"), resolvconfInput(servers, search));
        record = name;
        journal.added(undo());
    }

    private List<String> undo() {
        return List.of("resolvconf", "-d", record, "-f");
    }

    /** Takes back what {@link #apply} gave resolvconf; a failure is logged. */
    void remove() {
        if (record == null) {
            return;
        }
        List<String> undo = undo();
        try {
            host.run(undo, null);
        } catch (DeviceException e) {
            host.log("platoon: " + ifname + ": " + e.getMessage());
        } finally {
            journal.undone(undo);
        }
        record = null;
    }

    /** The shortest text form (IpPrefix prints IPv6 compressed, InetAddress does not). */
    private static String literal(InetAddress a) {
        String s = IpPrefix.of(a, a instanceof Inet4Address ? 32 : 128).toString();
        return s.substring(0, s.lastIndexOf('/'));
    }
}
