package dev.platoon.bench.tunnel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The first seconds of one TCP stream started the moment a fresh tunnel answers its first ping, with no
 * warm-up: what a user meets right after {@code up}. A JIT-compiled endpoint starts interpreted and
 * compiles while it carries the traffic, a Go or C one runs at full speed from the first packet; the
 * steady-state tables hide that difference on purpose (every contender is warmed up), this row shows it.
 */
final class ColdStart {
    static final int SECONDS = 5;
    /** One report a second; the server's reports (the receiver's) come back in the client's document. */
    static final List<String> ARGS = List.of("-i", "1", "--get-server-output");
    /** Intervals shorter than this are the fragment iperf3 reports after the last whole second. */
    private static final double WHOLE_INTERVAL = 0.5;

    private ColdStart() {
    }

    /**
     * Gb/s in each of the first {@link #SECONDS} whole intervals of an {@code iperf3 -J -i 1} client
     * document: the receiver's intervals when the server's report is in it (the server runs with -J),
     * else the sender's, which overstate the first second by what the socket buffers took in.
     */
    static List<Double> perSecondGbps(Object json) {
        List<?> intervals = intervals(Json.at(json, "server_output_json"));
        if (intervals.isEmpty()) {
            intervals = intervals(json);
        }
        List<Double> out = new ArrayList<>();
        for (Object interval : intervals) {
            double seconds = Json.number(interval, "sum.seconds");
            double bps = Json.number(interval, "sum.bits_per_second");
            if (seconds >= WHOLE_INTERVAL && !Double.isNaN(bps) && out.size() < SECONDS) {
                out.add(bps / 1e9);
            }
        }
        if (out.isEmpty()) {
            Object error = Json.at(json, "error");
            throw new IllegalStateException("iperf3 gave no intervals" + (error == null ? "" : ": " + error));
        }
        return out;
    }

    private static List<?> intervals(Object document) {
        return document instanceof Map<?, ?> m && m.get("intervals") instanceof List<?> l ? l : List.of();
    }

    /**
     * The table: one row per contender with a cold start, Gb/s in each second (median over the starts,
     * with min–max), and the first second's median as a share of the same contender's steady-state TCP 1
     * stream median (n/a when tcp1 was not run).
     */
    static List<List<String>> rows(Results r) {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("implementation"));
        for (int s = 0; s < SECONDS; s++) {
            header.add(s + "–" + (s + 1) + " s");
        }
        header.add("first second ÷ steady TCP, 1 stream");
        rows.add(header);
        for (Map.Entry<String, List<Summary>> e : r.coldStarts().entrySet()) {
            List<String> row = new ArrayList<>(List.of(e.getKey()));
            List<Summary> v = e.getValue();
            for (int s = 0; s < SECONDS; s++) {
                row.add(s < v.size() ? v.get(s).range() : "n/a");
            }
            row.add(Summary.percent(firstSecondShare(r, e.getKey()) * 100));
            rows.add(row);
        }
        return rows;
    }

    /** The first cold second's median ÷ the steady TCP 1 stream median, NaN when either is missing. */
    static double firstSecondShare(Results r, String contender) {
        List<Summary> v = r.coldStarts().get(contender);
        if (v == null || v.isEmpty() || !r.tests().contains(IperfTest.TCP_1)) {
            return Double.NaN;
        }
        return Summary.ratio(v.getFirst(), r.summary(IperfTest.TCP_1, contender));
    }
}
