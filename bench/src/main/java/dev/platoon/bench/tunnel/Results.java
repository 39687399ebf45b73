package dev.platoon.bench.tunnel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every sample of a run by test and implementation, and the two tables made from them: the headline
 * (medians and platoon's ratios to wireguard-go and to raw veth) and the full one (min–max, loss, CPU
 * of the endpoints, the whole machine's CPU per GB and the steal beside it).
 */
final class Results {
    private final List<IperfTest> tests;
    private final List<String> contenders;
    private final Map<IperfTest, Map<String, List<Sample>>> samples = new EnumMap<>(IperfTest.class);

    Results(List<IperfTest> tests, List<String> contenders) {
        this.tests = List.copyOf(tests);
        this.contenders = List.copyOf(contenders);
        for (IperfTest t : tests) {
            Map<String, List<Sample>> m = new LinkedHashMap<>();
            contenders.forEach(c -> m.put(c, new ArrayList<>()));
            samples.put(t, m);
        }
    }

    void add(IperfTest test, String contender, Sample s) {
        samples.get(test).get(contender).add(s);
    }

    List<IperfTest> tests() {
        return tests;
    }

    List<String> contenders() {
        return contenders;
    }

    Summary summary(IperfTest test, String contender) {
        return Summary.of(samples.get(test).get(contender).stream().map(Sample::value).toList());
    }

    private Summary of(IperfTest test, String contender, java.util.function.ToDoubleFunction<Sample> f) {
        return Summary.of(samples.get(test).get(contender).stream().map(s -> f.applyAsDouble(s)).toList());
    }

    /** {@code contender ÷ reference} of the medians for one test. */
    double ratio(IperfTest test, String contender, String reference) {
        if (!contenders.contains(contender) || !contenders.contains(reference)) {
            return Double.NaN;
        }
        return Summary.ratio(summary(test, contender), summary(test, reference));
    }

    /**
     * How many times less machine CPU per GB platoon took than {@code reference} in one test (medians),
     * NaN when either is missing.
     */
    double cpuPerGbAdvantage(IperfTest test, String reference) {
        if (!contenders.contains(Contenders.PLATOON) || !contenders.contains(reference)) {
            return Double.NaN;
        }
        return Summary.ratio(of(test, reference, Sample::cpuPerGb), of(test, Contenders.PLATOON, Sample::cpuPerGb));
    }

    /** Rows of the headline table, the first being the header. */
    List<List<String>> headline() {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("test", "unit"));
        header.addAll(contenders);
        header.add("platoon ÷ wireguard-go");
        header.add("platoon ÷ raw veth");
        header.add("machine CPU per GB: wireguard-go ÷ platoon");
        rows.add(header);
        for (IperfTest t : tests) {
            List<String> row = new ArrayList<>(List.of(t.title, t.unit.label));
            for (String c : contenders) {
                row.add(Summary.fmt(summary(t, c).median()));
            }
            row.add(Summary.ratioText(ratio(t, Contenders.PLATOON, Contenders.WG_GO)));
            double raw = ratio(t, Contenders.PLATOON, Contenders.RAW);
            row.add(Double.isNaN(raw) ? "n/a" : Summary.percent(raw * 100));
            row.add(Summary.ratioText(cpuPerGbAdvantage(t, Contenders.WG_GO)));
            rows.add(row);
        }
        return rows;
    }

    /** Rows of the full table: one per test and implementation, the first being the header. */
    List<List<String>> full() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("test", "implementation", "median (min–max)", "unit", "UDP loss", "CPU a", "CPU b",
                "machine CPU-s/GB", "steal", "÷ wireguard-go", "÷ raw veth"));
        for (IperfTest t : tests) {
            for (String c : contenders) {
                Summary s = summary(t, c);
                rows.add(List.of(t.title, c, s.range(), t.unit.label,
                        t.udp() ? Summary.percent(of(t, c, Sample::loss).median()) : "–",
                        Summary.percent(of(t, c, Sample::cpuA).median()),
                        Summary.percent(of(t, c, Sample::cpuB).median()),
                        Summary.fmt(of(t, c, Sample::cpuPerGb).median()),
                        Summary.percent(of(t, c, Sample::steal).median()),
                        c.equals(Contenders.WG_GO) ? "1×" : Summary.ratioText(ratio(t, c, Contenders.WG_GO)),
                        c.equals(Contenders.RAW) ? "100 %" : rawPercent(t, c)));
            }
        }
        return rows;
    }

    private String rawPercent(IperfTest t, String c) {
        double r = ratio(t, c, Contenders.RAW);
        return Double.isNaN(r) ? "n/a" : Summary.percent(r * 100);
    }

    /** A GitHub-flavoured markdown table. */
    static String markdown(List<List<String>> rows) {
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            b.append("| ").append(String.join(" | ", rows.get(r))).append(" |\n");
            if (r == 0) {
                b.append("|").append(" --- |".repeat(rows.get(0).size())).append('\n');
            }
        }
        return b.toString();
    }

    /** The same rows as aligned columns for the terminal. */
    static String text(List<List<String>> rows) {
        int cols = rows.get(0).size();
        int[] width = new int[cols];
        for (List<String> row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row.get(c).length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String cell = rows.get(r).get(c);
                // Text left, figures right.
                boolean left = c < 2 || r == 0;
                line.append(left ? String.format("%-" + width[c] + "s", cell) : String.format("%" + width[c] + "s", cell));
                line.append(c + 1 < cols ? "  " : "");
            }
            b.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                b.append("-".repeat(line.toString().stripTrailing().length())).append('\n');
            }
        }
        return b.toString();
    }
}
