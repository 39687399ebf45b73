package dev.platoon.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Needs root: makes real namespaces. */
class VethPairIT {
    @Test
    void javaCodeInOneNamespaceReachesTheOtherOverTheVethAndCloseRemovesBoth() throws Exception {
        String a;
        String b;
        try (VethPair net = VethPair.create("kit")) {
            a = net.a().name();
            b = net.b().name();
            assertTrue(net.a().run(Duration.ofSeconds(10), "ping", "-c", "1", "-W", "5", VethPair.B_ADDRESS).ok());
            try (DatagramSocket rx = net.b().call(() -> new DatagramSocket(new InetSocketAddress(VethPair.B_ADDRESS, 0)));
                 DatagramSocket tx = net.a().call(DatagramSocket::new)) {
                rx.setSoTimeout(5000);
                byte[] hi = "hi".getBytes(StandardCharsets.US_ASCII);
                tx.send(new DatagramPacket(hi, hi.length, new InetSocketAddress(VethPair.B_ADDRESS, rx.getLocalPort())));
                DatagramPacket got = new DatagramPacket(new byte[16], 16);
                rx.receive(got);
                assertEquals(new InetSocketAddress(VethPair.A_ADDRESS, tx.getLocalPort()).getAddress(), got.getAddress());
            }
        }
        String list = Proc.run(Duration.ofSeconds(10), "ip", "netns", "list").orThrow().stdout();
        assertFalse(list.contains(a) || list.contains(b), "both namespaces removed: " + list);
    }
}
