package dev.platoon.bench.tunnel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The figures of the tun tail-drop patch ("TUN/TAP: Improving throughput and latency by avoiding SKB
 * drops", Simon Schippers, netdev, August 2025: TCP throughput in Mb/s, without and with the patch), for the cells of {@link RttBench}'s table that it also measured: its lab setup at varying
 * RTT (the tun queue at its default, 500), and its real-world setup at ~120 ms RTT and varying tun
 * queue length. Its wireguard-go is of its day (no offloads), so it sits beside both of ours.
 */
final class SeedFigures {
    /** RTT ms → {wireguard-go, wireguard-go patched, OpenVPN, OpenVPN patched}, queue 500. */
    private static final Map<Integer, double[]> LAB = Map.of(
            10, new double[] {787.3, 679.0, 402.4, 416.9},
            20, new double[] {765.1, 718.8, 401.6, 393.18},
            40, new double[] {441.5, 529.4, 96.9, 411.8},
            80, new double[] {218.7, 265.7, 57.9, 262.7},
            120, new double[] {145.4, 181.7, 52.8, 178.0});
    /** tun queue length → the same four columns, at ~120 ms RTT. */
    private static final Map<Integer, double[]> REAL_WORLD_120MS = Map.of(
            5000, new double[] {185.8, 185.6, 184.7, 184.8},
            1000, new double[] {185.1, 184.9, 177.1, 183.0},
            500, new double[] {137.5, 184.9, 117.4, 184.6},
            100, new double[] {99.8, 185.3, 66.4, 183.5},
            50, new double[] {59.4, 185.7, 21.6, 184.7},
            10, new double[] {1.7, 185.4, 1.6, 183.6});
    private static final int DEFAULT_QUEUE = 500;

    private SeedFigures() {
    }

    /** The patch's figures for this cell, as table text ("—" when it has none for the implementation). */
    static String of(String implementation, int rtt, int txqueuelen) {
        int column = implementation.startsWith(Contenders.WG_GO) ? 0
                : implementation.equals(Contenders.OPENVPN) ? 2 : -1;
        if (column < 0) {
            return "—";
        }
        List<String> out = new ArrayList<>();
        if (rtt == 120 && REAL_WORLD_120MS.containsKey(txqueuelen)) {
            double[] f = REAL_WORLD_120MS.get(txqueuelen);
            out.add(String.format(Locale.ROOT, "%.1f (patched %.1f), real-world", f[column], f[column + 1]));
        }
        if (txqueuelen == DEFAULT_QUEUE && LAB.containsKey(rtt)) {
            double[] f = LAB.get(rtt);
            out.add(String.format(Locale.ROOT, "%.1f (patched %.1f), lab", f[column], f[column + 1]));
        }
        return out.isEmpty() ? "—" : String.join("; ", out);
    }
}
