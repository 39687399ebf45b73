package dev.platoon.bench.tunnel;

/**
 * One iperf3 run: its figure (in the test's unit), UDP loss in percent (NaN for TCP), the CPU the
 * endpoint processes on side a and side b used during it, in percent of one core (NaN for raw veth),
 * the whole machine's busy CPU seconds per GB the receiver got, and the share of the machine's CPU
 * time the hypervisor stole meanwhile, in percent.
 */
record Sample(double value, double loss, double cpuA, double cpuB, double cpuPerGb, double steal) {
    /** A run without the machine-wide figures. */
    Sample(double value, double loss, double cpuA, double cpuB) {
        this(value, loss, cpuA, cpuB, Double.NaN, Double.NaN);
    }
}
