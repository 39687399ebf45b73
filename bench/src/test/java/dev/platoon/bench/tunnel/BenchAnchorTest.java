package dev.platoon.bench.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * The pieces that race the modern wireguard-go: its option and labels, the reference the ratios are
 * taken against, the cold-start row, the CPU facts and platoon's cipher line.
 */
class BenchAnchorTest {
    private static final String MODERN = "wireguard-go 0.0.20250522";

    @Test
    void wireguardGoOptionDefaultsToTheSharedBinary() {
        BenchOptions d = BenchOptions.parse();
        assertEquals(Path.of("../shared/peers/wireguard-go-0.0.20250522"), d.wireguardGo());
        assertTrue(d.coldStart());
        assertEquals(3, d.coldRuns());
        assertEquals(1, BenchOptions.parse("--quick").coldRuns());
        assertEquals(5, BenchOptions.parse("--quick", "--cold-runs", "5").coldRuns());
        assertEquals(Contenders.ALL, d.contenders());
        BenchOptions o = BenchOptions.parse("--wireguard-go", "/opt/wg/wireguard-go", "--no-cold-start",
                "--only", "wireguard-go-debian,wireguard-go,platoon");
        assertEquals(Path.of("/opt/wg/wireguard-go"), o.wireguardGo());
        assertFalse(o.coldStart());
        assertEquals(List.of(Contenders.PLATOON, Contenders.WG_GO, Contenders.WG_GO_DEBIAN), o.contenders());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchOptions.parse("--wireguard-go"));
        assertEquals("--wireguard-go needs a value", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BenchOptions.parse("--only", "boringtun"));
        assertTrue(e.getMessage().contains("raw,platoon,platoon-tap,platoon-1rx,wireguard-go,wireguard-go-debian,openvpn"),
                e.getMessage());
        // The one-datagram-per-wake-up variant runs only when named, and sits after platoon in the tables.
        assertEquals(List.of(Contenders.PLATOON, Contenders.PLATOON_1RX),
                BenchOptions.parse("--only", "platoon-1rx,platoon").contenders());
        // Tap mode is in the default set, beside platoon in tun mode, its baseline.
        assertEquals(List.of(Contenders.PLATOON, Contenders.PLATOON_TAP),
                BenchOptions.parse("--only", "platoon-tap,platoon").contenders());
        assertTrue(Contenders.ALL.contains(Contenders.PLATOON_TAP));
    }

    @Test
    void versionFromWhatTheBinaryPrints() {
        assertEquals(Optional.of("0.0.20250522"), WireguardGo.parseVersion(
                "wireguard-go v0.0.20250522\n\nUserspace WireGuard daemon for linux-amd64.\n"));
        assertEquals(Optional.of("0.0.20220316"), WireguardGo.parseVersion("wireguard-go v0.0.20220316\n"));
        assertEquals(Optional.empty(), WireguardGo.parseVersion("Usage: wireguard-go [-f/--foreground] INTERFACE"));
    }

    @Test
    void theModernWireguardGoIsTheReferenceWhenItRan() {
        Results both = results(List.of(Contenders.PLATOON, MODERN, Contenders.WG_GO_DEBIAN));
        assertEquals(MODERN, both.reference());
        assertEquals(2.0, both.ratio(IperfTest.TCP_1, Contenders.PLATOON, both.reference()), 1e-9);
        List<List<String>> head = both.headline();
        assertEquals(List.of("test", "unit", "platoon", MODERN, Contenders.WG_GO_DEBIAN, "platoon ÷ " + MODERN,
                "platoon ÷ wireguard-go 2022 (Debian)", "platoon ÷ raw veth",
                "machine CPU per GB: " + MODERN + " ÷ platoon"), head.get(0));
        assertEquals(List.of("TCP, 1 stream", "Gb/s", "4.00", "2.00", "1.00", "2.00×", "4.00×", "n/a", "3.00×"),
                head.get(1));
        List<List<String>> full = both.full();
        assertEquals("÷ " + MODERN, full.get(0).get(9));
        assertEquals(List.of(MODERN, "9.00", "1×"),
                List.of(full.get(2).get(1), full.get(2).get(7), full.get(2).get(9)));
        assertEquals(List.of(Contenders.WG_GO_DEBIAN, "20.0", "0.50×"),
                List.of(full.get(3).get(1), full.get(3).get(7), full.get(3).get(9)), "every contender's CPU-s/GB");
        assertTrue(BenchPage.headlineSentence(both).startsWith("platoon: 2.00× " + MODERN + ", 3.00× less machine"
                + " CPU per GB than " + MODERN), BenchPage.headlineSentence(both));

        Results debianOnly = results(List.of(Contenders.PLATOON, Contenders.WG_GO_DEBIAN));
        assertEquals(Contenders.WG_GO_DEBIAN, debianOnly.reference());
        assertEquals("platoon ÷ wireguard-go 2022 (Debian)", debianOnly.headline().get(0).get(4));
        assertEquals(7, debianOnly.headline().get(0).size(), "no second wireguard-go column");
        assertNull(Results.reference(List.of(Contenders.RAW, Contenders.PLATOON)));
    }

    /** TCP 1 stream: platoon 4 Gb/s at 3 CPU-s/GB, modern 2 at 9, Debian 1 at 20. */
    private static Results results(List<String> contenders) {
        Results r = new Results(List.of(IperfTest.TCP_1), contenders);
        double[][] figures = {{4, 3}, {2, 9}, {1, 20}};
        for (String c : contenders) {
            double[] f = figures[c.equals(Contenders.PLATOON) ? 0 : c.equals(MODERN) ? 1 : 2];
            r.add(IperfTest.TCP_1, c, new Sample(f[0], Double.NaN, 90, 80, f[1], 1));
        }
        return r;
    }

    @Test
    void coldStartReadsTheReceiversSecondsAndDropsTheTail() {
        String doc = """
                {"intervals": [{"sum": {"start": 0, "seconds": 1.0, "bits_per_second": 9e9}}],
                 "end": {},
                 "server_output_json": {"intervals": [
                   {"sum": {"start": 0, "seconds": 1.0004, "bits_per_second": 0.5e9}},
                   {"sum": {"start": 1, "seconds": 0.9998, "bits_per_second": 1.5e9}},
                   {"sum": {"start": 2, "seconds": 1.0, "bits_per_second": 2e9}},
                   {"sum": {"start": 3, "seconds": 1.0, "bits_per_second": 2e9}},
                   {"sum": {"start": 4, "seconds": 1.0, "bits_per_second": 2e9}},
                   {"sum": {"start": 5, "seconds": 0.004, "bits_per_second": 1e8}}]}}""";
        assertEquals(List.of(0.5, 1.5, 2.0, 2.0, 2.0), ColdStart.perSecondGbps(Json.parse(doc)));
        String short2 = """
                {"server_output_json": {"intervals": [
                   {"sum": {"seconds": 1.0, "bits_per_second": 1e9}},
                   {"sum": {"seconds": 1.0, "bits_per_second": 2e9}},
                   {"sum": {"seconds": 0.01, "bits_per_second": 5e7}}]}}""";
        assertEquals(List.of(1.0, 2.0), ColdStart.perSecondGbps(Json.parse(short2)), "the fragment is no second");
        String senderOnly = "{\"intervals\": [{\"sum\": {\"seconds\": 1.0, \"bits_per_second\": 3e9}}], \"end\": {}}";
        assertEquals(List.of(3.0), ColdStart.perSecondGbps(Json.parse(senderOnly)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ColdStart.perSecondGbps(
                Json.parse("{\"intervals\": [], \"error\": \"unable to connect to server\"}")));
        assertTrue(e.getMessage().contains("unable to connect"), e.getMessage());
    }

    @Test
    void coldStartRowsSetTheFirstSecondAgainstTheSteadyStream() {
        Results r = results(List.of(Contenders.PLATOON, MODERN));
        r.addColdStart(MODERN, List.of(1.8, 2.0, 2.0, 2.0, 2.0));
        r.addColdStart(Contenders.PLATOON, List.of(1.0, 3.0, 4.0));
        List<List<String>> rows = ColdStart.rows(r);
        assertEquals(List.of("implementation", "0–1 s", "1–2 s", "2–3 s", "3–4 s", "4–5 s",
                "first second ÷ steady TCP, 1 stream"), rows.get(0));
        assertEquals(List.of("platoon", "1.00", "3.00", "4.00", "n/a", "n/a", "25 %"), rows.get(1), "contender order");
        assertEquals(List.of(MODERN, "1.80", "2.00", "2.00", "2.00", "2.00", "90 %"), rows.get(2));

        // Several starts: the median of each second, min–max beside it; a start may have fewer seconds.
        r.addColdStart(Contenders.PLATOON, List.of(0.5, 2.0, 4.0, 4.0));
        r.addColdStart(Contenders.PLATOON, List.of(2.0, 3.5, 4.0, 4.0, 4.0));
        assertEquals(List.of("platoon", "1.00 (0.500–2.00)", "3.00 (2.00–3.50)", "4.00 (4.00–4.00)",
                "4.00 (4.00–4.00)", "4.00", "25 %"), ColdStart.rows(r).get(1));

        Results noTcp1 = new Results(List.of(IperfTest.UDP), List.of(Contenders.PLATOON));
        noTcp1.addColdStart(Contenders.PLATOON, List.of(1.0));
        assertEquals("n/a", ColdStart.rows(noTcp1).get(1).get(6));
    }

    @Test
    void cpuInfoNamesTheModelAndTheIfmaFlags() {
        String cpuinfo = """
                processor\t: 0
                vendor_id\t: AuthenticAMD
                model name\t: AMD EPYC 9R14 96-Core Processor
                flags\t\t: fpu sse2 avx avx2 avx512f avx512ifma avx512vl sha_ni

                processor\t: 1
                model name\t: AMD EPYC 9R14 96-Core Processor
                flags\t\t: fpu sse2
                """;
        CpuInfo c = CpuInfo.parse(cpuinfo);
        assertEquals("AMD EPYC 9R14 96-Core Processor", c.model());
        assertEquals("fpu sse2 avx avx2 avx512f avx512ifma avx512vl sha_ni", c.flagsLine());
        assertTrue(c.has("avx512ifma"));
        assertFalse(c.has("avx_ifma"));
        assertFalse(c.has("avx512"), "whole flags, not prefixes");
        assertEquals("avx2 yes, avx512f yes, avx512vl yes, avx512ifma yes, avx_ifma no", c.notableFlags());
        CpuInfo none = CpuInfo.parse("processor\t: 0\n");
        assertEquals("unknown CPU", none.model());
        assertEquals("CPU flags unknown", none.notableFlags());
    }

    @Test
    void cipherLineIsPlatoonsOwnWords() {
        String line = "12:00:01 wg0: 2 queues, offloads tso4 tso6, UDP port 51820, MTU 1420, 1 peer; "
                + "ChaCha20-Poly1305 in place on the JDK's ChaCha20 and Poly1305 stubs";
        assertEquals(Optional.of(line), Contenders.WireGuardPair.cipherLine(List.of("starting", "  " + line, "up")));
        assertEquals(Optional.of("cipher engine: openssl 3.0.17 (AVX-512)"),
                Contenders.WireGuardPair.cipherLine(List.of("handshake", "cipher engine: openssl 3.0.17 (AVX-512)")));
        assertEquals(Optional.empty(), Contenders.WireGuardPair.cipherLine(List.of("up", "handshake done")));
        // The trial's verdict comes after the is-up line, and is what the run ended on.
        assertEquals(Optional.of("INFO AeadEngines: ChaCha20-Poly1305 engine: jdk-stubs, the fastest verified"),
                Contenders.WireGuardPair.cipherLine(List.of("wg0 is up: ...; ChaCha20-Poly1305 engine: openssl, native",
                        "INFO AeadEngines: ChaCha20-Poly1305 engine: jdk-stubs, the fastest verified")));
    }

    @Test
    void pageCarriesColdStartCpuAndCipher() {
        Results r = results(List.of(Contenders.PLATOON, MODERN));
        r.addColdStart(Contenders.PLATOON, List.of(1.0, 3.0, 4.0, 4.0, 4.0));
        CpuInfo cpu = CpuInfo.parse("model name : Test CPU\nflags : avx2 avx512f avx512ifma\n");
        BenchPage.Run run = new BenchPage.Run("./platoon bench", "2 CPUs", cpu, "ChaCha20-Poly1305 `x`",
                List.of(MODERN + ": /shared/wireguard-go (v0.0.20250522)"), "0.1 0.1 0.1", "0.2 0.2 0.2");
        String page = BenchPage.section(r, run, "chart.png", List.of("a note"));
        assertTrue(page.contains("| platoon | 1.00 | 3.00 | 4.00 | 4.00 | 4.00 | 25 % |"), page);
        assertTrue(page.contains("- CPU: Test CPU; avx2 yes, avx512f yes, avx512vl no, avx512ifma yes, avx_ifma no"),
                page);
        assertTrue(page.contains("- platoon's cipher, the last its log said of it: `ChaCha20-Poly1305 'x'`"), page);
        assertTrue(page.contains("```\navx2 avx512f avx512ifma\n```"), page);
        assertTrue(page.contains("- " + MODERN + ": /shared/wireguard-go (v0.0.20250522)"), page);
        assertTrue(page.startsWith(BenchPage.START) && page.endsWith(BenchPage.END + "\n"), page);
    }
}
