package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU time of a process and its descendants, from {@code /proc/PID/stat} (utime + stime, which for a
 * thread-group leader covers all its threads). Kernel work done on the process's behalf in softirq
 * (veth, GRO, the tun's NAPI) is not charged to it — the same for every implementation.
 */
final class CpuClock {
    /** USER_HZ: the unit of utime and stime; 100 on every Linux x86_64 build. */
    private static final double TICKS_PER_SECOND = 100.0;

    private CpuClock() {
    }

    /** Seconds of CPU used so far by {@code p} and every descendant still alive. */
    static double seconds(ProcessHandle p) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(p);
        p.descendants().forEach(all::add);
        long ticks = 0;
        for (ProcessHandle h : all) {
            ticks += ticks(h.pid());
        }
        return ticks / TICKS_PER_SECOND;
    }

    static long ticks(long pid) {
        try {
            return parseTicks(Files.readString(Path.of("/proc", String.valueOf(pid), "stat")));
        } catch (IOException e) {
            return 0; // gone: it used nothing more we can see
        }
    }

    /** utime + stime from one stat line; the command name in parentheses may itself hold spaces. */
    static long parseTicks(String stat) {
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // after "pid (comm) ": state is field 3, so utime (14) and stime (15) are at 11 and 12 here.
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }
}
