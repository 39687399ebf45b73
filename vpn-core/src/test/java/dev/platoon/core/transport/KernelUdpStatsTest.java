package dev.platoon.core.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelUdpStatsTest {

    @Test
    void parsesBothFamiliesAndSumsThem(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("snmp"), List.of(
                "Ip: Forwarding DefaultTTL",
                "Ip: 1 64",
                "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors",
                "Udp: 476 0 3 459 17 2 0",
                "UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors",
                "UdpLite: 0 0 99 0 99 99 0"));
        Files.write(dir.resolve("snmp6"), List.of(
                "Udp6InErrors                    \t1",
                "Udp6RcvbufErrors                \t5",
                "Udp6SndbufErrors                \t0"));
        assertEquals(new KernelUdpStats(4, 22, 2), KernelUdpStats.read(dir));
    }

    @Test
    void missingIpv6FileCountsAsZero(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("snmp"), List.of("Udp: RcvbufErrors", "Udp: 7"));
        assertEquals(new KernelUdpStats(0, 7, 0), KernelUdpStats.read(dir));
        assertArrayEquals(new long[3], KernelUdpStats.parseSnmp(List.of()));
    }

    @Test
    void readsThisMachine() throws Exception {
        KernelUdpStats s = KernelUdpStats.read();
        assertTrue(s.rcvbufErrors() >= 0 && s.sndbufErrors() >= 0 && s.inErrors() >= 0);
    }
}
