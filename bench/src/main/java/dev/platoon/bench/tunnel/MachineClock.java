package dev.platoon.bench.tunnel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The whole machine's CPU time from the first line of {@code /proc/stat}: busy (user, nice, system,
 * irq, softirq — every process and the kernel's packet work, which per-process clocks miss) and
 * stolen (the hypervisor ran someone else on our virtual CPUs). Busy CPU per byte moved is the cost of
 * a transfer to the whole machine, and it holds still when the hypervisor takes time away, which moves
 * the rates: on this shared 2-CPU machine steal ranges from nothing to half of it.
 */
final class MachineClock {
    /** USER_HZ: the unit of /proc/stat; 100 on every Linux x86_64 build. */
    private static final double TICKS_PER_SECOND = 100.0;

    record Reading(long busy, long steal, long total) {
        /** Busy CPU seconds since {@code earlier}; NaN when no time passed on the clock (no /proc/stat). */
        double busySecondsSince(Reading earlier) {
            return total - earlier.total <= 0 ? Double.NaN : (busy - earlier.busy) / TICKS_PER_SECOND;
        }

        /** Stolen share of all CPU time since {@code earlier}, in percent. */
        double stealPercentSince(Reading earlier) {
            long t = total - earlier.total;
            return t <= 0 ? Double.NaN : 100.0 * (steal - earlier.steal) / t;
        }
    }

    private MachineClock() {
    }

    static Reading read() {
        try {
            return parse(Files.readAllLines(Path.of("/proc/stat")).getFirst());
        } catch (IOException | RuntimeException e) {
            return new Reading(0, 0, 0);   // no /proc/stat: the figures come out as n/a
        }
    }

    /** {@code cpu  user nice system idle iowait irq softirq steal guest guest_nice} (guest is inside user). */
    static Reading parse(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu")) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + cpuLine);
        }
        long[] v = new long[8];
        for (int i = 0; i < 8 && i + 1 < f.length; i++) {
            v[i] = Long.parseLong(f[i + 1]);
        }
        long busy = v[0] + v[1] + v[2] + v[5] + v[6];
        long total = busy + v[3] + v[4] + v[7];
        return new Reading(busy, v[7], total);
    }
}
