package dev.platoon.bench.tunnel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every sample of a run by test and implementation, and the tables made from them: the headline
 * (medians and platoon's ratios to wireguard-go and to raw veth), the full one (min–max, loss, CPU
 * of the endpoints, the whole machine's CPU per GB and the steal beside it) and the cold starts
 * ({@link ColdStart}). Contenders are named by their labels, as in the tables.
 */
final class Results {
    private final List<IperfTest> tests;
    private final List<String> contenders;
    private final String reference;
    private final Map<IperfTest, Map<String, List<Sample>>> samples = new EnumMap<>(IperfTest.class);
    private final Map<String, List<List<Double>>> coldStarts = new LinkedHashMap<>();

    Results(List<IperfTest> tests, List<String> contenders) {
        this.tests = List.copyOf(tests);
        this.contenders = List.copyOf(contenders);
        this.reference = reference(contenders);
        for (IperfTest t : tests) {
            Map<String, List<Sample>> m = new LinkedHashMap<>();
            contenders.forEach(c -> m.put(c, new ArrayList<>()));
            samples.put(t, m);
        }
    }

    /**
     * The wireguard-go platoon's ratios are taken against: the modern one when it ran (its label is
     * "wireguard-go VERSION"), else Debian's 2022 build, else none.
     */
    static String reference(List<String> contenders) {
        return contenders.stream().filter(c -> c.startsWith(Contenders.WG_GO) && !c.equals(Contenders.WG_GO_DEBIAN))
                .findFirst().orElse(contenders.contains(Contenders.WG_GO_DEBIAN) ? Contenders.WG_GO_DEBIAN : null);
    }

    /** The reference wireguard-go's label, or null when no wireguard-go ran. */
    String reference() {
        return reference;
    }

    /** The Debian build when it ran beside a modern reference (then it gets a ratio column of its own). */
    private boolean debianBesideReference() {
        return contenders.contains(Contenders.WG_GO_DEBIAN) && !Contenders.WG_GO_DEBIAN.equals(reference);
    }

    void add(IperfTest test, String contender, Sample s) {
        samples.get(test).get(contender).add(s);
    }

    /** One cold start: Gb/s in each of the first seconds after up, without warm-up (see {@link ColdStart}). */
    void addColdStart(String contender, List<Double> gbpsPerSecond) {
        coldStarts.computeIfAbsent(contender, c -> new ArrayList<>()).add(List.copyOf(gbpsPerSecond));
    }

    /**
     * The cold starts in the order the contenders are listed: for each second, the median, min and max
     * over the starts that reached it.
     */
    Map<String, List<Summary>> coldStarts() {
        Map<String, List<Summary>> ordered = new LinkedHashMap<>();
        for (String c : contenders) {
            List<List<Double>> starts = coldStarts.get(c);
            if (starts == null) {
                continue;
            }
            List<Summary> seconds = new ArrayList<>();
            int longest = starts.stream().mapToInt(List::size).max().orElse(0);
            for (int s = 0; s < longest; s++) {
                int second = s;
                seconds.add(Summary.of(starts.stream().filter(v -> v.size() > second).map(v -> v.get(second))
                        .toList()));
            }
            ordered.put(c, seconds);
        }
        return ordered;
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
        if (reference == null || !contenders.contains(contender) || !contenders.contains(reference)) {
            return Double.NaN;
        }
        return Summary.ratio(summary(test, contender), summary(test, reference));
    }

    /**
     * How many times less machine CPU per GB platoon took than {@code reference} in one test (medians),
     * NaN when either is missing.
     */
    double cpuPerGbAdvantage(IperfTest test, String reference) {
        if (reference == null || !contenders.contains(Contenders.PLATOON) || !contenders.contains(reference)) {
            return Double.NaN;
        }
        return Summary.ratio(of(test, reference, Sample::cpuPerGb), of(test, Contenders.PLATOON, Sample::cpuPerGb));
    }

    /** Rows of the headline table, the first being the header. */
    List<List<String>> headline() {
        List<List<String>> rows = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("test", "unit"));
        header.addAll(contenders);
        String ref = reference == null ? "wireguard-go" : reference;
        header.add("platoon ÷ " + ref);
        if (debianBesideReference()) {
            header.add("platoon ÷ " + Contenders.WG_GO_DEBIAN);
        }
        header.add("platoon ÷ raw veth");
        header.add("machine CPU per GB: " + ref + " ÷ platoon");
        rows.add(header);
        for (IperfTest t : tests) {
            List<String> row = new ArrayList<>(List.of(t.title, t.unit.label));
            for (String c : contenders) {
                row.add(Summary.fmt(summary(t, c).median()));
            }
            row.add(Summary.ratioText(ratio(t, Contenders.PLATOON, reference)));
            if (debianBesideReference()) {
                row.add(Summary.ratioText(ratio(t, Contenders.PLATOON, Contenders.WG_GO_DEBIAN)));
            }
            double raw = ratio(t, Contenders.PLATOON, Contenders.RAW);
            row.add(Double.isNaN(raw) ? "n/a" : Summary.percent(raw * 100));
            row.add(Summary.ratioText(cpuPerGbAdvantage(t, reference)));
            rows.add(row);
        }
        return rows;
    }

    /** Rows of the full table: one per test and implementation, the first being the header. */
    List<List<String>> full() {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("test", "implementation", "median (min–max)", "unit", "UDP loss", "CPU a", "CPU b",
                "machine CPU-s/GB", "steal", "÷ " + (reference == null ? "wireguard-go" : reference), "÷ raw veth"));
        for (IperfTest t : tests) {
            for (String c : contenders) {
                Summary s = summary(t, c);
                rows.add(List.of(t.title, c, s.range(), t.unit.label,
                        t.udp() ? Summary.percent(of(t, c, Sample::loss).median()) : "–",
                        Summary.percent(of(t, c, Sample::cpuA).median()),
                        Summary.percent(of(t, c, Sample::cpuB).median()),
                        Summary.fmt(of(t, c, Sample::cpuPerGb).median()),
                        Summary.percent(of(t, c, Sample::steal).median()),
                        c.equals(reference) ? "1×" : Summary.ratioText(ratio(t, c, reference)),
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

    /** The same rows as aligned columns for the terminal; the first two columns are text. */
    static String text(List<List<String>> rows) {
        return text(rows, 2);
    }

    /** Aligned columns: the first {@code textColumns} left-aligned, the figures after them right-aligned. */
    static String text(List<List<String>> rows, int textColumns) {
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
                boolean left = c < textColumns || r == 0;
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
