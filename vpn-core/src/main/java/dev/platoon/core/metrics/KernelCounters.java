package dev.platoon.core.metrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.platoon.core.transport.KernelUdpStats;

/**
 * The kernel's own loss counters, read once per scrape from the namespace's {@code /proc/.../net}: the
 * tun device's {@code tx_dropped} (packets the kernel routed to the interface but could not queue for
 * platoon to read) and the UDP {@code RcvbufErrors}/{@code SndbufErrors} (IPv4 + IPv6, namespace-wide).
 *
 * <p>{@code tx_dropped} comes from {@code net/dev}, the same counter as
 * {@code /sys/class/net/IF/statistics/tx_dropped} (both print {@code dev_get_stats}), because
 * {@code /proc/thread-self/net} always follows the reading thread's network namespace while
 * {@code /sys} shows the namespace of whoever mounted it. A value that cannot be read is NaN.
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
            Path dev = procNet.resolve("dev");
            tunTxDropped = Files.exists(dev) ? txDropped(Files.readAllLines(dev), ifname) : Double.NaN;
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

    /**
     * {@code "  IF: rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame rx_compressed rx_multicast
     * tx_bytes tx_packets tx_errs tx_drop ..."}: the 12th number after the name. NaN if absent.
     */
    static double txDropped(List<String> lines, String ifname) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals(ifname)) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            return f.length > 11 ? Long.parseLong(f[11]) : Double.NaN;
        }
        return Double.NaN;
    }
}
