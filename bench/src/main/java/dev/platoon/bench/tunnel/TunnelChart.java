package dev.platoon.bench.tunnel;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * The PNG beside the page: medians as grouped bars, one group per test and one colour per
 * tunnel — throughput (Gb/s) on the left, 64-byte packets (kpps) on the right. Raw veth is left
 * out when there are tunnels: it is tens of times faster than any of them, and beside it the
 * tunnels (whose ratios are the point) would be slivers; its figures are in the tables.
 */
final class TunnelChart {
    private static final int HEIGHT = 480;

    private TunnelChart() {
    }

    static void write(Results results, String subtitle, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<IperfTest> rates = results.tests().stream().filter(t -> t.unit != IperfTest.Unit.KPPS).toList();
        List<IperfTest> packets = results.tests().stream().filter(t -> t.unit == IperfTest.Unit.KPPS).toList();
        List<BufferedImage> parts = new ArrayList<>();
        if (!rates.isEmpty()) {
            parts.add(BitmapEncoder.getBufferedImage(chart(results, rates, "Throughput — " + subtitle, "Gb/s received",
                    Math.max(640, 170 * rates.size()))));
        }
        if (!packets.isEmpty()) {
            parts.add(BitmapEncoder.getBufferedImage(chart(results, packets, "64-byte packets", "kpps received", 440)));
        }
        writeSideBySide(parts, HEIGHT, png);
    }

    /** The charts {@code parts}, left to right on one white picture {@code height} high, as a PNG. */
    static void writeSideBySide(List<BufferedImage> parts, int height, Path png) throws IOException {
        int width = parts.stream().mapToInt(BufferedImage::getWidth).sum();
        BufferedImage all = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = all.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        int x = 0;
        for (BufferedImage part : parts) {
            g.drawImage(part, x, 0, null);
            x += part.getWidth();
        }
        g.dispose();
        ImageIO.write(all, "png", png.toFile());
    }

    private static CategoryChart chart(Results results, List<IperfTest> tests, String title, String yTitle,
            int width) {
        CategoryChart chart = new CategoryChartBuilder().width(width).height(HEIGHT).title(title)
                .yAxisTitle(yTitle).build();
        chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsRotation(90);
        chart.getStyler().setDecimalPattern("#,##0.###");
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        List<String> x = tests.stream().map(t -> t.shortName).toList();
        List<String> shown = results.contenders().stream().filter(c -> !c.equals(Contenders.RAW)).toList();
        for (String c : shown.isEmpty() ? results.contenders() : shown) {
            List<Double> y = new ArrayList<>();
            for (IperfTest t : tests) {
                double m = results.summary(t, c).median();
                // UDP goodput is kept in Mb/s in the tables; on the shared axis it is Gb/s.
                double v = t.unit == IperfTest.Unit.MBPS ? m / 1000 : m;
                y.add(Double.isNaN(v) ? 0.0 : v);
            }
            chart.addSeries(c, x, y);
        }
        return chart;
    }
}
