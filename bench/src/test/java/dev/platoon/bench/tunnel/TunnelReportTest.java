package dev.platoon.bench.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The pure parts of the tunnel benchmark: statistics, ratios, tables, iperf3 JSON, the page splice. */
class TunnelReportTest {

    @Test
    void medianMinMaxIgnoreMissingRuns() {
        assertEquals(new Summary(2, 1, 9, 3), Summary.of(List.of(9.0, 1.0, 2.0)));
        assertEquals(new Summary(2.5, 1, 9, 4), Summary.of(List.of(9.0, 1.0, 2.0, 3.0)));
        assertEquals(new Summary(4, 4, 4, 1), Summary.of(List.of(Double.NaN, 4.0)));
        assertEquals(0, Summary.of(List.of(Double.NaN)).n());
        assertEquals("n/a", Summary.of(List.of()).range());
        assertEquals("1.50 (1.00–9.00)", Summary.of(List.of(1.0, 1.5, 9.0)).range());
    }

    @Test
    void ratiosAreOfMediansAndMissingWhenEitherSideIs() {
        Results r = new Results(List.of(IperfTest.TCP_1), List.of(Contenders.RAW, Contenders.PLATOON, Contenders.WG_GO));
        for (double v : new double[] {10, 12, 14}) {
            r.add(IperfTest.TCP_1, Contenders.RAW, new Sample(v, Double.NaN, Double.NaN, Double.NaN));
        }
        r.add(IperfTest.TCP_1, Contenders.PLATOON, new Sample(3, Double.NaN, 90, 80, 5.42, 31.5));
        r.add(IperfTest.TCP_1, Contenders.WG_GO, new Sample(0.5, Double.NaN, 70, 60, 27.1, 30));
        assertEquals(6.0, r.ratio(IperfTest.TCP_1, Contenders.PLATOON, Contenders.WG_GO), 1e-9);
        assertEquals(0.25, r.ratio(IperfTest.TCP_1, Contenders.PLATOON, Contenders.RAW), 1e-9);
        assertTrue(Double.isNaN(r.ratio(IperfTest.TCP_1, Contenders.PLATOON, Contenders.OPENVPN)));

        List<List<String>> head = r.headline();
        assertEquals(List.of("TCP, 1 stream", "Gb/s", "12.0", "3.00", "0.500", "6.00×", "25 %", "5.00×"), head.get(1));
        String md = Results.markdown(head);
        assertTrue(md.startsWith("| test | unit | raw veth | platoon | wireguard-go |"), md);
        assertTrue(md.lines().skip(1).findFirst().orElseThrow().matches("\\|( --- \\|){8}"), md);
        List<String> platoonRow = r.full().get(2);
        assertEquals(List.of("TCP, 1 stream", "platoon", "3.00", "Gb/s", "–", "90 %", "80 %", "5.42", "32 %", "6.00×",
                "25 %"), platoonRow);
        assertEquals(List.of("27.1", "30 %"), r.full().get(3).subList(7, 9), "wireguard-go's machine figures");
        String text = Results.text(r.full());
        assertEquals(5, text.lines().count(), text); // header, rule, three rows
        assertTrue(BenchPage.headlineSentence(r).contains("6.00× wireguard-go, 25 % of raw veth, 5.00× less "
                + "machine CPU per GB than wireguard-go on TCP, 1 stream"), BenchPage.headlineSentence(r));
    }

    @Test
    void machineClockCountsBusyAndStolenTime() {
        // user nice system idle iowait irq softirq steal guest guest_nice
        MachineClock.Reading a = MachineClock.parse("cpu  1000 10 300 5000 20 0 70 100 0 0");
        MachineClock.Reading b = MachineClock.parse("cpu  1600 10 500 5100 20 0 90 400 50 0");
        assertEquals(8.2, b.busySecondsSince(a), 1e-9);            // (600 + 200 + 20) ticks of 1/100 s
        assertEquals(300.0 / 1220 * 100, b.stealPercentSince(a), 1e-9); // of 820 busy + 100 idle + 300 stolen ticks
        assertTrue(Double.isNaN(a.stealPercentSince(a)));
        MachineClock.Reading none = new MachineClock.Reading(0, 0, 0);   // what read() gives without /proc/stat
        assertTrue(Double.isNaN(none.busySecondsSince(none)), "no clock: n/a, not 0 CPU-s");
        assertThrows(IllegalArgumentException.class, () -> MachineClock.parse("cpu0 1 2 3 4 5 6 7 8"));
    }

    @Test
    void readsIperfJson() {
        String udp = """
                {"start": {}, "end": {"sum_received": {"seconds": 2.0, "bits_per_second": 3.4e7,
                 "lost_packets": 60000, "packets": 126000, "lost_percent": 47.6, "sender": false}}}""";
        double[] small = IperfTest.UDP_64.figureAndLoss(Json.parse(udp));
        assertEquals(33.0, small[0], 1e-9); // (126000 - 60000) / 2 s = 33 kpps
        assertEquals(47.6, small[1], 1e-9);
        double[] goodput = IperfTest.UDP.figureAndLoss(Json.parse(udp));
        assertEquals(34.0, goodput[0], 1e-9);
        String tcp = "{\"end\":{\"sum_received\":{\"seconds\":5,\"bits_per_second\":1.25e9},\"x\":[true,null,\"a\\\"b\"]}}";
        assertEquals(1.25, IperfTest.TCP_1.figureAndLoss(Json.parse(tcp))[0], 1e-9);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> IperfTest.TCP_1.figureAndLoss(
                Json.parse("{\"start\":{},\"end\":{},\"error\":\"unable to connect to server\"}")));
        assertTrue(e.getMessage().contains("unable to connect"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":1"));
    }

    @Test
    void cpuTicksFromStatEvenWithSpacesInTheName() {
        String stat = "4242 (java wg (x)) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 30 0 12345";
        assertEquals(325, CpuClock.parseTicks(stat));
    }

    @Test
    void pageSectionIsInsertedOnceThenReplaced() {
        String page = "# Benchmarks\n\nintro\n\n## tun-io reflector\n\ntheirs\n";
        String first = BenchPage.splice(page, BenchPage.START + "\nONE\n" + BenchPage.END + "\n");
        assertTrue(first.indexOf("## Tunnel benchmark") < first.indexOf("## tun-io reflector"), first);
        String second = BenchPage.splice(first, BenchPage.START + "\nTWO\n" + BenchPage.END + "\n");
        assertTrue(second.contains("TWO") && !second.contains("ONE"), second);
        assertEquals(1, second.split("## Tunnel benchmark", -1).length - 1, second);
        assertTrue(second.endsWith("## tun-io reflector\n\ntheirs\n"), second);
    }

    @Test
    void optionsQuickAndBadInput() {
        BenchOptions q = BenchOptions.parse("--quick");
        assertEquals(List.of(IperfTest.TCP_1), q.tests());
        assertEquals(1, q.runs());
        assertEquals(2, q.seconds());
        assertTrue(!q.writeDocs());
        BenchOptions o = BenchOptions.parse("--only", "wireguard-go,raw", "--tests", "udp64,tcpR", "--runs", "5");
        assertEquals(List.of(Contenders.RAW, Contenders.WG_GO), o.contenders());
        assertEquals(List.of(IperfTest.UDP_64, IperfTest.TCP_REVERSE), o.tests());
        assertEquals("./platoon bench --only wireguard-go,raw --tests udp64,tcpR --runs 5", o.command());
        assertTrue(o.writeDocs());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--runs", "zero"));
        assertEquals("--runs needs a whole number ≥ 1, not 'zero'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--frobnicate"));
    }
}
