package dev.platoon.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;

/**
 * "How many per batch" distributions as Prometheus summaries with only {@code _count} and {@code _sum}
 * (no quantiles): {@code rate(X_sum[1m]) / rate(X_count[1m])} is the mean batch size over the window.
 *
 * <p>Why not a histogram: the data path counts batches and their items in two LongAdders (plus a max),
 * which costs nothing per packet; per-batch buckets would mean a write per batch on every loop. Why not
 * Micrometer: it has no function-backed distribution summary (a custom meter of that type is exported
 * as separate counters), while the Prometheus model has exactly this shape, read at scrape time.
 */
final class SumCountSummaries implements MultiCollector {
    private record Entry(String name, String help, LongSupplier count, LongSupplier sum) {
    }

    private final Labels labels;
    private final List<Entry> entries = new ArrayList<>();

    SumCountSummaries(String ifname) {
        this.labels = Labels.of("interface", ifname);
    }

    /** {@code name} without suffix; {@code count} is the number of batches, {@code sum} of items. */
    SumCountSummaries add(String name, String help, LongSupplier count, LongSupplier sum) {
        entries.add(new Entry(name, help, count, sum));
        return this;
    }

    List<String> names() {
        return entries.stream().map(Entry::name).toList();
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            // Sum first: read while the data path runs, an item counted in sum but not yet in count
            // only nudges the mean up for one scrape, and count never exceeds what sum has seen.
            long sum = e.sum.getAsLong();
            long count = e.count.getAsLong();
            out.add(SummarySnapshot.builder().name(e.name).help(e.help)
                    .dataPoint(SummaryDataPointSnapshot.builder().count(count).sum(sum).labels(labels).build())
                    .build());
        }
        return new MetricSnapshots(out);
    }

    @Override
    public List<String> getPrometheusNames() {
        return names();
    }
}
