package dev.platoon.core.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's {@code tx_dropped} of a tun device: packets it routed to the interface but could not queue
 * for platoon to read (the tun's ring was full). Read from {@code net/dev} under
 * {@code /proc/thread-self/net}, the same counter as {@code /sys/class/net/IF/statistics/tx_dropped}
 * (both print {@code dev_get_stats}), because that file follows the reading thread's network namespace
 * while {@code /sys} shows the namespace of whoever mounted it.
 */
public final class KernelTunStats {
    private KernelTunStats() {
    }

    /** The interface's tx_dropped, or -1 when the file or the interface is not there. */
    public static long txDropped(Path procNet, String ifname) throws IOException {
        Path dev = procNet.resolve("dev");
        return Files.exists(dev) ? txDropped(Files.readAllLines(dev), ifname) : -1;
    }

    /**
     * {@code "  IF: rx_bytes rx_packets rx_errs rx_drop rx_fifo rx_frame rx_compressed rx_multicast
     * tx_bytes tx_packets tx_errs tx_drop ..."}: the 12th number after the name; -1 if absent.
     */
    public static long txDropped(List<String> lines, String ifname) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equals(ifname)) {
                continue;
            }
            String[] f = line.substring(colon + 1).strip().split("\\s+");
            return f.length > 11 ? Long.parseLong(f[11]) : -1;
        }
        return -1;
    }
}
