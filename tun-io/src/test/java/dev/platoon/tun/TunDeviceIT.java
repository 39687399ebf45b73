package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.platoon.testkit.NetNs;
import org.junit.jupiter.api.Test;

/** Opening devices in a private namespace: what is negotiated, and the one-line errors. */
class TunDeviceIT {
    @Test
    void opensWithOffloadsAndQueuesAndSaysSo() throws Exception {
        try (NetNs ns = NetNs.create("dev")) {
            ns.call(() -> {
                try (TunDevice d = TunDevice.open(TunConfig.tun("pt0").withQueues(3).withSndbuf(1 << 20))) {
                    assertEquals("pt0", d.name());
                    assertEquals(3, d.queueCount());
                    assertEquals(12, d.vnetHdrSize());
                    assertTrue(d.offloads().csum() && d.offloads().tso4() && d.offloads().tso6(), d.describe());
                    assertTrue(d.describe().startsWith("pt0: tun multi_queue, 3 queues, vnet_hdr 12, offloads csum"),
                            d.describe());
                    String link = ns.exec("ip", "-d", "link", "show", "dev", "pt0");
                    assertTrue(link.contains("vnet_hdr on multi_queue numqueues 3"), link);
                    for (int q = 0; q < 3; q++) {
                        assertTrue(d.queue(q).fd() >= 0);
                        d.queue(q).setNonBlocking(true);
                        assertEquals(0, d.queue(q).read(java.nio.ByteBuffer.allocateDirect(2048), 0, 2048), "EAGAIN");
                    }
                    new LinkConfig("pt0").mtu(1400).txqueuelen(2000).addAddress("100.64.0.1/24")
                            .addAddress("fd00:64::1/64").up().addRoute("100.64.1.0/24").addRoute("fd00:65::/64");
                    String shown = ns.exec("ip", "link", "show", "dev", "pt0");
                    assertTrue(shown.contains("mtu 1400") && shown.contains("qlen 2000") && shown.contains("UP"), shown);
                    assertTrue(ns.exec("ip", "route").contains("100.64.1.0/24 dev pt0"));
                    assertTrue(ns.exec("ip", "-6", "route").contains("fd00:65::/64 dev pt0"));
                    TunException e = assertThrows(TunException.class, () -> new LinkConfig("pt0").addAddress("100.64.0.1/24"));
                    assertTrue(e.getMessage().startsWith("ip -4 address add 100.64.0.1/24 dev pt0: "), e.getMessage());
                    assertEquals(1, e.getMessage().lines().count());
                }
                return null;
            });
            assertTrue(!ns.exec("ip", "link").contains("pt0"), "device gone with its last fd");
        }
    }

    @Test
    void withoutOffloadsStillHasAVnetHeader() throws Exception {
        try (NetNs ns = NetNs.create("nooff")) {
            ns.call(() -> {
                try (TunDevice d = TunDevice.open(TunConfig.tun("pt1").withOffloads(false))) {
                    assertEquals(Offloads.NONE, d.offloads());
                    assertEquals("pt1: tun multi_queue, 1 queue, vnet_hdr 12, offloads none", d.describe());
                }
                return null;
            });
        }
    }

    @Test
    void oneLineErrors() throws Exception {
        TunException tooLong = assertThrows(TunException.class, () -> TunDevice.open(TunConfig.tun("a-name-of-16-chr")));
        assertTrue(tooLong.getMessage().contains("at most 15 characters"), tooLong.getMessage());
        try (NetNs ns = NetNs.create("err")) {
            ns.exec("ip", "link", "add", "taken0", "type", "veth", "peer", "name", "taken1");
            ns.call(() -> {
                TunException taken = assertThrows(TunException.class, () -> TunDevice.open(TunConfig.tun("taken0")));
                assertTrue(taken.getMessage().contains("name is taken by another kind of device"), taken.getMessage());
                try (TunDevice single = TunDevice.open(TunConfig.tun("pt2").withMultiQueue(false))) {
                    // Re-opening an existing device: the multi-queue flag is flipped to match, then it is busy.
                    TunException busy = assertThrows(TunException.class, () -> TunDevice.open(TunConfig.tun("pt2")));
                    assertTrue(busy.getMessage().contains("pt2 is busy"), busy.getMessage());
                    TunException two = assertThrows(TunException.class, () -> TunDevice.open(TunConfig.tun("pt2").withQueues(2)));
                    assertTrue(two.getMessage().contains("busy") || two.getMessage().contains("without multi_queue"),
                            two.getMessage());
                }
                try (TunDevice tun = TunDevice.open(TunConfig.tun("pt3"))) {
                    TunException kind = assertThrows(TunException.class, () -> TunDevice.open(TunConfig.tap("pt3")));
                    assertTrue(kind.getMessage().startsWith("cannot open device pt3 as tap"), kind.getMessage());
                }
                return null;
            });
        }
    }
}
