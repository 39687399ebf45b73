package dev.platoon.bench.tunnel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median, min and max of repeated figures (NaN ones ignored), and how they print. */
record Summary(double median, double min, double max, int n) {
    static final Summary NONE = new Summary(Double.NaN, Double.NaN, Double.NaN, 0);

    static Summary of(List<Double> values) {
        List<Double> v = new ArrayList<>();
        for (Double d : values) {
            if (d != null && !Double.isNaN(d)) {
                v.add(d);
            }
        }
        if (v.isEmpty()) {
            return NONE;
        }
        Collections.sort(v);
        int n = v.size();
        double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
        return new Summary(median, v.getFirst(), v.getLast(), n);
    }

    boolean present() {
        return n > 0;
    }

    /** {@code a ÷ b} of two medians, NaN when either is missing or b is zero. */
    static double ratio(Summary a, Summary b) {
        return a.present() && b.present() && b.median != 0 ? a.median / b.median : Double.NaN;
    }

    /** A figure with about three significant digits: 13.1, 0.502, 1,234. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        String pattern = a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, v);
    }

    static String ratioText(double r) {
        if (Double.isNaN(r)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, r >= 10 ? "%.0f×" : r >= 0.1 ? "%.2f×" : "%.3f×", r);
    }

    static String percent(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, v >= 10 || v == 0 ? "%.0f %%" : "%.1f %%", v);
    }

    /** {@code median (min–max)}, or just the median for one run. */
    String range() {
        if (!present()) {
            return "n/a";
        }
        return n == 1 ? fmt(median) : fmt(median) + " (" + fmt(min) + "–" + fmt(max) + ")";
    }
}
