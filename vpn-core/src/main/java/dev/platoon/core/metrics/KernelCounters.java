package dev.platoon.core.metrics;

import java.io.IOException;
import java.nio.file.Path;

import dev.platoon.core.transport.KernelTunStats;
import dev.platoon.core.transport.KernelUdpStats;

/**
 * The kernel's own loss counters, read once per scrape from the namespace's {@code /proc/.../net}: the
 * tun device's {@code tx_dropped} (packets the kernel routed to the interface but could not queue for
 * platoon to read) and the UDP {@code RcvbufErrors}/{@code SndbufErrors} (IPv4 + IPv6, namespace-wide).
 *
 * <p>See {@link KernelTunStats} for where {@code tx_dropped} comes from. A value that cannot be read is NaN.
 */
final class KernelCounters {
    private final Path procNet;
    private final String ifname;
    private volatile double tunTxDropped = Double.NaN;
    private volatile KernelUdpStats udp;

    KernelCounters(Path procNet, String ifname) {
        this.procNet = procNet;
        this.ifname = ifname;
    }

    void refresh() {
        try {
            udp = KernelUdpStats.read(procNet);
        } catch (IOException | RuntimeException e) {
            udp = null;
        }
        try {
            long dropped = KernelTunStats.txDropped(procNet, ifname);
            tunTxDropped = dropped < 0 ? Double.NaN : dropped;
        } catch (IOException | RuntimeException e) {
            tunTxDropped = Double.NaN;
        }
    }

    double tunTxDropped() {
        return tunTxDropped;
    }

    double udpRcvbufErrors() {
        KernelUdpStats s = udp;
        return s == null ? Double.NaN : s.rcvbufErrors();
    }

    double udpSndbufErrors() {
        KernelUdpStats s = udp;
        return s == null ? Double.NaN : s.sndbufErrors();
    }

    double udpInErrors() {
        KernelUdpStats s = udp;
        return s == null ? Double.NaN : s.inErrors();
    }
}
