package dev.platoon.bench.tunnel;

import java.util.List;

/**
 * The iperf3 tests, each with its client arguments and the one figure it reports. UDP datagrams are
 * 1392 bytes, the largest that fits the tunnels' 1420-byte MTU unfragmented (1400 would fragment
 * every one of them inside the tunnel and measure IP reassembly instead).
 */
enum IperfTest {
    TCP_1("TCP, 1 stream", "tcp1", Unit.GBPS, List.of()),
    TCP_4("TCP, 4 streams", "tcp4", Unit.GBPS, List.of("-P", "4")),
    TCP_REVERSE("TCP, reverse (b→a)", "tcpR", Unit.GBPS, List.of("-R")),
    UDP("UDP 1392 B, unlimited rate", "udp", Unit.MBPS, List.of("-u", "-b", "0", "-l", "1392")),
    UDP_64("UDP 64 B, unlimited rate", "udp64", Unit.KPPS, List.of("-u", "-b", "0", "-l", "64"));

    /** What a test's figure counts; all are measured at the receiver. */
    enum Unit {
        GBPS("Gb/s"), MBPS("Mb/s"), KPPS("kpps");

        final String label;

        Unit(String label) {
            this.label = label;
        }
    }

    final String title;
    final String shortName;
    final Unit unit;
    final List<String> args;

    IperfTest(String title, String shortName, Unit unit, List<String> args) {
        this.title = title;
        this.shortName = shortName;
        this.unit = unit;
        this.args = args;
    }

    boolean udp() {
        return unit != Unit.GBPS;
    }

    /**
     * The figure from an {@code iperf3 -J} client document: received bits/s for TCP and UDP goodput,
     * received packets/s for small packets; and the loss (UDP) in percent, NaN for TCP.
     */
    double[] figureAndLoss(Object json) {
        double seconds = Json.number(json, "end.sum_received.seconds");
        double bps = Json.number(json, "end.sum_received.bits_per_second");
        if (Double.isNaN(bps)) {
            Object error = Json.at(json, "error");
            throw new IllegalStateException("iperf3 gave no result" + (error == null ? "" : ": " + error));
        }
        return switch (unit) {
            case GBPS -> new double[] {bps / 1e9, Double.NaN};
            case MBPS -> new double[] {bps / 1e6, Json.number(json, "end.sum_received.lost_percent")};
            case KPPS -> {
                // "packets" is the highest sequence number seen; the ones that arrived are that minus lost.
                double got = Json.number(json, "end.sum_received.packets")
                        - Json.number(json, "end.sum_received.lost_packets");
                yield new double[] {got / seconds / 1e3, Json.number(json, "end.sum_received.lost_percent")};
            }
        };
    }
}
