package dev.platoon.bench.tunnel;

/**
 * One iperf3 run: its figure (in the test's unit), UDP loss in percent (NaN for TCP), and the CPU
 * the endpoint processes on side a and side b used during it, in percent of one core (NaN for raw veth).
 */
record Sample(double value, double loss, double cpuA, double cpuB) {
}
