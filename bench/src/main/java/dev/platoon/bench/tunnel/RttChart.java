package dev.platoon.bench.tunnel;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * {@link RttBench}'s picture: one panel per RTT, the tun txqueuelen along each, a bar per
 * implementation (the median over the runs). A collapse at small queues shows as bars falling to the
 * right; a tunnel that keeps its trains keeps them level.
 */
final class RttChart {
    record Point(String impl, int rtt, int txqueuelen, double mbps) {
    }

    private static final int HEIGHT = 460;
    private static final int PANEL_WIDTH = 420;

    private RttChart() {
    }

    static void write(List<Point> points, List<String> impls, int[] rtts, int[] queues, String subtitle, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<BufferedImage> parts = new ArrayList<>();
        for (int rtt : rtts) {
            CategoryChart chart = new CategoryChartBuilder().width(PANEL_WIDTH).height(HEIGHT)
                    .title(rtt + " ms RTT — " + subtitle).xAxisTitle("tun txqueuelen").yAxisTitle("TCP 1 stream, Mb/s")
                    .build();
            chart.getStyler().setLegendPosition(LegendPosition.OutsideS);
            chart.getStyler().setChartBackgroundColor(Color.WHITE);
            chart.getStyler().setDecimalPattern("#,##0");
            List<String> x = new ArrayList<>();
            for (int q : queues) {
                x.add(Integer.toString(q));
            }
            for (String impl : impls) {
                List<Double> y = new ArrayList<>();
                for (int q : queues) {
                    List<Double> v = points.stream()
                            .filter(p -> p.impl().equals(impl) && p.rtt() == rtt && p.txqueuelen() == q)
                            .map(Point::mbps).toList();
                    double m = Summary.of(v).median();
                    y.add(Double.isNaN(m) ? 0.0 : m);
                }
                chart.addSeries(impl, x, y);
            }
            parts.add(BitmapEncoder.getBufferedImage(chart));
        }
        TunnelChart.writeSideBySide(parts, HEIGHT, png);
    }
}
