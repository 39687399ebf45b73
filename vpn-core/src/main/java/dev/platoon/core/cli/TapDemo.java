package dev.platoon.core.cli;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.platoon.core.demo.Shell;
import dev.platoon.core.launch.JavaCommand;
import dev.platoon.core.demo.TunnelBed;

/** What {@code platoon demo --tap} shows of the VM's side: the neighbour entries its ARP and ND made. */
final class TapDemo {
    private static final Pattern MAC = Pattern.compile("tap: mac ([0-9a-f:]{17})");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private TapDemo() {
    }

    /**
     * One line saying which MAC the VM's neighbour table holds for the far side's two tunnel addresses;
     * throws, saying why, when that is not platoon's MAC: platoon answered the VM's ARP request
     * and neighbour solicitation for addresses that are the peer's AllowedIPs. platoon's MAC is that of
     * the host at the far end of the tap's wire (as a VM's NIC is for its tap), not the tap device's.
     */
    static String neighbours(TunnelBed bed) {
        TunnelBed.Side a = bed.a;
        Shell.Result show = bed.net.exec(a.namespace, Duration.ofSeconds(20),
                JavaCommand.platoon(List.of("show", a.ifname)).toArray(String[]::new));
        Matcher m = MAC.matcher(show.stdout());
        if (!m.find()) {
            throw new IllegalStateException("platoon show " + a.ifname + " names no tap MAC: " + show.stdout().strip()
                    + show.stderr().strip());
        }
        String tapMac = m.group(1);
        String table = bed.net.exec(a.trafficNamespace(), TIMEOUT, "ip", "neigh", "show", "dev", "eth0").stdout();
        for (String address : new String[] {bed.b.tunnel4, bed.b.tunnel6}) {
            String entry = table.lines().filter(l -> l.startsWith(address + " ")).findFirst().orElse(null);
            if (entry == null || !entry.contains("lladdr " + tapMac)) {
                throw new IllegalStateException("the VM's neighbour entry for " + address + " is " + (entry == null
                        ? "missing" : "'" + entry.strip() + "'") + ", not platoon's MAC " + tapMac);
            }
        }
        return "the VM resolved " + bed.b.tunnel4 + " (ARP) and " + bed.b.tunnel6 + " (ND) to " + tapMac
                + ", platoon's MAC on the tap: it answered for the peer's AllowedIPs";
    }
}
