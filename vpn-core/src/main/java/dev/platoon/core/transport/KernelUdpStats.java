package dev.platoon.core.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's own UDP loss counters (IPv4 + IPv6 summed, as a dual-stack socket feeds both): what our
 * counters cannot see — datagrams dropped because a socket's receive buffer was full ({@code RcvbufErrors})
 * or a send found no buffer ({@code SndbufErrors}). Namespace-wide, not per socket; read from
 * {@code /proc/thread-self/net}, i.e. the calling thread's network namespace.
 */
public record KernelUdpStats(long inErrors, long rcvbufErrors, long sndbufErrors) {

    public static final Path PROC_NET = Path.of("/proc/thread-self/net");

    /** Reads the calling thread's namespace; zeros for a file that is missing (e.g. IPv6 disabled). */
    public static KernelUdpStats read() throws IOException {
        return read(PROC_NET);
    }

    public static KernelUdpStats read(Path procNet) throws IOException {
        long[] v4 = parseSnmp(readLines(procNet.resolve("snmp")));
        List<String> snmp6 = readLines(procNet.resolve("snmp6"));
        return new KernelUdpStats(v4[0] + field6(snmp6, "Udp6InErrors"), v4[1] + field6(snmp6, "Udp6RcvbufErrors"),
                v4[2] + field6(snmp6, "Udp6SndbufErrors"));
    }

    private static List<String> readLines(Path p) throws IOException {
        return Files.exists(p) ? Files.readAllLines(p) : List.of();
    }

    /** "Udp: <names>" then "Udp: <values>": returns InErrors, RcvbufErrors, SndbufErrors. */
    static long[] parseSnmp(List<String> lines) {
        long[] out = new long[3];
        String[] names = null;
        for (String line : lines) {
            if (!line.startsWith("Udp: ")) {
                continue;
            }
            String[] parts = line.substring(5).trim().split("\\s+");
            if (names == null) {
                names = parts;
                continue;
            }
            for (int i = 0; i < names.length && i < parts.length; i++) {
                int slot = switch (names[i]) {
                    case "InErrors" -> 0;
                    case "RcvbufErrors" -> 1;
                    case "SndbufErrors" -> 2;
                    default -> -1;
                };
                if (slot >= 0) {
                    out[slot] = Long.parseLong(parts[i]);
                }
            }
            break;
        }
        return out;
    }

    static long field6(List<String> lines, String name) {
        for (String line : lines) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2 && parts[0].equals(name)) {
                return Long.parseLong(parts[1]);
            }
        }
        return 0;
    }
}
